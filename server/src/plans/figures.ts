/**
 * Per-node figures (protocol/plan.ts `NodeFigures`): pre-order ids, depth, exclusive time, cost,
 * buffers and I/O time, misestimates. Pure: returns the figures; `parse.ts` attaches them.
 *
 * Exclusive time follows PEV2 and explain.depesz.com:
 * - a node's inclusive time is `Actual Total Time × Actual Loops`, divided by the number of processes
 *   when it runs under a Gather / Gather Merge (`Workers Launched + 1`: the leader participates by
 *   default), since PostgreSQL reports the per-loop average over all processes;
 * - a node's exclusive time is its inclusive time minus its children's, except InitPlans: an InitPlan
 *   runs when its value is first needed, so its time is inside the node that uses it. A CTE's time is
 *   taken off the CTE Scans reading it (once in all, in plan order), another InitPlan's off the deepest
 *   node whose expressions name its parameter (`$0`, or `(InitPlan 1)` on PostgreSQL 18), or the
 *   Gather that evaluates it for its workers; when no user is found, off the node it is attached to;
 * - SubPlans run inside the expressions of their parent, so they are subtracted from it like children.
 * EXPLAIN rounds per-loop times to 3 decimals: over many loops (an inner index scan run 3,000 times at
 * "0.001 ms") the children can add up to more than their parent. Then the children's times, and their
 * subtrees', are scaled down in proportion to fit in the parent, so that no exclusive time is negative
 * and they add up to the root's time. Only an InitPlan larger than every node it can be taken off can
 * still leave a negative rest; it is clamped to 0.
 * Buffers and I/O times (integers, no rounding) are subtracted without scaling, PostgreSQL sums them
 * over processes so there is no division either, and a negative rest is clamped to 0.
 */
import type { NodeFigures, PlanNode } from '../../../protocol/plan';
import type { TreeNode } from './tree';
import { num, subtree } from './tree';

type Buffers = NonNullable<NodeFigures['exclusiveBuffers']>;

const BUFFER_KEYS: Record<keyof Buffers, string> = {
  sharedHit: 'Shared Hit Blocks',
  sharedRead: 'Shared Read Blocks',
  sharedDirtied: 'Shared Dirtied Blocks',
  sharedWritten: 'Shared Written Blocks',
  tempRead: 'Temp Read Blocks',
  tempWritten: 'Temp Written Blocks',
  localHit: 'Local Hit Blocks',
  localRead: 'Local Read Blocks',
};

/** I/O timing keys: PostgreSQL ≤ 16, then 17+ (split by shared/local/temp). */
const IO_TIME_KEYS = [
  'I/O Read Time',
  'I/O Write Time',
  'Shared I/O Read Time',
  'Shared I/O Write Time',
  'Local I/O Read Time',
  'Local I/O Write Time',
  'Temp I/O Read Time',
  'Temp I/O Write Time',
];

const GATHERS = new Set(['Gather', 'Gather Merge']);

/** True when the plan carries EXPLAIN ANALYZE figures. */
export function isAnalyzed(root: PlanNode): boolean {
  return num(root, 'Actual Loops') !== undefined || num(root, 'Actual Total Time') !== undefined;
}

/** Time spent in the node and everything under it, over all loops, per process. */
export function inclusiveTime(entry: TreeNode): number {
  const loops = num(entry.node, 'Actual Loops') ?? 1;
  const total = num(entry.node, 'Actual Total Time') ?? 0;
  return (total * loops) / processes(entry);
}

/** Processes a node runs in: those of the nearest Gather above it, else 1. */
function processes(entry: TreeNode): number {
  for (let up = entry.parent; up; up = up.parent) {
    if (GATHERS.has(up.node['Node Type'])) return (num(up.node, 'Workers Launched') ?? 0) + 1;
  }
  return 1;
}

