/** One node takes most of the plan's time: the place to look first. */
import type { PlanHint, PlanNode } from '../../../../protocol/plan';
import type { HintContext } from './context';

/** Share of the root's time (exclusive) above which a node dominates. */
export const MIN_PERCENT = 40;
/** Plans faster than this are not worth the hint. */
export const MIN_ROOT_MS = 1;

export function dominantNode(node: PlanNode, context: HintContext): PlanHint | undefined {
  const percent = node.pglens?.exclusiveTimePercent;
  if (percent === undefined || percent <= MIN_PERCENT || context.nodes.length < 2 || (context.rootTime ?? 0) < MIN_ROOT_MS) return undefined;
  const target = typeof node['Relation Name'] === 'string' ? ` on ${node['Relation Name']}` : '';
  return {
    kind: 'dominant-node',
    nodeId: context.entry.id,
    severity: 'info',
    title: `${node['Node Type']}${target} takes ${percent.toFixed(0)}% of the time (${(node.pglens?.exclusiveTime ?? 0).toFixed(1)} ms)`,
    advice: 'Start here: the other hints on this node, if any, say why it is slow.',
  };
}
