/**
 * Plan hover: what PostgreSQL will do with the statement under the cursor — its estimated cost and
 * rows, the top of the plan tree, and the plan's hints with one line of advice each — as markdown.
 * Pure: the EXPLAIN has already run (server/src/lsp/plans.ts); this only writes it out.
 */
import type { ExplainResult, PlanHint, PlanNode } from '../../../protocol/plan';
import { statementAt } from '../document/analyze';
import type { AnalyzedStatement, DocumentAnalysis } from '../document/analyze';
import { scanTokens, significant } from '../sql/tokens';
import type { HoverInfo } from './hover';

/** Lines of the plan tree shown in a hover; the rest is one click away in the visualizer. */
const SHAPE_LINES = 8;
const SHOWN_HINTS = 5;

/** Statement kinds whose leading keyword shows the plan. */
const LEADING = new Set(['select', 'with', 'insert', 'update', 'delete', 'merge', 'values', 'table']);

/** The statement whose leading keyword (SELECT, WITH, INSERT, …) is under `offset`, with that keyword's span. */
export function statementAtLeadingKeyword(analysis: DocumentAnalysis, offset: number): { statement: AnalyzedStatement; start: number; end: number } | undefined {
  const statement = statementAt(analysis, offset);
  if (!statement || !statement.outcome.ok) return undefined;
  const first = significant(scanTokens(statement.segment.sql))[0];
  if (!first || !LEADING.has(first.text.toLowerCase())) return undefined;
  const start = statement.segment.start + first.start;
  const end = statement.segment.start + first.end;
  return offset >= start && offset <= end ? { statement, start, end } : undefined;
}

export interface PlanHoverInput {
  result: ExplainResult;
  /** Planned with placeholders for `$n`. */
  generic: boolean;
  /** Planned against the shadow (empty tables), not the user's database. */
  shadow: boolean;
  /** e.g. `PostgreSQL 15.19 · shop@db.example.com`. */
  sourceLabel: string;
  /** Command links (already `command:` URIs) to open the visualizer and to run EXPLAIN ANALYZE. */
  links?: { open: string; analyze?: string };
}

export function planHoverMarkdown(input: PlanHoverInput, range: { start: number; end: number }): HoverInfo {
  const { result } = input;
  const root = result.Plan;
  const header = [`**Plan** · cost ${formatNumber(root['Total Cost'] ?? 0)}`, `${formatCount(root['Plan Rows'] ?? 0)} rows`];
  if (input.generic) header.push('generic plan for `$n`');
  header.push(input.sourceLabel);
  const lines = [header.join(' · '), '', '```text', ...planShape(root, SHAPE_LINES), '```'];
  const hints = distinctHints(result.pglens?.hints ?? []);
  if (hints.length > 0) {
    lines.push('');
    for (const hint of hints.slice(0, SHOWN_HINTS)) lines.push(`- ${hintLine(hint)}`);
    if (hints.length > SHOWN_HINTS) lines.push(`- … ${hints.length - SHOWN_HINTS} more in the plan view`);
  }
  if (input.shadow) {
    lines.push('', '_Planned on the embedded shadow database: its tables are empty, so costs and row counts are not those of your data. Connect a database for real estimates._');
  }
  if (input.links) {
    const links = [`[Open plan](${input.links.open})`];
    if (input.links.analyze) links.push(`[EXPLAIN ANALYZE…](${input.links.analyze})`);
    lines.push('', links.join(' · '));
  }
  return { markdown: lines.join('\n'), range };
}

/** The tree's top nodes in pre-order, indented, with cost and rows: the plan's shape at a glance. */
export function planShape(root: PlanNode, maxLines: number): string[] {
  const rows: Array<{ label: string; figures: string }> = [];
  let total = 0;
  const visit = (node: PlanNode, depth: number): void => {
    total++;
    if (rows.length < maxLines) {
      const prefix = depth === 0 ? '' : `${'  '.repeat(depth - 1)}-> `;
      rows.push({ label: prefix + nodeLabel(node), figures: `cost ${formatNumber(node['Total Cost'] ?? 0)}  rows ${formatCount(node['Plan Rows'] ?? 0)}` });
    }
    for (const child of node.Plans ?? []) visit(child, depth + 1);
  };
  visit(root, 0);
  const width = Math.min(60, Math.max(...rows.map((row) => row.label.length)));
  const lines = rows.map((row) => `${row.label.padEnd(width)}  ${row.figures}`);
  if (total > rows.length) lines.push(`… ${total - rows.length} more nodes`);
  return lines;
}

const AGGREGATE_NAMES: Record<string, string> = { Hashed: 'HashAggregate', Sorted: 'GroupAggregate', Mixed: 'MixedAggregate' };

/** As PostgreSQL's TEXT format names a node: `Parallel Hash Left Join`, `Index Scan using x on t`. */
export function nodeLabel(node: PlanNode): string {
  let type = node['Node Type'];
  const join = node['Join Type'];
  if (typeof join === 'string' && join !== 'Inner') {
    if (type === 'Nested Loop') type = `Nested Loop ${join} Join`;
    else if (type.endsWith(' Join')) type = `${type.slice(0, -' Join'.length)} ${join} Join`;
  }
  if (node['Parallel Aware'] === true) type = `Parallel ${type}`;
  if (type === 'Aggregate' && typeof node.Strategy === 'string') type = AGGREGATE_NAMES[node.Strategy] ?? type;
  const index = node['Index Name'];
  const relation = node['Relation Name'];
  const alias = node.Alias;
  let label = type;
  if (typeof index === 'string') label += ` using ${index}`;
  if (typeof relation === 'string') label += ` on ${relation}${typeof alias === 'string' && alias !== relation ? ` ${alias}` : ''}`;
  else if (typeof node['CTE Name'] === 'string') label += ` on ${node['CTE Name']}`;
  return label;
}

/** One line per suggested index and per distinct text: ten scans of `orders` in a UNION want one index, not ten hints. */
function distinctHints(hints: readonly PlanHint[]): PlanHint[] {
  const seen = new Set<string>();
  return hints.filter((hint) => {
    const key = hint.index ? JSON.stringify([hint.kind, hint.index.schema, hint.index.table, hint.index.columns, hint.index.predicate]) : `${hint.title}\0${hint.advice}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function hintLine(hint: PlanHint): string {
  const mark = hint.severity === 'warning' ? '⚠' : 'ℹ';
  return `${mark} **${escapeMarkdown(hint.title)}** — ${escapeMarkdown(hint.advice)}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>]/g, (char) => `\\${char}`);
}

export function formatNumber(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : String(Math.round(value * 100) / 100);
}

export function formatCount(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toFixed(1)}G`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (value >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  return String(Math.round(value));
}