/** Computes the figures of every node of a flattened tree (same order). */
export function computeFigures(nodes: TreeNode[]): NodeFigures[] {
  const analyzed = nodes.length > 0 && isAnalyzed(nodes[0].node);
  const moves = initPlanTargets(nodes);
  const rootTime = analyzed ? inclusiveTime(nodes[0]) : 0;
  const times = analyzed ? exclusiveTimes(nodes, moves) : undefined;
  const hasBuffers = nodes.some((entry) => Object.values(BUFFER_KEYS).some((key) => key in entry.node));
  const buffers = new Map<keyof Buffers, number[]>();
  if (hasBuffers) {
    for (const [field, key] of Object.entries(BUFFER_KEYS) as Array<[keyof Buffers, string]>) {
      buffers.set(field, exclusive(nodes, moves, (entry) => num(entry.node, key) ?? 0));
    }
  }
  const hasIo = nodes.some((entry) => IO_TIME_KEYS.some((key) => key in entry.node));
  const io = hasIo ? exclusive(nodes, moves, (entry) => IO_TIME_KEYS.reduce((sum, key) => sum + (num(entry.node, key) ?? 0), 0)) : undefined;

  return nodes.map((entry, k) => {
    const { node } = entry;
    const figures: NodeFigures = { id: entry.id, depth: entry.depth, exclusiveCost: exclusiveCost(entry) };
    if (times) {
      figures.exclusiveTime = times[k];
      figures.exclusiveTimePercent = rootTime > 0 ? (times[k] / rootTime) * 100 : 0;
      const loops = num(node, 'Actual Loops') ?? 0;
      figures.actualRowsTotal = (num(node, 'Actual Rows') ?? 0) * loops;
      const misestimate = misestimateOf(node);
      if (misestimate) figures.misestimate = misestimate;
    }
    if (hasBuffers) {
      const value = {} as Buffers;
      for (const field of Object.keys(BUFFER_KEYS) as Array<keyof Buffers>) value[field] = buffers.get(field)![k];
      figures.exclusiveBuffers = value;
    }
    if (io) figures.exclusiveIoTime = io[k];
    return figures;
  });
}

function exclusiveCost(entry: TreeNode): number {
  const own = num(entry.node, 'Total Cost') ?? 0;
  const children = entry.children.reduce((sum, child) => sum + (num(child.node, 'Total Cost') ?? 0), 0);
  return Math.max(0, own - children);
}

/** Actual rows per loop against the estimate; none when the node never ran. */
export function misestimateOf(node: PlanNode): NodeFigures['misestimate'] {
  const loops = num(node, 'Actual Loops');
  const actual = num(node, 'Actual Rows');
  const planned = num(node, 'Plan Rows');
  if (!loops || actual === undefined || planned === undefined) return undefined;
  const high = Math.max(actual, planned);
  const low = Math.max(Math.min(actual, planned), 1);
  return { factor: high / low, direction: actual > planned ? 'under' : 'over' };
}

/**
 * For every InitPlan child, the nodes its figures are taken off (see the header). A Map from the
 * InitPlan's entry to its targets, in order.
 */
function initPlanTargets(nodes: TreeNode[]): Map<TreeNode, TreeNode[]> {
  const moves = new Map<TreeNode, TreeNode[]>();
  for (const entry of nodes) {
    if (entry.node['Parent Relationship'] !== 'InitPlan' || !entry.parent) continue;
    const owner = entry.parent;
    const name = String(entry.node['Subplan Name'] ?? '');
    const inside = new Set(subtree(entry));
    const candidates = subtree(owner).filter((other) => !inside.has(other));
    let targets: TreeNode[] = [];
    if (name.startsWith('CTE ')) {
      const cte = name.slice(4);
      targets = candidates.filter((other) => other.node['Node Type'] === 'CTE Scan' && other.node['CTE Name'] === cte);
    } else {
      const refs = paramReferences(name);
      const users = refs.length === 0 ? [] : candidates.filter((other) => other !== owner && mentions(other.node, refs));
      if (users.length > 0) {
        const deepest = users.reduce((best, other) => (other.depth > best.depth ? other : best));
        targets = [gatherOnPath(deepest, owner) ?? deepest];
      }
    }
    moves.set(entry, targets.length > 0 ? targets : [owner]);
  }
  return moves;
}

