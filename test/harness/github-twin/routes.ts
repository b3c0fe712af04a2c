// Routing by the description's path templates. A parameter marked x-multi-segment (a ref such as
// heads/safedeploy/inc-1/rollback, a file path) may span several segments, encoded or not.
import type { OpenApiDocument, OpenApiOperation } from './description';

export interface Route {
  method: string;
  template: string;
  operation: OpenApiOperation;
  segments: ({ literal: string } | { param: string; greedy: boolean })[];
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export function buildRoutes(document: OpenApiDocument): Route[] {
  return Object.entries(document.paths).flatMap(([template, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      method: method.toUpperCase(),
      template,
      operation,
      segments: template
        .split('/')
        .slice(1)
        .map((segment) => {
          const param = /^\{(.+)\}$/.exec(segment)?.[1];
          if (param === undefined) return { literal: segment };
          const declared = operation.parameters?.find((p) => p.in === 'path' && p.name === param);
          return { param, greedy: declared?.['x-multi-segment'] === true };
        }),
    })),
  );
}

/** Matches a raw (still percent-encoded) path; a multi-segment parameter at the end takes the rest. */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  rawPath: string,
): RouteMatch | undefined {
  const parts = rawPath.split('/').slice(1);
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchSegments(route.segments, parts);
    if (params !== undefined) return { route, params };
  }
  return undefined;
}

function matchSegments(segments: Route['segments'], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const part = parts[index];
    if (part === undefined || part === '') return undefined;
    if ('literal' in segment) {
      if (segment.literal !== part) return undefined;
      continue;
    }
    const last = index === segments.length - 1;
    const raw = segment.greedy && last ? parts.slice(index).join('/') : part;
    params[segment.param] = decodeURIComponent(raw);
    if (segment.greedy && last) return params;
  }
  return parts.length === segments.length ? params : undefined;
}
