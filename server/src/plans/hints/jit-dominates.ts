/**
 * JIT compilation taking a large share of the execution time: common on short OLTP queries whose cost
 * estimate crossed jit_above_cost (inflated by a bad row estimate, or a big cost of a cheap query).
 * Checked on the root only, since JIT is plan-wide.
 */
import type { PlanHint, PlanNode } from '../../../../protocol/plan';
import type { HintContext } from './context';
import { num } from './context';

/** JIT total time as a share of Execution Time, above which JIT dominates. */
export const MIN_FRACTION = 0.5;

export function jitDominates(_node: PlanNode, context: HintContext): PlanHint | undefined {
  if (context.entry.id !== 0) return undefined;
  const { result } = context;
  const timing = result.JIT?.Timing;
  const execution = num(result, 'Execution Time');
  if (!timing || typeof timing !== 'object' || !execution) return undefined;
  const total = (timing as Record<string, unknown>).Total;
  const jit = typeof total === 'number' ? total : 0;
  if (jit / execution <= MIN_FRACTION) return undefined;
  return {
    kind: 'jit-dominates',
    nodeId: 0,
    severity: 'warning',
    title: `JIT compilation took ${jit.toFixed(1)} ms of ${execution.toFixed(1)} ms (${((jit / execution) * 100).toFixed(0)}%)`,
    advice: 'Raise jit_above_cost (and jit_inline_above_cost, jit_optimize_above_cost) or SET jit = off for this workload.',
  };
}
