// PromQL read by a real parser (Prometheus's own Lezer grammar, @prometheus-io/lezer-promql), so a
// catalog query is known to be exactly one expression before it is sent anywhere, and a batch built
// from many queries can be checked to have exactly the shape it was built to have.
import type { SyntaxNode } from '@lezer/common';
import type { LRParser } from '@lezer/lr';

// The package ships CommonJS (dist/index.cjs) but declares its types as an ES module, which this
// CommonJS build cannot import statically; its parser is an @lezer/lr LRParser.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as { parser: LRParser };

/** Node names that carry no meaning for the shape of an expression. */
const TRIVIA = new Set(['LineComment']);

export interface PromQLProblem {
  /** 0-based offset in the text. */
  offset: number;
  message: string;
}

/** The top expression node of `text`, or the first problem that makes it anything but one expression. */
export function parseSingleExpression(text: string): { node: SyntaxNode } | { problem: PromQLProblem } {
  const tree = parser.parse(text);
  let problem: PromQLProblem | undefined;
  tree.iterate({
    enter(node) {
      if (problem) return false;
      if (node.type.isError) problem = { offset: node.from, message: errorAt(text, node.from) };
      return undefined;
    },
  });
  if (problem) return { problem };
  if (text.trim() === '') return { problem: { offset: 0, message: errorAt(text, 0) } };
  const top = meaningfulChildren(tree.topNode);
  if (top.length !== 1 || !top[0])
    return { problem: { offset: 0, message: 'expected one PromQL expression' } };
  return { node: top[0] };
}

/** Why `text` is not one PromQL expression, or null when it is. */
export function promqlProblem(text: string): string | null {
  const parsed = parseSingleExpression(text);
  return 'problem' in parsed ? parsed.problem.message : null;
}

/**
 * The same for a query template: each `{{.window}}` (any spelling) is parsed as a duration of the
 * same length, so the position and the text quoted in the message are the template's own.
 */
export function promqlTemplateProblem(template: string, placeholder: RegExp): string | null {
  const global = new RegExp(placeholder.source, 'g');
  const text = template.replace(global, (match) => `${'1'.padStart(match.length - 1, '0')}m`);
  const parsed = parseSingleExpression(text);
  if (!('problem' in parsed)) return null;
  return errorAt(template, parsed.problem.offset);
}

export function meaningfulChildren(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (!TRIVIA.has(child.name)) children.push(child);
  }
  return children;
}

function errorAt(text: string, offset: number): string {
  if (text.trim() === '') return 'is empty';
  if (offset >= text.length) return 'is not a complete PromQL expression (it ends too early)';
  const near = JSON.stringify(text.slice(offset, offset + 20));
  return `is not one PromQL expression: syntax error at character ${offset + 1} near ${near}`;
}
