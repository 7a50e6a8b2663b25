/**
 * A nested loop that runs its inner side once per row of a large outer input. Usually the planner
 * expected far fewer outer rows; a hash or merge join would read the inner side once.
 */
import type { PlanHint, PlanNode } from '../../../../protocol/plan';
import type { HintContext } from './context';
import { compact, num, rowsTotal } from './context';

/** Outer rows (all loops; the estimate without ANALYZE) from which the loop is large. */
export const MIN_OUTER_ROWS = 10_000;
/** With ANALYZE: the loop's share of the plan's time below which it is not worth a hint. */
export const MIN_TIME_PERCENT = 10;

export function nestedLoopLargeOuter(node: PlanNode, context: HintContext): PlanHint | undefined {
  if (node['Node Type'] !== 'Nested Loop') return undefined;
  const outer = context.entry.children.find((child) => child.node['Parent Relationship'] === 'Outer');
  const inner = context.entry.children.find((child) => child.node['Parent Relationship'] === 'Inner');
  if (!outer || !inner) return undefined;
  const actual = rowsTotal(outer.node);
  const rows = actual ?? num(outer.node, 'Plan Rows') ?? 0;
  if (rows < MIN_OUTER_ROWS) return undefined;
  if (actual !== undefined && context.rootTime) {
    const time = (num(node, 'Actual Total Time') ?? 0) * (num(node, 'Actual Loops') ?? 1);
    if ((time / context.rootTime) * 100 < MIN_TIME_PERCENT) return undefined;
  }
  const planned = num(outer.node, 'Plan Rows');
  const expected = actual !== undefined && planned !== undefined ? ` (the planner expected ${compact(planned * (num(outer.node, 'Actual Loops') ?? 1))})` : '';
  return {
    kind: 'nested-loop-large-outer',
    nodeId: context.entry.id,
    severity: 'warning',
    title: `Nested Loop runs its inner ${inner.node['Node Type']} for each of ${compact(rows)} outer rows${expected}`,
    advice: 'Fix the outer row estimate (ANALYZE, extended statistics) so the planner can pick a hash or merge join, or make the inner side an index lookup.',
  };
}
