/** Small hand-made plan nodes for the unit tests, keyed as EXPLAIN (FORMAT JSON). */
import type { ExplainResult, PlanNode } from '../../protocol/plan';
import { annotatePlan } from '../../server/src/plans/parse';

export function node(type: string, fields: Record<string, unknown> = {}, children: PlanNode[] = []): PlanNode {
  const out: PlanNode = { 'Node Type': type, ...fields };
  if (children.length > 0) out.Plans = children;
  return out;
}

/** `Actual Total Time`, rows and loops in one go. */
export function actual(time: number, rows: number, loops = 1): Record<string, number> {
  return { 'Actual Startup Time': 0, 'Actual Total Time': time, 'Actual Rows': rows, 'Actual Loops': loops };
}

export function plan(root: PlanNode, extra: Record<string, unknown> = {}): ExplainResult {
  return annotatePlan({ Plan: root, ...extra });
}
