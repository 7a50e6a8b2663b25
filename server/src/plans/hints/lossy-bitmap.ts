/** A bitmap heap scan whose bitmap outgrew work_mem and became lossy: whole pages are rechecked. */
import type { PlanHint, PlanNode } from '../../../../protocol/plan';
import type { HintContext } from './context';
import { compact, num } from './context';

/** Share of lossy blocks from which the hint is a warning rather than information. */
export const WARNING_FRACTION = 0.1;

export function lossyBitmap(node: PlanNode, context: HintContext): PlanHint | undefined {
  const lossy = num(node, 'Lossy Heap Blocks') ?? 0;
  if (node['Node Type'] !== 'Bitmap Heap Scan' || lossy <= 0) return undefined;
  const exact = num(node, 'Exact Heap Blocks') ?? 0;
  const rechecked = num(node, 'Rows Removed by Index Recheck') ?? 0;
  return {
    kind: 'lossy-bitmap',
    nodeId: context.entry.id,
    severity: lossy / (lossy + exact) >= WARNING_FRACTION ? 'warning' : 'info',
    title: `Bitmap Heap Scan went lossy on ${compact(lossy)} of ${compact(lossy + exact)} heap blocks${rechecked ? `, rechecking away ${compact(rechecked)} rows` : ''}`,
    advice: 'Raise work_mem so the bitmap keeps exact rows, or narrow the condition.',
  };
}
