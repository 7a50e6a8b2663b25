/** What every hint check receives, and helpers they share. */
import type { ExplainResult, PlanHint, PlanNode } from '../../../../protocol/plan';
import type { SchemaSnapshot } from '../../../../protocol/schema';
import type { TreeNode } from '../tree';

export interface HintContext {
  result: ExplainResult;
  /** The node's place in the tree: `entry.parent` up to the root, `entry.children`. */
  entry: TreeNode;
  /** Every node of the plan, pre-order. */
  nodes: TreeNode[];
  /** Root's time over all loops, ms (ANALYZE only). */
  rootTime?: number;
  snapshot?: SchemaSnapshot;
}

/** A hint check: pure, one per hint kind. */
export type HintCheck = (node: PlanNode, context: HintContext) => PlanHint | undefined;

export function num(node: Record<string, unknown>, key: string): number | undefined {
  const value = node[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Actual rows over all loops; undefined without ANALYZE. */
export function rowsTotal(node: PlanNode): number | undefined {
  const rows = num(node, 'Actual Rows');
  const loops = num(node, 'Actual Loops');
  return rows === undefined || loops === undefined ? undefined : rows * loops;
}

/** `1234` → `1.2k`, `2500000` → `2.5M`. */
export function compact(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(value >= 1e7 ? 0 : 1)}M`;
  if (value >= 1e4) return `${Math.round(value / 1e3)}k`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return String(Math.round(value));
}

export function relationLabel(node: PlanNode): string {
  const name = String(node['Relation Name'] ?? node.Alias ?? node['Node Type']);
  return typeof node.Schema === 'string' ? `${node.Schema}.${name}` : name;
}

export function nodeId(context: HintContext): number {
  return context.entry.id;
}
