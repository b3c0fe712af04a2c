// The local demo's signing keys: one ed25519 key per approver of the stack's catalog, under the data
// folder (kept across restarts), and the allowed_signers file the stack's worker verifies against.
// Demo keys only: anyone who can read the data folder can act as these approvers.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCatalog } from '../catalog/loader';
import { generateEd25519 } from '../signing/generate';

export interface DemoKeys {
  dir: string;
  allowedSigners: string;
  /** The private key file of each approver. */
  keys: Record<string, string>;
}

export function demoKeyFile(keysDir: string, approver: string): string {
  return path.join(keysDir, approver);
}

export async function ensureDemoKeys(keysDir: string, catalogDir: string): Promise<DemoKeys> {
  const catalog = await loadCatalog(catalogDir);
  const approvers = [...new Set(catalog.services.flatMap((s) => s.approvers))].sort();
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  const keys: Record<string, string> = {};
  const lines: string[] = [];
  for (const approver of approvers) {
    const file = demoKeyFile(keysDir, approver);
    if (!existsSync(file) || !existsSync(`${file}.pub`)) {
      const key = generateEd25519(`${approver}@safedeploy-demo`);
      await writeFile(file, key.privateKey, { mode: 0o600 });
      await writeFile(`${file}.pub`, `${key.publicLine}\n`);
    }
    const [type, data] = (await readFile(`${file}.pub`, 'utf8')).trim().split(/\s+/);
    lines.push(`${approver} namespaces="safedeploy" ${type} ${data}`);
    keys[approver] = file;
  }
  const allowedSigners = path.join(keysDir, 'allowed_signers');
  await writeFile(
    allowedSigners,
    `# demo approvers of the local stack (safedeploy start)\n${lines.join('\n')}\n`,
  );
  return { dir: keysDir, allowedSigners, keys };
}
