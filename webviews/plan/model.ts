/**
 * The plan as the view draws it: a flat list of nodes in pre-order with parent links and the figures
 * the cards show. Uses the `pglens` figures when the engine computed them; without them it shows what
 * PostgreSQL printed (inclusive figures) and computes nothing clever.
 */
import type { ExplainResult, PlanHint, PlanNode } from '../../protocol/plan';
import type { PlanMetric } from '../../protocol/plan-view';

export interface ViewNode {
  /** `pglens.id`, else the pre-order position. */
  id: number;
  /** Position in `ViewPlan.nodes`. */
  index: number;
  parent: ViewNode | undefined;
  children: ViewNode[];
  plan: PlanNode;
  /** Rows flowing out of the node over all loops (actual when analyzed, else estimated). */
  rowsOut: number;
  /** Lower-cased text the search box looks in. */
  haystack: string;
  hints: PlanHint[];
}

export interface ViewPlan {
  result: ExplainResult;
  nodes: ViewNode[];
  byId: Map<number, ViewNode>;
  analyzed: boolean;
  /** Execution time (or root's total time), ms; ANALYZE only. */
  totalTime: number | undefined;
  totalCost: number;
  hints: PlanHint[];
}

const SEARCH_KEYS = ['Node Type', 'Relation Name', 'Schema', 'Alias', 'Index Name', 'CTE Name', 'Function Name', 'Subplan Name', 'Filter', 'Index Cond', 'Recheck Cond', 'Hash Cond', 'Merge Cond', 'Join Filter', 'Sort Key', 'Group Key', 'Strategy', 'Join Type'];

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

export function buildViewPlan(result: ExplainResult): ViewPlan {
  const nodes: ViewNode[] = [];
  const hints = result.pglens?.hints ?? [];
  const analyzed = result.pglens?.analyzed ?? num(result.Plan['Actual Total Time']) !== undefined;
  // Iterative pre-order walk: generated plans can be deeper than the call stack likes.
  const stack: Array<{ plan: PlanNode; parent: ViewNode | undefined }> = [{ plan: result.Plan, parent: undefined }];
  while (stack.length > 0) {
    const { plan, parent } = stack.pop()!;
    const loops = num(plan['Actual Loops']) ?? 1;
    const actual = num(plan['Actual Rows']);
    const node: ViewNode = {
      id: plan.pglens?.id ?? nodes.length,
      index: nodes.length,
      parent,
      children: [],
      plan,
      rowsOut: plan.pglens?.actualRowsTotal ?? (actual !== undefined ? actual * loops : (num(plan['Plan Rows']) ?? 0)),
      haystack: SEARCH_KEYS.map((key) => searchable(plan[key])).join('\n').toLowerCase(),
      hints: [],
    };
    nodes.push(node);
    parent?.children.push(node);
    const children = plan.Plans ?? [];
    for (let k = children.length - 1; k >= 0; k--) stack.push({ plan: children[k], parent: node });
  }
  const byId = new Map(nodes.map((node) => [node.id, node]));
  for (const hint of hints) byId.get(hint.nodeId)?.hints.push(hint);
  const root = result.Plan;
  return {
    result,
    nodes,
    byId,
    analyzed,
    totalTime: result.pglens?.totalTime ?? num(result['Execution Time']) ?? num(root['Actual Total Time']),
    totalCost: result.pglens?.totalCost ?? num(root['Total Cost']) ?? 0,
    hints,
  };
}

function searchable(value: unknown): string {
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.join(' ') : String(value);
}

/** The figure a metric colours by: exclusive when pglens computed it, else PostgreSQL's inclusive one. */
export function metricValue(node: ViewNode, metric: PlanMetric): number | undefined {
  const plan = node.plan;
  const figures = plan.pglens;
  switch (metric) {
    case 'time':
      return figures?.exclusiveTime;
    case 'cost':
      return figures?.exclusiveCost ?? num(plan['Total Cost']);
    case 'rows':
      return node.rowsOut;
    case 'buffers': {
      const b = figures?.exclusiveBuffers;
      if (b) return b.sharedHit + b.sharedRead + b.localHit + b.localRead + b.tempRead + b.tempWritten;
      const hit = num(plan['Shared Hit Blocks']);
      const read = num(plan['Shared Read Blocks']);
      return hit === undefined && read === undefined ? undefined : (hit ?? 0) + (read ?? 0);
    }
  }
}

