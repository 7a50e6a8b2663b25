/**
 * Actual rows far from the planner's estimate, reported where the error starts (not on every parent
 * that inherits it): bad estimates pick bad join orders and methods.
 */
import type { PlanHint, PlanNode } from '../../../../protocol/plan';
import { misestimateOf } from '../figures';
import type { HintContext } from './context';
import { compact, num } from './context';
import { readConditions } from './conditions';

/** Actual / estimated rows (or the inverse) from which a node is reported. */
export const MIN_FACTOR = 10;
/** Below this many rows on both sides, a factor means little (1 row vs 12). */
export const MIN_ROWS = 100;
/** Bitmap nodes report no rows; the counts of their heap scan carry the estimate. */
const NO_ROWS = new Set(['Bitmap Index Scan', 'BitmapAnd', 'BitmapOr']);

export function rowMisestimate(node: PlanNode, context: HintContext): PlanHint | undefined {
  const misestimate = misestimateOf(node);
  if (!misestimate || misestimate.factor < MIN_FACTOR || NO_ROWS.has(node['Node Type'])) return undefined;
  // Fewer rows than estimated is expected below a node that stops reading early (LIMIT, EXISTS, a merge).
  if (misestimate.direction === 'over' && stopsEarlyAbove(context)) return undefined;
  const actual = num(node, 'Actual Rows') ?? 0;
  const planned = num(node, 'Plan Rows') ?? 0;
  if (Math.max(actual, planned) < MIN_ROWS) return undefined;
  // Inherited: a child is already off by as much in the same direction.
  const inherited = context.entry.children.some((child) => {
    const other = misestimateOf(child.node);
    return other !== undefined && other.direction === misestimate.direction && other.factor >= misestimate.factor / 2 && other.factor >= MIN_FACTOR;
  });
  if (inherited) return undefined;
  const table = typeof node['Relation Name'] === 'string' ? node['Relation Name'] : undefined;
  const conditions = readConditions(String(node.Filter ?? node['Index Cond'] ?? node['Recheck Cond'] ?? ''));
  const columns = [...new Set(conditions.map((item) => item.column))];
  let advice: string;
  if (table && columns.length > 1) advice = `Run ANALYZE ${table}; if it stays off, the columns ${columns.join(', ')} are correlated: CREATE STATISTICS ON ${columns.join(', ')} FROM ${table}.`;
  else if (table && columns.length === 1) advice = `Run ANALYZE ${table}; if it stays off, raise the statistics target: ALTER TABLE ${table} ALTER COLUMN ${columns[0]} SET STATISTICS 1000.`;
  else advice = 'Run ANALYZE on the tables below this node; join estimates improve with extended statistics on the join columns.';
  return {
    kind: 'row-misestimate',
    nodeId: context.entry.id,
    severity: misestimate.factor >= 100 ? 'warning' : 'info',
    title: `${node['Node Type']} returned ${compact(actual)} rows per loop where the planner expected ${compact(planned)} (${misestimate.direction}estimated ${Math.round(misestimate.factor)}×)`,
    advice,
  };
}

function stopsEarlyAbove(context: HintContext): boolean {
  for (let up = context.entry.parent; up; up = up.parent) {
    const type = up.node['Node Type'];
    if (type === 'Limit' || type === 'Merge Join' || up.node['Join Type'] === 'Semi' || up.node['Join Type'] === 'Anti') return true;
  }
  return false;
}