/** `InitPlan 1 (returns $0,$1)` → [`$0`, `$1`]; `InitPlan 2` (PostgreSQL 18) → [`(InitPlan 2)`]. */
function paramReferences(name: string): RegExp[] {
  const returns = /\(returns ([^)]*)\)/.exec(name);
  if (returns) return returns[1].split(',').map((param) => new RegExp(`\\${param.trim()}(?!\\d)`));
  const plain = /^InitPlan (\d+)$/.exec(name);
  return plain ? [new RegExp(`\\(InitPlan ${plain[1]}\\)`)] : [];
}

function mentions(node: PlanNode, refs: RegExp[]): boolean {
  for (const [key, value] of Object.entries(node)) {
    if (key === 'Plans' || key === 'pglens' || key === 'Subplan Name') continue;
    const texts = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
    if (texts.some((text) => refs.some((ref) => ref.test(text)))) return true;
  }
  return false;
}

/** The topmost Gather between `owner` (excluded) and `entry` (included): the leader evaluates there. */
function gatherOnPath(entry: TreeNode, owner: TreeNode): TreeNode | undefined {
  let found: TreeNode | undefined;
  for (let up: TreeNode | undefined = entry; up && up !== owner; up = up.parent) {
    if (GATHERS.has(up.node['Node Type']) && up !== entry) found = up;
  }
  return found;
}

/** Exclusive times with the scaling described in the header (nodes are in pre-order). */
function exclusiveTimes(nodes: TreeNode[], moves: Map<TreeNode, TreeNode[]>): number[] {
  const index = new Map(nodes.map((entry, k) => [entry, k]));
  const inclusive = nodes.map(inclusiveTime);
  const effective = inclusive.slice();
  const scale = nodes.map(() => 1);
  const result = nodes.map(() => 0);
  nodes.forEach((entry, k) => {
    const regular = entry.children.filter((child) => !moves.has(child));
    const wanted = regular.map((child) => inclusive[index.get(child)!] * scale[k]);
    const total = wanted.reduce((sum, value) => sum + value, 0);
    const factor = total > effective[k] && total > 0 ? effective[k] / total : 1;
    regular.forEach((child, i) => {
      const c = index.get(child)!;
      effective[c] = wanted[i] * factor;
      scale[c] = scale[k] * factor;
    });
    for (const child of entry.children) {
      if (!moves.has(child)) continue;
      const c = index.get(child)!;
      effective[c] = inclusive[c] * scale[k];
      scale[c] = scale[k];
    }
    result[k] = effective[k] - total * factor;
  });
  return withMovedTime(result, effective, moves, index);
}

/** Exclusive values of an inclusive measure, clamped at 0 (see the header). */
function exclusive(nodes: TreeNode[], moves: Map<TreeNode, TreeNode[]>, inclusive: (entry: TreeNode) => number): number[] {
  const index = new Map(nodes.map((entry, k) => [entry, k]));
  const values = nodes.map((entry) => inclusive(entry));
  const result = values.slice();
  nodes.forEach((entry, k) => {
    for (const child of entry.children) {
      if (!moves.has(child)) result[k] -= values[index.get(child)!];
    }
  });
  return withMovedTime(result, values, moves, index);
}

/**
 * Takes each moved InitPlan's (or CTE's) time off the nodes that use its result, deepest first, the
 * rest off its parent; then clamps at 0.
 */
function withMovedTime(result: number[], inclusive: number[], moves: Map<TreeNode, TreeNode[]>, index: Map<TreeNode, number>): number[] {
  for (const [initPlan, targets] of moves) {
    let amount = inclusive[index.get(initPlan)!];
    for (const target of targets) {
      const k = index.get(target)!;
      const take = Math.min(amount, Math.max(result[k], 0));
      result[k] -= take;
      amount -= take;
    }
    if (amount > 0) result[index.get(initPlan.parent!)!] -= amount;
  }
  return result.map((value) => Math.max(0, value));
}
