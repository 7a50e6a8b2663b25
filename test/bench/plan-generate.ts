/**
 * `generatePlan(nodeCount)`: a deterministic EXPLAIN ANALYZE plan of about `nodeCount` nodes (joins,
 * hashes, sorts, aggregates, appends, filtered scans) with consistent figures, keyed as PostgreSQL's
 * JSON; `planToText` prints it as EXPLAIN TEXT. Used by the plan benches (parser here, webview there).
 */
import type { ExplainResult, PlanNode } from '../../protocol/plan';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

export function generatePlan(nodeCount: number, seed = 42): ExplainResult {
  const next = random(seed);
  let tables = 0;
  const base = (type: string, extra: Record<string, unknown>): PlanNode => ({ 'Node Type': type, ...extra, 'Parallel Aware': false, 'Async Capable': false });

  /** Builds a subtree of exactly `budget` nodes. */
  const build = (budget: number): PlanNode => {
    if (budget <= 1) {
      const k = tables++;
      const rows = 100 + Math.floor(next() * 50_000);
      const kept = Math.max(1, Math.floor(rows * next()));
      const node = base('Seq Scan', { 'Relation Name': `t${k}`, Alias: `t${k}` });
      return finish(node, [], kept, rows * 0.00002, { Filter: `(c${k % 7} > ${k})`, 'Rows Removed by Filter': rows - kept });
    }
    const pick = next();
    if (budget >= 4 && pick < 0.35) {
      const outerSize = 1 + Math.floor((budget - 3) * next());
      const outer = build(outerSize);
      const inner = build(budget - 2 - outerSize);
      const hash = finish(base('Hash', {}), [inner], num(inner, 'Actual Rows'), 0.01, {
        'Hash Buckets': 1024,
        'Original Hash Buckets': 1024,
        'Hash Batches': 1,
        'Original Hash Batches': 1,
        'Peak Memory Usage': 64,
      });
      const rows = Math.max(1, Math.floor(Math.min(num(outer, 'Actual Rows'), num(inner, 'Actual Rows')) * next()));
      return finish(base('Hash Join', { 'Join Type': 'Inner' }), [outer, hash], rows, 0.05, { 'Hash Cond': `(${alias(outer)}.id = ${alias(inner)}.id)` });
    }
    if (budget >= 3 && pick < 0.5) {
      const outerSize = 1 + Math.floor((budget - 2) * next());
      const outer = build(outerSize);
      const inner = build(budget - 1 - outerSize);
      return finish(base('Nested Loop', { 'Join Type': 'Inner' }), [outer, inner], Math.max(1, num(outer, 'Actual Rows')), 0.02, {});
    }
    if (budget >= 4 && pick < 0.6) {
      const members: PlanNode[] = [];
      let left = budget - 1;
      while (left > 0) {
        const size = Math.max(1, Math.min(left, 1 + Math.floor(next() * 3)));
        members.push(build(size));
        left -= size;
      }
      const rows = members.reduce((sum, member) => sum + num(member, 'Actual Rows'), 0);
      return finish(base('Append', {}), members, rows, 0.01, { 'Subplans Removed': 0 });
    }
    const child = build(budget - 1);
    if (pick < 0.8) {
      return finish(base('Sort', {}), [child], num(child, 'Actual Rows'), 0.03, {
        'Sort Key': [`${alias(child)}.id`],
        'Sort Method': 'quicksort',
        'Sort Space Used': 25,
        'Sort Space Type': 'Memory',
      });
    }
    return finish(base('Aggregate', { Strategy: 'Plain', 'Partial Mode': 'Simple' }), [child], 1, 0.04, {});
  };
  const root = build(Math.max(1, nodeCount));
  return { Plan: root, 'Planning Time': 1.234, Triggers: [], 'Execution Time': round(num(root, 'Actual Total Time') + 0.1, 3) };
}