/** One line naming what the node works on: relation, index, CTE, function or subplan. */
export function nodeTarget(plan: PlanNode): string {
  const relation = typeof plan['Relation Name'] === 'string' ? plan['Relation Name'] : undefined;
  const alias = typeof plan.Alias === 'string' && plan.Alias !== relation ? ` ${plan.Alias}` : '';
  const on = relation ? `${plan.Schema && plan.Schema !== 'public' ? `${plan.Schema}.` : ''}${relation}${alias}` : undefined;
  if (plan['Index Name']) return `${String(plan['Index Name'])}${on ? ` on ${on}` : ''}`;
  if (on) return on;
  // `Subplan Name` is not here: the card shows it as a tag already.
  for (const key of ['CTE Name', 'Function Name']) if (typeof plan[key] === 'string') return String(plan[key]);
  if (typeof plan['Join Type'] === 'string' && plan['Join Type'] !== 'Inner') return `${plan['Join Type']} join`;
  for (const key of ['Hash Cond', 'Merge Cond', 'Sort Key', 'Group Key', 'Strategy']) {
    const value = plan[key];
    if (value !== undefined) return searchable(value);
  }
  return '';
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toFixed(1)}G`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (value >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  return integer.format(value);
}

export function formatMs(value: number): string {
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 1) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(3)} ms`;
}

export function formatCost(value: number): string {
  return value >= 1e4 ? formatCount(value) : value.toFixed(value >= 100 ? 0 : 2);
}

/** "+12%" / "−40%"; '' when the base is 0. */
export function formatDelta(before: number, after: number): string {
  if (before === 0) return '';
  const percent = ((after - before) / before) * 100;
  const sign = percent > 0 ? '+' : percent < 0 ? '−' : '±';
  return `${sign}${Math.abs(percent).toFixed(percent !== 0 && Math.abs(percent) < 10 ? 1 : 0)}%`;
}

/** What identifies "the same node" across two plans of one statement: kind and what it reads. */
function signature(node: ViewNode): string {
  const p = node.plan;
  return [p['Node Type'], p['Relation Name'] ?? '', p.Alias ?? '', p['CTE Name'] ?? '', p['Subplan Name'] ?? ''].join('|');
}

/**
 * Pairs the nodes of two plans (before/after an index): same kind on the same table and alias, in tree
 * order; a scan that changed kind (Seq Scan → Index Scan on the same table) pairs with what is left on
 * that table. Returns after-node index → before node.
 */
export function matchNodes(before: ViewPlan, after: ViewPlan): Map<number, ViewNode> {
  const out = new Map<number, ViewNode>();
  const used = new Set<number>();
  const bySignature = new Map<string, ViewNode[]>();
  for (const node of before.nodes) bySignature.set(signature(node), [...(bySignature.get(signature(node)) ?? []), node]);
  for (const node of after.nodes) {
    const match = bySignature.get(signature(node))?.find((candidate) => !used.has(candidate.index));
    if (match) {
      used.add(match.index);
      out.set(node.index, match);
    }
  }
  for (const node of after.nodes) {
    const relation = node.plan['Relation Name'];
    if (out.has(node.index) || typeof relation !== 'string') continue;
    const match = before.nodes.find((candidate) => !used.has(candidate.index) && candidate.plan['Relation Name'] === relation && candidate.plan.Alias === node.plan.Alias);
    if (match) {
      used.add(match.index);
      out.set(node.index, match);
    }
  }
  return out;
}

/** The figure compared per node: own time when both plans were measured, else own cost. */
export function ownFigure(node: ViewNode, timed: boolean): number | undefined {
  return timed ? node.plan.pglens?.exclusiveTime : (node.plan.pglens?.exclusiveCost ?? (typeof node.plan['Total Cost'] === 'number' ? node.plan['Total Cost'] : undefined));
}
