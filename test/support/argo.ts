// The shipped Argo Rollouts AnalysisTemplate, read as Argo reads it, so tests prove the gate's JSON
// satisfies the very conditions the template ships with.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface GateTemplate {
  url: string;
  jsonPath: string;
  authorization: string;
  successCondition: string;
  failureCondition: string;
}

/** The shipped AnalysisTemplate's web provider and conditions. */
export function shippedGateTemplate(): GateTemplate {
  const file = path.resolve(__dirname, '../../examples/env-repo/apps/checkout/analysis-template.yaml');
  const template = parse(readFileSync(file, 'utf8')) as {
    spec: {
      metrics: {
        successCondition: string;
        failureCondition: string;
        provider: { web: { url: string; jsonPath: string; headers: { key: string; value: string }[] } };
      }[];
    };
  };
  const metric = template.spec.metrics[0]!;
  const web = metric.provider.web;
  const authorization = web.headers.find((h) => h.key === 'Authorization')?.value ?? '';
  return {
    url: web.url,
    jsonPath: web.jsonPath,
    authorization,
    successCondition: metric.successCondition,
    failureCondition: metric.failureCondition,
  };
}

/**
 * Evaluates an Argo Rollouts condition of the one form the template uses, `result.a.b == "x"` (or
 * `!=`), over the measurement (jsonPath {$}: the whole JSON body). Any other form throws, so a changed
 * template fails this test instead of passing unchecked.
 */
export function evaluateCondition(condition: string, result: unknown): boolean {
  const match = /^\s*result((?:\.[A-Za-z_]\w*)+)\s*(==|!=)\s*"([^"]*)"\s*$/.exec(condition);
  if (!match) throw new Error(`unsupported condition: ${condition}`);
  const [, pathText = '', operator, literal] = match;
  let value: unknown = result;
  for (const key of pathText.slice(1).split('.'))
    value = (value as Record<string, unknown> | undefined)?.[key];
  return operator === '==' ? value === literal : value !== literal;
}
