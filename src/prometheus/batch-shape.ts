// The structural check behind batch isolation: the spliced batch is parsed back and must be exactly
//   (leaf) or (leaf) … as a balanced tree of plain `or`, where leaf i is
//   label_replace(sum(<query i>), "<tag>", "i", "", "")
// with <query i> one expression lying wholly inside the text slot that query was spliced into. Text
// that closes its sum(), adds a tag of its own or reaches into a neighbour yields another tree, and
// that batch is refused before it is sent.
import type { SyntaxNode } from '@lezer/common';
import { meaningfulChildren, parseSingleExpression } from './promql';

export interface BatchText {
  text: string;
  /** Where each query's text was spliced, in order. */
  slots: { from: number; to: number }[];
}

/** The batch does not have the shape it was built to have: some query's text escaped its slot. */
export class BatchShapeError extends Error {
  constructor(detail: string) {
    super(`batched query refused: ${detail}`);
    this.name = 'BatchShapeError';
  }
}

export function assertBatchShape(batch: BatchText, tag: string): void {
  const parsed = parseSingleExpression(batch.text);
  if ('problem' in parsed) throw new BatchShapeError(parsed.problem.message);
  checkTree(parsed.node, 0, batch.slots.length, { batch, tag });
}

interface Context {
  batch: BatchText;
  tag: string;
}

function checkTree(node: SyntaxNode, lo: number, hi: number, ctx: Context): void {
  if (hi - lo === 1) return checkLeaf(node, lo, ctx);
  const [left, op, right, ...rest] = children(node, 'BinaryExpr');
  ensure(op?.name === 'Or' && rest.length === 0, node, 'a plain `or` of two parts');
  const middle = (lo + hi) >> 1;
  checkTree(inner(left), lo, middle, ctx);
  checkTree(inner(right), middle, hi, ctx);
}

function checkLeaf(node: SyntaxNode, index: number, ctx: Context): void {
  const [identifier, body, ...rest] = children(node, 'FunctionCall');
  ensure(rest.length === 0 && identifier?.firstChild?.name === 'LabelReplace', node, 'label_replace(…)');
  const [sum, ...strings] = children(body, 'FunctionCallBody');
  const expected = [ctx.tag, String(index), '', ''].map((s) => JSON.stringify(s));
  const literals = strings.map((s) => (s.name === 'StringLiteral' ? textOf(s, ctx) : ''));
  ensure(literals.join(',') === expected.join(','), node, `label_replace arguments ${expected.join(', ')}`);
  const [op, sumBody, ...modifiers] = children(sum, 'AggregateExpr');
  ensure(op?.firstChild?.name === 'Sum' && modifiers.length === 0, node, 'sum(…) without by/without');
  const [query, ...more] = children(sumBody, 'FunctionCallBody');
  const slot = ctx.batch.slots[index]!;
  ensure(
    query !== undefined && more.length === 0 && query.from >= slot.from && query.to <= slot.to,
    node,
    `query ${index} alone inside its sum()`,
  );
}

function children(node: SyntaxNode | undefined, name: string): SyntaxNode[] {
  ensure(node?.name === name, node, name);
  return meaningfulChildren(node!);
}

/** The expression inside `( … )`. */
function inner(node: SyntaxNode | undefined): SyntaxNode {
  const [only, ...rest] = children(node, 'ParenExpr');
  ensure(only !== undefined && rest.length === 0, node, '( … )');
  return only!;
}

function textOf(node: SyntaxNode, ctx: Context): string {
  return ctx.batch.text.slice(node.from, node.to);
}

function ensure(ok: boolean, node: SyntaxNode | undefined, what: string): void {
  if (!ok) throw new BatchShapeError(`expected ${what} at character ${(node?.from ?? 0) + 1}`);
}
