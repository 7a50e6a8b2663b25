/**
 * Actual rows far from the planner's estimate, reported where the error starts (not on every parent
 * that inherits it): bad estimates pick bad join orders and methods.
 */
import type { PlanHint, PlanNode } from '../../../../protocol/plan';
import { misestimateOf } from '../figures';
import type { HintContext } from './context';
import { compact, num } from './context';
import { bareColumn, readConjuncts, unqualify } from '../../indexes/expressions';
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
  const advice = fixFor(node);
  if (!advice) return undefined;
  return {
    kind: 'row-misestimate',
    nodeId: context.entry.id,
    severity: misestimate.factor >= 100 ? 'warning' : 'info',
    title: `${node['Node Type']} returned ${compact(actual)} rows per loop where the planner expected ${compact(planned)} (${misestimate.direction}estimated ${Math.round(misestimate.factor)}×)`,
    advice,
  };
}

/** Nodes whose filter reads computed rows (HAVING, a window function's result): no statistics describe them. */
const UNFIXABLE_FILTERS = new Set(['Aggregate', 'Group', 'WindowAgg', 'Subquery Scan', 'Result', 'Function Scan', 'CTE Scan']);
const JOINS = new Set(['Nested Loop', 'Hash Join', 'Merge Join']);

/** What would fix the estimate, or undefined when nothing would (then no hint: it would lead nowhere). */
function fixFor(node: PlanNode): string | undefined {
  const type = node['Node Type'];
  if (UNFIXABLE_FILTERS.has(type)) return undefined;
  if (JOINS.has(type)) return 'Run ANALYZE on the tables below this node; if it stays off, the join columns are correlated with the filters: extended statistics (CREATE STATISTICS … ON the filtered columns) help the planner.';
  const table = typeof node['Relation Name'] === 'string' ? node['Relation Name'] : undefined;
  const condition = String(node.Filter ?? node['Index Cond'] ?? node['Recheck Cond'] ?? '');
  if (!table || condition === '') return undefined;
  const columns = [...new Set(readConditions(condition).map((item) => item.column))];
  const alias = typeof node.Alias === 'string' ? node.Alias : table;
  const expressions = readConjuncts(condition).flatMap((part) => (part.kind === 'atom' && bareColumn(part.left, alias) === undefined && part.left.aliases.size <= 1 && /\(/.test(part.left.text) ? [unqualify(part.left.text, alias)] : []));
  if (expressions.length > 0) return `The planner has no statistics on ${expressions.join(', ')}: CREATE STATISTICS ON (${expressions[0]}) FROM ${table} (PostgreSQL 14+), or an index on the expression, then ANALYZE ${table}.`;
  if (columns.length > 1) return `Run ANALYZE ${table}; if it stays off, the columns ${columns.join(', ')} are correlated: CREATE STATISTICS ON ${columns.join(', ')} FROM ${table}.`;
  if (columns.length === 1) return `Run ANALYZE ${table}; if it stays off, raise the statistics target: ALTER TABLE ${table} ALTER COLUMN ${columns[0]} SET STATISTICS 1000.`;
  return undefined;
}

function stopsEarlyAbove(context: HintContext): boolean {
  for (let up = context.entry.parent; up; up = up.parent) {
    const type = up.node['Node Type'];
    if (type === 'Limit' || type === 'Merge Join' || up.node['Join Type'] === 'Semi' || up.node['Join Type'] === 'Anti') return true;
  }
  return false;
}
