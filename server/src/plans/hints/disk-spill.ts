/**
 * Sorts, hashes and hash aggregates that did not fit in work_mem and went to disk. The advice sizes
 * work_mem from what was written: a sort in memory needs about 2-3× its on-disk size.
 */
import type { PlanHint, PlanNode } from '../../../../protocol/plan';
import type { HintContext } from './context';
import { num } from './context';

/** Memory an in-memory sort takes for what it wrote to disk. */
export const MEMORY_PER_DISK = 3;
/** Above this, raising work_mem for one query is no advice: every such node of every session may take it. */
export const MAX_WORK_MEM_MB = 256;

export function diskSpill(node: PlanNode, context: HintContext): PlanHint | undefined {
  const type = node['Node Type'];
  let what: string | undefined;
  let diskKb = 0;
  if (node['Sort Space Type'] === 'Disk' || /external/.test(String(node['Sort Method'] ?? ''))) {
    what = `${type} went to disk (${String(node['Sort Method'])})`;
    diskKb = num(node, 'Sort Space Used') ?? 0;
  } else if (type === 'Hash' && (num(node, 'Hash Batches') ?? 1) > 1) {
    what = `Hash split its input in ${num(node, 'Hash Batches')} batches on disk`;
    diskKb = (num(node, 'Peak Memory Usage') ?? 0) * (num(node, 'Hash Batches') ?? 1);
  } else if ((num(node, 'HashAgg Batches') ?? 1) > 1 || (num(node, 'Disk Usage') ?? 0) > 0) {
    what = `HashAggregate spilled ${num(node, 'Disk Usage') ?? 0} kB to disk in ${num(node, 'HashAgg Batches')} batches`;
    diskKb = num(node, 'Disk Usage') ?? 0;
  } else if (node['Storage'] === 'Disk') {
    what = `${type} stored ${num(node, 'Maximum Storage') ?? 0} kB on disk`;
    diskKb = num(node, 'Maximum Storage') ?? 0;
  }
  if (!what) return undefined;
  if (!(diskKb > 0)) return undefined;
  const needMb = Math.max(1, Math.ceil((diskKb * MEMORY_PER_DISK) / 1024));
  const ordered = type === 'Sort' || type === 'Incremental Sort' ? ' (an index that returns the rows in this order removes the sort)' : '';
  return {
    kind: 'disk-spill',
    nodeId: context.entry.id,
    severity: 'warning',
    title: `${what}: ${formatKb(diskKb)} on disk`,
    advice:
      needMb <= MAX_WORK_MEM_MB
        ? `It would fit in memory with work_mem = '${needMb}MB' for this query (SET LOCAL work_mem = '${needMb}MB' in its transaction).`
        : `It needs about ${needMb} MB, too much for work_mem: make the input smaller${ordered}.`,
  };
}

function formatKb(kb: number): string {
  return kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${kb} kB`;
}
