/**
 * Runs every hint check (one file each in this folder) over a plan: `planHints(result, snapshot?)`.
 * Figures (`pglens` on the nodes) are computed first when missing, since some checks read them.
 */
import type { ExplainResult, PlanHint } from '../../../../protocol/plan';
import type { SchemaSnapshot } from '../../../../protocol/schema';
import { computeFigures, inclusiveTime, isAnalyzed } from '../figures';
import { flattenPlan } from '../tree';
import type { HintCheck, HintContext } from './context';
import { diskSpill } from './disk-spill';
import { dominantNode } from './dominant-node';
import { fkJoinWithoutIndex } from './fk-join-without-index';
import { indexOnlyHeapFetches } from './index-only-heap-fetches';
import { indexableSeqScan } from './indexable-seq-scan';
import { inefficientFilter } from './inefficient-filter';
import { jitDominates } from './jit-dominates';
import { lossyBitmap } from './lossy-bitmap';
import { nestedLoopLargeOuter } from './nested-loop-large-outer';
import { rowMisestimate } from './row-misestimate';
import { workersNotLaunched } from './workers-not-launched';

export type { HintCheck, HintContext } from './context';

/** In the order hints are listed for one node: the most actionable first. */
export const HINT_CHECKS: readonly HintCheck[] = [
  indexableSeqScan,
  fkJoinWithoutIndex,
  diskSpill,
  lossyBitmap,
  indexOnlyHeapFetches,
  nestedLoopLargeOuter,
  inefficientFilter,
  rowMisestimate,
  workersNotLaunched,
  jitDominates,
  dominantNode,
];

const SEVERITY = { warning: 0, info: 1 } as const;

/** Hints for one plan, warnings first, then in plan order. */
export function planHints(result: ExplainResult, snapshot?: SchemaSnapshot): PlanHint[] {
  const nodes = flattenPlan(result.Plan);
  if (nodes.some((entry) => !entry.node.pglens)) {
    const figures = computeFigures(nodes);
    nodes.forEach((entry, k) => {
      entry.node.pglens = figures[k];
    });
  }
  const rootTime = isAnalyzed(result.Plan) ? inclusiveTime(nodes[0]) : undefined;
  const hints: PlanHint[] = [];
  for (const entry of nodes) {
    const context: HintContext = { result, entry, nodes, rootTime, snapshot };
    for (const check of HINT_CHECKS) {
      const hint = check(entry.node, context);
      if (hint) hints.push(hint);
    }
  }
  return onePerCause(withoutLoneDominant(hints)).sort((a, b) => SEVERITY[a.severity] - SEVERITY[b.severity] || a.nodeId - b.nodeId);
}

/** "Start here" only where another hint on the same node says what to do. */
function withoutLoneDominant(hints: PlanHint[]): PlanHint[] {
  return hints.filter((hint) => hint.kind !== 'dominant-node' || hints.some((other) => other !== hint && other.nodeId === hint.nodeId && other.kind !== 'dominant-node'));
}

/** Hints with the same kind and advice become one, naming how many nodes it covers (`nodeIds`). */
function onePerCause(hints: PlanHint[]): PlanHint[] {
  const byCause = new Map<string, PlanHint>();
  for (const hint of hints) {
    const key = `${hint.kind}\0${hint.advice}`;
    const first = byCause.get(key);
    if (!first) {
      byCause.set(key, { ...hint });
      continue;
    }
    first.nodeIds = [...(first.nodeIds ?? [first.nodeId]), hint.nodeId];
    if (hint.severity === 'warning') first.severity = 'warning';
  }
  return [...byCause.values()].map((hint) => (hint.nodeIds ? { ...hint, title: `${hint.title} (and ${hint.nodeIds.length - 1} more node${hint.nodeIds.length > 2 ? 's' : ''} alike)` } : hint));
}
