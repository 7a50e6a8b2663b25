/**
 * `planSummary`: plain data for the hover over a statement: estimated cost and rows, the top of the
 * plan as indented lines (`Hash Join  (cost 18420, rows 1.2k)` / `  Seq Scan on orders  (…)`), and the
 * hints. The caller renders it (Markdown in the hover).
 */
import type { ExplainResult, PlanHint, PlanNode } from '../../../protocol/plan';
import { compact } from './hints/context';
import { planHints } from './hints/index';
import { flattenPlan } from './tree';

export interface PlanSummary {
  totalCost: number;
  /** The root's estimated rows. */
  estimatedRows: number;
  /** Actual rows and time of the root (ANALYZE only). */
  actualRows?: number;
  totalTime?: number;
  /** The first `maxNodes` nodes in plan order, each indented two spaces per level. */
  shape: string[];
  /** Nodes left out of `shape`. */
  moreNodes: number;
  hints: PlanHint[];
}

export function planSummary(result: ExplainResult, maxNodes = 6): PlanSummary {
  const nodes = flattenPlan(result.Plan);
  const shown = nodes.slice(0, Math.max(0, maxNodes));
  const root = result.Plan;
  const summary: PlanSummary = {
    totalCost: numberOr(root['Total Cost'], 0),
    estimatedRows: numberOr(root['Plan Rows'], 0),
    shape: shown.map((entry) => `${'  '.repeat(entry.depth)}${label(entry.node)}`),
    moreNodes: nodes.length - shown.length,
    hints: result.pglens?.hints ?? planHints(result),
  };
  if (typeof root['Actual Rows'] === 'number') summary.actualRows = root['Actual Rows'] * numberOr(root['Actual Loops'], 1);
  if (result.pglens?.totalTime !== undefined) summary.totalTime = result.pglens.totalTime;
  else if (typeof result['Execution Time'] === 'number') summary.totalTime = result['Execution Time'];
  return summary;
}

/** `Seq Scan on orders o  (cost 3493, rows 200k)`: the node as TEXT names it, with rounded figures. */
export function label(node: PlanNode): string {
  let name = node['Node Type'];
  if (node['Join Type'] && node['Join Type'] !== 'Inner') name = name.replace(/ Join$|$/, ` ${String(node['Join Type'])} Join`).replace('Nested Loop Join', 'Nested Loop');
  if (node['Parallel Aware'] === true) name = `Parallel ${name}`;
  if (typeof node['Index Name'] === 'string') name += ` using ${node['Index Name']}`;
  const target = node['Relation Name'] ?? node['CTE Name'] ?? node['Function Name'];
  if (typeof target === 'string') name += ` on ${target}${typeof node.Alias === 'string' && node.Alias !== target ? ` ${node.Alias}` : ''}`;
  if (typeof node['Subplan Name'] === 'string') name = `${node['Subplan Name']}: ${name}`;
  const figures: string[] = [];
  if (typeof node['Total Cost'] === 'number') figures.push(`cost ${Math.round(node['Total Cost'])}`);
  if (typeof node['Plan Rows'] === 'number') figures.push(`rows ${compact(node['Plan Rows'])}`);
  if (typeof node['Actual Loops'] === 'number' && node['Actual Loops'] === 0) figures.push('never executed');
  else if (typeof node['Actual Rows'] === 'number') figures.push(`actual ${compact(node['Actual Rows'] * numberOr(node['Actual Loops'], 1))}`);
  return figures.length > 0 ? `${name}  (${figures.join(', ')})` : name;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
