/**
 * A sequential scan that reads a large table to keep few of its rows: an index on the filtered
 * columns would read only those. The suggestion puts equality columns first, then one range column
 * (a btree can use only one range after the equalities). `IS NULL`, `IS NOT NULL`, `<>` and boolean
 * tests become a partial-index predicate instead of key columns: a btree cannot seek on them, but a
 * partial index keeps only the rows they select. No hint when the snapshot shows an index that already
 * leads with the first suggested column (then the planner chose not to use it: a statistics matter).
 */
import type { IndexSuggestion, PlanHint, PlanNode } from '../../../../protocol/plan';
import type { SchemaSnapshot, TableInfo } from '../../../../protocol/schema';
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
  const table = context.snapshot ? tableOf(context.snapshot, node) : undefined;
  const rows = scanRows(node, table);
  if (!rows || rows.read < MIN_TABLE_ROWS || (rows.read - rows.kept) / rows.read < MIN_REMOVED_FRACTION) return undefined;
  const index = suggestIndex(node, node.Filter);
  if (!index) return undefined;
  // Without VERBOSE the plan names no schema: the snapshot knows it, so the index lands on the right table.
  if (!index.schema && table) index.schema = table.schema;
  if (table && indexesCovering(table, index.columns[0])[0]?.columns[0] === index.columns[0]) return undefined;
  const fraction = (rows.read - rows.kept) / rows.read;
  const percent = (fraction * 100).toFixed(fraction > 0.999 ? 2 : 1);
  return {
    kind: 'indexable-seq-scan',
    nodeId: context.entry.id,
    severity: 'warning',
    title: rows.estimated
      ? `Seq Scan on ${relationLabel(node)} reads all ~${compact(rows.read)} rows of the table to keep an estimated ${compact(rows.kept)} (${percent}% discarded)`
      : `Seq Scan on ${relationLabel(node)} reads ${compact(rows.read)} rows and its filter discards ${percent}% of them`,
    advice: `An index on (${index.columns.join(', ')})${index.predicate ? ` WHERE ${index.predicate}` : ''} would read only the ${compact(rows.kept)} rows kept.`,
    index,
  };
}

/**
 * Rows read and kept: measured with ANALYZE; else the table's row estimate (from the snapshot) against
 * the planner's estimate of the rows kept, so that hover, which never runs the query, can hint too.
 */
function scanRows(node: PlanNode, table: TableInfo | undefined): { read: number; kept: number; estimated: boolean } | undefined {
  const kept = rowsTotal(node);
  if (kept !== undefined) {
    const removed = (num(node, 'Rows Removed by Filter') ?? 0) * (num(node, 'Actual Loops') ?? 1);
    return { read: kept + removed, kept, estimated: false };
  }
  const planned = num(node, 'Plan Rows');
  if (!table || planned === undefined || !(table.rowEstimate > 0)) return undefined;
  return { read: table.rowEstimate, kept: planned, estimated: true };
}

/** The scanned table: by schema when the plan names it (VERBOSE), else the one table of that name. */
function tableOf(snapshot: SchemaSnapshot, node: PlanNode): TableInfo | undefined {
  const name = String(node['Relation Name']);
  if (typeof node.Schema === 'string') return findTable(snapshot, `${node.Schema}.${name}`);
  const matches = snapshot.tables.filter((table) => table.name === name);
  return matches.length === 1 ? matches[0] : findTable(snapshot, name);
}

export function suggestIndex(node: PlanNode, filter: string): IndexSuggestion | undefined {
  const comparisons = readConditions(filter).filter((item) => item.constant);
  let equality = comparisons.filter((item) => item.operator === '=' || item.operator === '= ANY');
  let range = comparisons.filter((item) => ['<', '<=', '>', '>='].includes(item.operator));
  const predicates = comparisons.filter((item) => ['IS NULL', 'IS NOT NULL', '<>', 'true', 'false'].includes(item.operator));
  // A query run with values (`$1`) and fixed literals (`status = 'open'`): the values are the index's
  // keys, the literals its partial predicate, so the index holds only the rows that query can want.
  const parameterized = [...equality, ...range].filter((item) => isParameter(item.value));
  if (parameterized.length > 0) {
    const literalEqualities = equality.filter((item) => !isParameter(item.value) && item.operator === '=');
    predicates.push(...literalEqualities);
    equality = equality.filter((item) => isParameter(item.value));
    range = range.filter((item) => isParameter(item.value));
  }
  const columns = unique([...equality.map((item) => item.column), ...range.slice(0, 1).map((item) => item.column)]);
  if (columns.length === 0) columns.push(...unique(predicates.map((item) => item.column)));
  if (columns.length === 0) return undefined;
  const suggestion: IndexSuggestion = { table: String(node['Relation Name']), columns };
  if (typeof node.Schema === 'string') suggestion.schema = node.Schema;
  if (predicates.length > 0) suggestion.predicate = predicates.map((item) => unqualified(item.text)).join(' AND ');
  return suggestion;
}

/** `$1`, `(InitPlan 1).col1`: a value the query is run with, not a literal written in it. */
function isParameter(value: string | undefined): boolean {
  return value !== undefined && /^(\$\d+|\(InitPlan \d+\)\.col\d+)(::[\w ."[\]]+)?$/.test(value.trim());
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** `o.deleted_at IS NULL` → `deleted_at IS NULL`: an index predicate names the table's columns. */
function unqualified(text: string): string {
  return text.replace(/^(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)\.(?=["a-z_])/i, '');
}
