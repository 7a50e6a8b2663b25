/**
 * A filter or join filter that throws away most of the rows it is given, on index scans (a Seq Scan is
 * indexable-seq-scan's, and a HAVING or a filter on a subquery's rows is no index matter): an index scan whose index matches only part of the condition,
 * a join filter that should be a join condition.
 */
import type { PlanHint, PlanNode } from '../../../../protocol/plan';
import type { HintContext } from './context';
import { compact, num, rowsTotal } from './context';

/** Share of the rows examined that must be discarded. */
export const MIN_REMOVED_FRACTION = 0.9;
/** Rows discarded (all loops) below which the waste does not matter. */
export const MIN_REMOVED_ROWS = 1000;

/** Where a filter can move into an index: scans that read a relation (not HAVING on an Aggregate, not a filter on a subquery's result). */
const INDEXABLE_SCANS = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Heap Scan']);
const JOINS = new Set(['Nested Loop', 'Hash Join', 'Merge Join']);

export function inefficientFilter(node: PlanNode, context: HintContext): PlanHint | undefined {
  const type = node['Node Type'];
  if (!INDEXABLE_SCANS.has(type) && !JOINS.has(type)) return undefined;
  const kept = rowsTotal(node);
  if (kept === undefined) return undefined;
  const loops = num(node, 'Actual Loops') ?? 1;
  for (const [key, label] of JOINS.has(type) ? ([['Rows Removed by Join Filter', 'Join Filter']] as const) : ([['Rows Removed by Filter', 'Filter']] as const)) {
    const removed = (num(node, key) ?? 0) * loops;
    if (removed < MIN_REMOVED_ROWS || removed / (removed + kept) <= MIN_REMOVED_FRACTION) continue;
    const fix =
      label === 'Join Filter'
        ? 'Rewrite the join so that this condition is an equality the join can use (or index its columns).'
        : 'Put the filtered columns into the index used here (or a partial index), so the rows are not fetched to be thrown away.';
    return {
      kind: 'inefficient-filter',
      nodeId: context.entry.id,
      severity: 'warning',
      title: `${label} of ${node['Node Type']} discards ${compact(removed)} of ${compact(removed + kept)} rows (${((removed / (removed + kept)) * 100).toFixed(1)}%)`,
      advice: fix,
    };
  }
  return undefined;
}
