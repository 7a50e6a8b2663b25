/**
 * A sequential scan that reads a large table to keep few of its rows: an index on the filtered
 * columns would read only those. The suggestion puts equality columns first, then one range column
 * (a btree can use only one range after the equalities). `IS NULL`, `IS NOT NULL`, `<>` and boolean
 * tests become a partial-index predicate instead of key columns: a btree cannot seek on them, but a
 * partial index keeps only the rows they select. No hint when the snapshot shows an index that already
 * leads with the first suggested column (then the planner chose not to use it: a statistics matter).
 */
import type { IndexSuggestion, PlanHint, PlanNode } from '../../../../protocol/plan';
import { findTable, indexesCovering } from '../../schema/lookup';
import { readConditions } from './conditions';
import type { HintContext } from './context';
import { compact, num, relationLabel, rowsTotal } from './context';

/** Rows the scan must read (kept + removed, all loops) before an index is worth suggesting. */
export const MIN_TABLE_ROWS = 10_000;
/** Share of the rows read that the filter must discard. */
export const MIN_REMOVED_FRACTION = 0.9;

export function indexableSeqScan(node: PlanNode, context: HintContext): PlanHint | undefined {
  if (node['Node Type'] !== 'Seq Scan' || typeof node.Filter !== 'string' || typeof node['Relation Name'] !== 'string') return undefined;
  const kept = rowsTotal(node);
  if (kept === undefined) return undefined;
  const removed = (num(node, 'Rows Removed by Filter') ?? 0) * (num(node, 'Actual Loops') ?? 1);
  const read = kept + removed;
  if (read < MIN_TABLE_ROWS || removed / read < MIN_REMOVED_FRACTION) return undefined;
  const index = suggestIndex(node, node.Filter);
  if (!index) return undefined;
  if (context.snapshot) {
    const table = findTable(context.snapshot, index.schema ? `${index.schema}.${index.table}` : index.table);
    if (table && indexesCovering(table, index.columns[0])[0]?.columns[0] === index.columns[0]) return undefined;
  }
  const percent = ((removed / read) * 100).toFixed(removed / read > 0.999 ? 2 : 1);
  return {
    kind: 'indexable-seq-scan',
    nodeId: context.entry.id,
    severity: 'warning',
    title: `Seq Scan on ${relationLabel(node)} reads ${compact(read)} rows and its filter discards ${percent}% of them`,
    advice: `An index on (${index.columns.join(', ')})${index.predicate ? ` WHERE ${index.predicate}` : ''} would read only the ${compact(kept)} rows kept.`,
    index,
  };
}

export function suggestIndex(node: PlanNode, filter: string): IndexSuggestion | undefined {
  const comparisons = readConditions(filter).filter((item) => item.constant);
  const equality = comparisons.filter((item) => item.operator === '=' || item.operator === '= ANY');
  const range = comparisons.filter((item) => ['<', '<=', '>', '>='].includes(item.operator));
  const predicates = comparisons.filter((item) => ['IS NULL', 'IS NOT NULL', '<>', 'true', 'false'].includes(item.operator));
  const columns = unique([...equality.map((item) => item.column), ...range.slice(0, 1).map((item) => item.column)]);
  if (columns.length === 0) columns.push(...unique(predicates.map((item) => item.column)));
  if (columns.length === 0) return undefined;
  const suggestion: IndexSuggestion = { table: String(node['Relation Name']), columns };
  if (typeof node.Schema === 'string') suggestion.schema = node.Schema;
  if (predicates.length > 0) suggestion.predicate = predicates.map((item) => unqualified(item.text)).join(' AND ');
  return suggestion;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** `o.deleted_at IS NULL` → `deleted_at IS NULL`: an index predicate names the table's columns. */
function unqualified(text: string): string {
  return text.replace(/^(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)\.(?=["a-z_])/i, '');
}
