/** An index-only scan that still visits the table: the visibility map is out of date. */
import type { PlanHint, PlanNode } from '../../../../protocol/plan';
import type { HintContext } from './context';
import { compact, num, relationLabel, rowsTotal } from './context';

/** Heap fetches per row returned from which the hint fires. */
export const MIN_FETCH_FRACTION = 0.1;
/** Heap fetches (all loops) below which it does not matter. */
export const MIN_FETCHES = 1000;

export function indexOnlyHeapFetches(node: PlanNode, context: HintContext): PlanHint | undefined {
  if (node['Node Type'] !== 'Index Only Scan') return undefined;
  const fetches = num(node, 'Heap Fetches');
  const rows = rowsTotal(node);
  if (fetches === undefined || rows === undefined || fetches < MIN_FETCHES || fetches < rows * MIN_FETCH_FRACTION) return undefined;
  return {
    kind: 'index-only-heap-fetches',
    nodeId: context.entry.id,
    severity: 'warning',
    title: `Index Only Scan on ${relationLabel(node)} fetched ${compact(fetches)} rows from the table for ${compact(rows)} returned`,
    advice: `VACUUM ${relationLabel(node)} so its visibility map lets the scan skip the table (and check autovacuum keeps up).`,
  };
}
