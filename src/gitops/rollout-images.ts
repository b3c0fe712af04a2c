// Image rollback: restore the Rollout pod template's container and init-container images from an
// earlier revision, and refuse when the template changed in anything else.
import { isMap, isScalar, isSeq, stringify, type Document, type Scalar, type YAMLMap } from 'yaml';
import {
  applyEdits,
  describeRollout,
  findRolloutDocument,
  ManifestError,
  type RolloutSelector,
  type TextEdit,
} from './manifest-source';
import { differingPaths, withoutImages } from './template-diff';

const CONTAINER_LISTS = ['initContainers', 'containers'] as const;
type ContainerList = (typeof CONTAINER_LISTS)[number];

export interface ContainerImage {
  list: ContainerList;
  container: string;
  image: string;
}

/** The images of the Rollout's pod template, init containers first. */
export function rolloutImages(text: string, rollout: RolloutSelector, file = 'manifest'): ContainerImage[] {
  const template = podTemplate(findRolloutDocument(text, rollout, file), rollout, file);
  return containerNodes(template).map(({ list, node }) => ({
    list,
    container: String(node.get('name')),
    image: imageScalar(node, rollout, file).value as string,
  }));
}

/** The Rollout's spec.template as plain JSON (to compare revisions: equal JSON, same pods). */
export function rolloutPodTemplate(text: string, rollout: RolloutSelector, file = 'manifest'): unknown {
  return podTemplate(findRolloutDocument(text, rollout, file), rollout, file).toJSON() as unknown;
}

/**
 * The current manifest with the Rollout's container and init-container images taken from
 * `earlierText`. Anything else that differs in spec.template is refused: only images are rolled back
 * automatically.
 */
export function restorePodTemplate(
  currentText: string,
  earlierText: string,
  rollout: RolloutSelector,
  file = 'manifest',
): string {
  const current = podTemplate(findRolloutDocument(currentText, rollout, file), rollout, file);
  const earlierFile = `${file} (earlier revision)`;
  const earlier = podTemplate(findRolloutDocument(earlierText, rollout, earlierFile), rollout, earlierFile);
  const paths = differingPaths(
    withoutImages(earlier.toJSON()),
    withoutImages(current.toJSON()),
    'spec.template',
  );
  if (paths.length > 0) {
    throw new ManifestError(
      'not-image-only',
      `${file}: ${describeRollout(rollout)} changed more than images since the earlier revision ` +
        `(${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', ...' : ''}); ` +
        'SafeDeploy only rolls back images automatically: revert this change by hand',
    );
  }
  const edits = imageEdits(containerNodes(current), containerNodes(earlier), rollout, file);
  const result = applyEdits(currentText, edits);
  const restored = rolloutImages(result, rollout, file).map((c) => c.image);
  if (
    restored.join('\n') !==
    rolloutImages(earlierText, rollout, earlierFile)
      .map((c) => c.image)
      .join('\n')
  ) {
    throw new Error(`${file}: internal error: restored images do not match the earlier revision`);
  }
  return result;
}

function imageEdits(
  current: ContainerNode[],
  earlier: ContainerNode[],
  rollout: RolloutSelector,
  file: string,
): TextEdit[] {
  const edits: TextEdit[] = [];
  current.forEach(({ node }, index) => {
    const target = imageScalar(node, rollout, file);
    const wanted = earlier[index]
      ? imageScalar(earlier[index].node, rollout, `${file} (earlier revision)`).value
      : undefined;
    if (typeof wanted !== 'string' || !target.range)
      throw new Error(`${file}: internal error: container lists differ`);
    if (target.value === wanted) return;
    edits.push({ start: target.range[0], end: target.range[1], replacement: renderLike(target, wanted) });
  });
  return edits;
}

/** `value` as YAML source in the quoting style of `like` (falls back to quotes when plain is unsafe). */
function renderLike(like: Scalar, value: string): string {
  const style = like.type === 'QUOTE_SINGLE' || like.type === 'QUOTE_DOUBLE' ? like.type : 'PLAIN';
  return stringify(value, { defaultStringType: style, lineWidth: 0 }).replace(/\r?\n$/, '');
}

interface ContainerNode {
  list: ContainerList;
  node: YAMLMap;
}

function podTemplate(doc: Document.Parsed, rollout: RolloutSelector, file: string): YAMLMap {
  const template = doc.getIn(['spec', 'template'], true);
  if (isMap(template)) return template;
  const hint = doc.hasIn(['spec', 'workloadRef'])
    ? ' (it uses spec.workloadRef: roll back the referenced workload)'
    : '';
  throw new ManifestError(
    'no-pod-template',
    `${file}: ${describeRollout(rollout)} has no spec.template${hint}`,
  );
}

function containerNodes(template: YAMLMap): ContainerNode[] {
  return CONTAINER_LISTS.flatMap((list) => {
    const seq = template.getIn(['spec', list], true);
    if (!isSeq(seq)) return [];
    return seq.items.filter(isMap).map((node) => ({ list, node }));
  });
}

function imageScalar(container: YAMLMap, rollout: RolloutSelector, file: string): Scalar {
  const image = container.get('image', true);
  if (isScalar(image) && typeof image.value === 'string') return image;
  const name = String(container.get('name'));
  throw new ManifestError(
    'unsupported-yaml',
    `${file}: ${describeRollout(rollout)} container "${name}" has no plain string image; edit it by hand`,
  );
}
