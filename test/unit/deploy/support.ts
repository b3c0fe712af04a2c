// Reading the deployment files (Dockerfile, docker-compose.yml, Prometheus config, Kubernetes manifests) and
// the code they configure, for static checks that keep the two in step.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export function repoPath(relative: string): string {
  return path.join(REPO_ROOT, relative);
}

export function readRepoFile(relative: string): string {
  return readFileSync(repoPath(relative), 'utf8');
}

/** Every YAML document of a file, failing on any parse error (with the file named). */
export function yamlDocuments(relative: string): unknown[] {
  return parseAllDocuments(readRepoFile(relative)).map((doc, index) => {
    if (doc.errors.length > 0) {
      throw new Error(`${relative} document ${index + 1}: ${doc.errors.map((e) => e.message).join('; ')}`);
    }
    return doc.toJS() as unknown;
  });
}

export function yamlDocument(relative: string): unknown {
  const docs = yamlDocuments(relative);
  if (docs.length !== 1) throw new Error(`${relative}: expected one YAML document, found ${docs.length}`);
  return docs[0];
}

/** A plain object (parsed YAML mapping); throws naming `where` otherwise. */
export function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where}: expected a mapping, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

export function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list, got ${JSON.stringify(value)}`);
  return value as unknown[];
}

// --- the code's configuration ------------------------------------------------------------------------------

/** The directories the image runs (tsconfig.build.json minus bench/, which is not in the image). */
const RUNTIME_SOURCE_DIRS = ['src', 'workflows', 'activities'];

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typescriptFiles(full);
    return entry.isFile() && entry.name.endsWith('.ts') ? [full] : [];
  });
}

export function runtimeSourceFiles(): string[] {
  return RUNTIME_SOURCE_DIRS.flatMap((dir) => typescriptFiles(repoPath(dir))).sort();
}

let sourceText: string | undefined;

/**
 * Does the code the image runs read environment variable `name`? Matches the ways it reads them:
 * `process.env.NAME`, `env.NAME`, `env['NAME']` and `envOr('NAME', ...)`.
 */
export function codeReadsEnv(name: string): boolean {
  sourceText ??= runtimeSourceFiles()
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  if (!/^\w+$/.test(name)) return false;
  const n = name;
  return new RegExp(String.raw`\benv\s*(?:\.\s*${n}\b|\[\s*['"]${n}['"]\s*\])|\benvOr\(\s*['"]${n}['"]`).test(
    sourceText,
  );
}

/**
 * Commands still being written that the deployment files already run: the demo service (`safedeploy
 * demo-service`, in docker-compose.yml). The command checks skip exactly these while a test asserts they are
 * still missing, so the day one lands that test fails and says to delete it here, which turns the check
 * back on for it.
 */
export const AWAITED_COMMANDS: readonly string[] = [];

// --- Dockerfile --------------------------------------------------------------------------------------------

export interface DockerInstruction {
  keyword: string;
  args: string;
  line: number;
}

export interface DockerStage {
  /** The image after ARG defaults are substituted. */
  base: string;
  name?: string;
  instructions: DockerInstruction[];
}

/** Instructions line by line: comments and blank lines dropped, `\` continuations joined. */
export function dockerInstructions(text: string): DockerInstruction[] {
  const instructions: DockerInstruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (pending === undefined && (trimmed === '' || trimmed.startsWith('#'))) return;
    if (pending !== undefined && trimmed.startsWith('#')) return; // comment inside a continuation
    const continued = trimmed.endsWith('\\');
    const part = continued ? trimmed.slice(0, -1).trim() : trimmed;
    pending =
      pending === undefined
        ? { text: part, line: index + 1 }
        : { ...pending, text: `${pending.text} ${part}` };
    if (continued) return;
    const match = /^(\S+)\s*(.*)$/.exec(pending.text);
    if (match)
      instructions.push({ keyword: match[1]!.toUpperCase(), args: match[2]!.trim(), line: pending.line });
    pending = undefined;
  });
  return instructions;
}

/** Build stages in order; ARG defaults declared before the first FROM are substituted into FROM. */
export function dockerStages(text: string): DockerStage[] {
  const args = new Map<string, string>();
  const stages: DockerStage[] = [];
  for (const instruction of dockerInstructions(text)) {
    if (instruction.keyword === 'ARG' && stages.length === 0) {
      const [name, value] = instruction.args.split('=', 2);
      if (name !== undefined && value !== undefined) args.set(name, value);
    } else if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const base = (words[0] ?? '').replace(/\$\{?(\w+)\}?/g, (_, name: string) => args.get(name) ?? '');
      const name = words[1]?.toUpperCase() === 'AS' ? words[2] : undefined;
      stages.push({ base, ...(name ? { name } : {}), instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The exec form of ENTRYPOINT / CMD (a JSON array); undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `ENV A=1 B=2` (and the legacy `ENV A 1`) as a map. */
export function envInstruction(args: string): Map<string, string> {
  const pairs = args.match(/(\w+)=("[^"]*"|\S+)/g);
  if (pairs === null) {
    const [name, ...rest] = args.split(/\s+/);
    return new Map(name ? [[name, rest.join(' ')]] : []);
  }
  return new Map(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1).replace(/^"|"$/g, '')];
    }),
  );
}
