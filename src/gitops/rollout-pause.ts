// spec.paused edits: true blocks promotion of a canary, false lets it proceed (docs/ARCHITECTURE.md "One approval").
import { isMap, isScalar, type Document, type YAMLMap } from 'yaml';
import {
  applyEdits,
  columnOf,
  describeRollout,
  findRolloutDocument,
  lineBreakAt,
  ManifestError,
  type RolloutSelector,
  type TextEdit,
} from './manifest-source';

/**
 * Sets the Rollout's spec.paused (true blocks promotion, false lets the canary proceed). Returns
 * `text` unchanged when it already says so; an absent `paused` already means false.
 */
export function setPaused(
  text: string,
  rollout: RolloutSelector,
  paused: boolean,
  file = 'manifest',
): string {
  const doc = findRolloutDocument(text, rollout, file);
  const spec = doc.get('spec', true);
  if (!isMap(spec) || spec.flow || spec.items.length === 0) {
    throw new ManifestError(
      'unsupported-yaml',
      `${file}: ${describeRollout(rollout)} has no block-style spec; set spec.paused by hand`,
    );
  }
  const pair = spec.items.find((item) => isScalar(item.key) && item.key.value === 'paused');
  const edit = pair
    ? pausedValueEdit(text, pair.value, paused, `${file}: ${describeRollout(rollout)} spec.paused`)
    : pausedInsertion(text, doc, spec, paused);
  if (!edit) return text;
  const result = applyEdits(text, [edit]);
  if (findRolloutDocument(result, rollout, file).getIn(['spec', 'paused']) !== paused) {
    throw new Error(`${file}: internal error: setting spec.paused=${paused} did not round-trip`);
  }
  return result;
}

function pausedValueEdit(text: string, value: unknown, paused: boolean, where: string): TextEdit | null {
  if (!isScalar(value) || !value.range)
    throw new ManifestError('unsupported-yaml', `${where} is not a scalar; edit it by hand`);
  if (value.value === paused || (value.value === null && !paused)) return null;
  const [start, end] = value.range;
  if (start === end) {
    // `paused:` with no value: insert after the colon, but only where nothing else follows on the line.
    if (!/^\r?\n|^$/.test(text.slice(start, start + 2)))
      throw new ManifestError('unsupported-yaml', `${where} has no value; set it by hand`);
    return { start, end, replacement: ` ${paused}` };
  }
  return { start, end, replacement: String(paused) };
}

/** Inserts `paused: true` as the first line of spec, indented like its siblings. */
function pausedInsertion(
  text: string,
  doc: Document.Parsed,
  spec: YAMLMap,
  paused: boolean,
): TextEdit | null {
  if (!paused) return null;
  const root = doc.contents;
  const specKey = isMap(root)
    ? root.items.find((item) => isScalar(item.key) && item.key.value === 'spec')?.key
    : undefined;
  const firstKey = spec.items[0]?.key;
  if (!isScalar(specKey) || !specKey.range || !isScalar(firstKey) || !firstKey.range) {
    throw new ManifestError(
      'unsupported-yaml',
      'spec uses YAML this editor does not support; set spec.paused by hand',
    );
  }
  const lineEnd = text.indexOf('\n', specKey.range[1]);
  if (lineEnd < 0 || lineEnd > firstKey.range[0]) {
    throw new ManifestError('unsupported-yaml', 'spec keys start on the spec line; set spec.paused by hand');
  }
  const indent = ' '.repeat(columnOf(text, firstKey.range[0]));
  const line = `${indent}paused: true${lineBreakAt(text, lineEnd)}`;
  return { start: lineEnd + 1, end: lineEnd + 1, replacement: line };
}
