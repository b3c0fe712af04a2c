// Finding an Argo Rollouts Rollout in manifest text and editing it in place. Edits are splices of the
// original text at node ranges reported by the `yaml` Document API, so comments, key order, quoting and
// every byte we did not mean to change survive exactly (re-stringifying a document would not).
import { parseAllDocuments, type Document } from 'yaml';
import { GitOpsInputError } from './provider';

export const ROLLOUT_API_VERSION = 'argoproj.io/v1alpha1';

/** The Rollout a service deploys with (catalog `deployment.rollout`); namespace optional in the manifest. */
export interface RolloutSelector {
  name: string;
  namespace?: string;
}

export type ManifestErrorCode =
  | 'manifest-missing'
  | 'no-healthy-revision'
  | 'unparsable'
  | 'rollout-not-found'
  | 'ambiguous-rollout'
  | 'no-pod-template'
  | 'not-image-only'
  | 'unsupported-yaml';

/** A manifest SafeDeploy cannot edit safely: non-retryable, and `code` says why. */
export class ManifestError extends GitOpsInputError {
  constructor(
    readonly code: ManifestErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** Replace `text[start, end)` with `replacement`. */
export interface TextEdit {
  start: number;
  end: number;
  replacement: string;
}

export function describeRollout(ref: RolloutSelector): string {
  return ref.namespace ? `Rollout ${ref.namespace}/${ref.name}` : `Rollout ${ref.name}`;
}

/** The one document in `text` holding the Rollout; throws a ManifestError naming file and Rollout. */
export function findRolloutDocument(text: string, ref: RolloutSelector, file: string): Document.Parsed {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents) || documents.length === 0) {
    throw new ManifestError(
      'rollout-not-found',
      `${file}: the file is empty; expected ${describeRollout(ref)}`,
    );
  }
  documents.forEach((doc, index) => {
    const first = doc.errors[0];
    if (first) {
      const reason = first.message.split('\n')[0] ?? first.message;
      throw new ManifestError('unparsable', `${file}: document ${index + 1} is not valid YAML: ${reason}`);
    }
  });
  const matches = documents.filter((doc) => isRollout(doc, ref));
  if (matches.length > 1) {
    throw new ManifestError(
      'ambiguous-rollout',
      `${file}: ${describeRollout(ref)} is defined ${matches.length} times`,
    );
  }
  const [match] = matches;
  if (!match) {
    const found = documents.map(summarize).join(', ') || 'nothing';
    throw new ManifestError(
      'rollout-not-found',
      `${file}: no ${describeRollout(ref)} (apiVersion ${ROLLOUT_API_VERSION}); found ${found}. ` +
        'Check deployment.rollout and rollback.manifest in the service catalog.',
    );
  }
  return match;
}

function isRollout(doc: Document.Parsed, ref: RolloutSelector): boolean {
  if (doc.get('apiVersion') !== ROLLOUT_API_VERSION || doc.get('kind') !== 'Rollout') return false;
  if (doc.getIn(['metadata', 'name']) !== ref.name) return false;
  const namespace = doc.getIn(['metadata', 'namespace']);
  return (
    namespace === undefined ||
    namespace === null ||
    ref.namespace === undefined ||
    namespace === ref.namespace
  );
}

function summarize(doc: Document.Parsed): string {
  const kind = doc.get('kind');
  const name = doc.getIn(['metadata', 'name']);
  return `${typeof kind === 'string' ? kind : '?'} ${typeof name === 'string' ? name : '?'}`;
}

/** Applies non-overlapping edits; offsets refer to the original text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const ordered = [...edits].sort((a, b) => b.start - a.start);
  let result = text;
  let limit = text.length;
  for (const edit of ordered) {
    if (edit.end > limit) throw new Error(`overlapping manifest edits at offset ${edit.start}`);
    result = result.slice(0, edit.start) + edit.replacement + result.slice(edit.end);
    limit = edit.start;
  }
  return result;
}

/** The line break style of `text` at `offset`, so inserted lines match their neighbours. */
export function lineBreakAt(text: string, offset: number): string {
  return text[offset - 1] === '\r' ? '\r\n' : '\n';
}

/** Column (0-based) of `offset` within its line. */
export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}