function num(node: PlanNode, key: string): number {
  return node[key] as number;
}

function alias(node: PlanNode): string {
  let current = node;
  while (typeof current.Alias !== 'string' && current.Plans?.length) current = current.Plans[0];
  return String(current.Alias ?? 'x');
}

/** Sets costs, rows and times from the children; `Parent Relationship` on them. */
function finish(node: PlanNode, children: PlanNode[], rows: number, ownTime: number, extra: Record<string, unknown>): PlanNode {
  const childCost = children.reduce((sum, child) => sum + num(child, 'Total Cost'), 0);
  const childTime = children.reduce((sum, child) => sum + num(child, 'Actual Total Time'), 0);
  const relationships = node['Node Type'] === 'Append' ? children.map(() => 'Member') : ['Outer', 'Inner'];
  children.forEach((child, k) => {
    const entries = Object.entries(child);
    for (const key of Object.keys(child)) delete child[key];
    Object.assign(child, Object.fromEntries([entries[0], ['Parent Relationship', relationships[k]], ...entries.slice(1)]));
  });
  Object.assign(node, {
    'Startup Cost': round(childCost * 0.1, 2),
    'Total Cost': round(childCost + rows * 0.01 + 1, 2),
    'Plan Rows': rows,
    'Plan Width': 8,
    'Actual Startup Time': round((childTime + ownTime) * 0.1, 3),
    'Actual Total Time': round(childTime + ownTime, 3),
    'Actual Rows': rows,
    'Actual Loops': 1,
    ...extra,
  });
  if (children.length > 0) node.Plans = children;
  return node;
}

/** The plan as EXPLAIN ANALYZE prints it in TEXT (the node kinds generatePlan makes). */
export function planToText(result: ExplainResult): string {
  const lines: string[] = [];
  const walk = (node: PlanNode, level: number): void => {
    // As explain.c: a child's arrow at its parent's property column, properties 2 right of the name.
    const name = level > 0 ? `${' '.repeat(level * 6 - 4)}->  ` : '';
    const figures = `  (cost=${num(node, 'Startup Cost').toFixed(2)}..${num(node, 'Total Cost').toFixed(2)} rows=${num(node, 'Plan Rows')} width=${num(node, 'Plan Width')}) (actual time=${num(node, 'Actual Startup Time').toFixed(3)}..${num(node, 'Actual Total Time').toFixed(3)} rows=${num(node, 'Actual Rows')} loops=${num(node, 'Actual Loops')})`;
    const type = node['Node Type'];
    const description = type === 'Seq Scan' ? `Seq Scan on ${String(node['Relation Name'])}` : type;
    lines.push(`${name}${description}${figures}`);
    const prop = (text: string): number => lines.push(`${' '.repeat(level * 6 + 2)}${text}`);
    if (node.Filter) prop(`Filter: ${String(node.Filter)}`);
    if (num(node, 'Rows Removed by Filter')) prop(`Rows Removed by Filter: ${num(node, 'Rows Removed by Filter')}`);
    if (node['Hash Cond']) prop(`Hash Cond: ${String(node['Hash Cond'])}`);
    if (node['Sort Key']) prop(`Sort Key: ${(node['Sort Key'] as string[]).join(', ')}`);
    if (node['Sort Method']) prop(`Sort Method: ${String(node['Sort Method'])}  Memory: ${num(node, 'Sort Space Used')}kB`);
    if (type === 'Hash') prop(`Buckets: ${num(node, 'Hash Buckets')}  Batches: ${num(node, 'Hash Batches')}  Memory Usage: ${num(node, 'Peak Memory Usage')}kB`);
    for (const child of node.Plans ?? []) walk(child, level + 1);
  };
  walk(result.Plan, 0);
  lines.push(`Planning Time: ${String(result['Planning Time'])} ms`, `Execution Time: ${String(result['Execution Time'])} ms`);
  return lines.join('\n') + '\n';
}
