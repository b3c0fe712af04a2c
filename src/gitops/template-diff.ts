// Structural comparison of two pod templates, to refuse a "rollback" that would silently revert more
// than images (env, resources, the container set).
import { isDeepStrictEqual } from 'node:util';

const CONTAINER_LISTS = ['initContainers', 'containers'];

/** A deep copy of a pod template (as plain JSON) with every container's and init container's image removed. */
export function withoutImages(template: unknown): unknown {
  const copy = structuredClone(template) as { spec?: Record<string, unknown> } | null;
  for (const list of CONTAINER_LISTS) {
    const containers = copy?.spec?.[list];
    if (!Array.isArray(containers)) continue;
    for (const container of containers as unknown[]) {
      if (isRecord(container)) delete container.image;
    }
  }
  return copy;
}

/** Dotted paths (e.g. spec.containers[0].env) at which `a` and `b` differ, in document order. */
export function differingPaths(a: unknown, b: unknown, path: string): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path} (length ${a.length} → ${b.length})`];
    return a.flatMap((item, i) => differingPaths(item, b[i], `${path}[${i}]`));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((key) => differingPaths(a[key], b[key], `${path}.${key}`));
  }
  return [path];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
