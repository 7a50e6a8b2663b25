/** A parallel plan that got fewer workers than planned: it ran slower than the planner costed it. */
import type { PlanHint, PlanNode } from '../../../../protocol/plan';
import type { HintContext } from './context';
import { num } from './context';

export function workersNotLaunched(node: PlanNode, context: HintContext): PlanHint | undefined {
  const planned = num(node, 'Workers Planned');
  const launched = num(node, 'Workers Launched');
  if (planned === undefined || launched === undefined || launched >= planned) return undefined;
  return {
    kind: 'workers-not-launched',
    nodeId: context.entry.id,
    severity: launched === 0 ? 'warning' : 'info',
    title: `${node['Node Type']} planned ${planned} workers but launched ${launched}`,
    advice: 'The pool was busy or too small: check max_parallel_workers and max_worker_processes against the load.',
  };
}
