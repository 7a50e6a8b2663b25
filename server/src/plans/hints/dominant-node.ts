/**
 * One node takes most of the plan's time: the place to look first. Never on nodes whose time is only
 * waiting for others (Gather and Gather Merge wait for their workers; Append, Materialize and Limit
 * pass their children's rows on), and only when another hint on the same node says what to do about
 * it: "start here" with nothing there leads nowhere. planHints drops the hint when it stands alone.
 */
import type { PlanHint, PlanNode } from '../../../../protocol/plan';
import type { HintContext } from './context';

/** Share of the root's time (exclusive) above which a node dominates. */
export const MIN_PERCENT = 40;
/** Plans faster than this are not worth the hint. */
export const MIN_ROOT_MS = 1;
/** Nodes whose own time is their children's, or waiting for workers. */
export const PASS_THROUGH = new Set(['Gather', 'Gather Merge', 'Append', 'Merge Append', 'Materialize', 'Limit', 'Result', 'Subquery Scan', 'CTE Scan', 'Memoize']);

export function dominantNode(node: PlanNode, context: HintContext): PlanHint | undefined {
  const percent = node.pglens?.exclusiveTimePercent;
  if (percent === undefined || percent <= MIN_PERCENT || context.nodes.length < 2 || (context.rootTime ?? 0) < MIN_ROOT_MS) return undefined;
  if (PASS_THROUGH.has(node['Node Type'])) return undefined;
  const target = typeof node['Relation Name'] === 'string' ? ` on ${node['Relation Name']}` : '';
  return {
    kind: 'dominant-node',
    nodeId: context.entry.id,
    severity: 'info',
    title: `${node['Node Type']}${target} takes ${percent.toFixed(0)}% of the time (${(node.pglens?.exclusiveTime ?? 0).toFixed(1)} ms)`,
    advice: 'Start here: the other hints on this node say why it is slow.',
  };
}
