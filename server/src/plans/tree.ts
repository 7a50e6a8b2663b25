/** The plan tree flattened in pre-order with parent links: what figures and hints walk over. */
import type { PlanNode } from '../../../protocol/plan';

export interface TreeNode {
  node: PlanNode;
  /** Pre-order position, 0 for the root. */
  id: number;
  depth: number;
  parent?: TreeNode;
  children: TreeNode[];
}

/** Pre-order list of the tree (iterative: deep plans must not overflow the stack). */
export function flattenPlan(root: PlanNode): TreeNode[] {
  const out: TreeNode[] = [];
  const stack: Array<{ node: PlanNode; depth: number; parent?: TreeNode }> = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth, parent } = stack.pop()!;
    const entry: TreeNode = { node, id: out.length, depth, parent, children: [] };
    out.push(entry);
    parent?.children.push(entry);
    const children = node.Plans ?? [];
    for (let k = children.length - 1; k >= 0; k--) stack.push({ node: children[k], depth: depth + 1, parent: entry });
  }
  return out;
}

/** Ancestors from the parent up to the root. */
export function ancestors(entry: TreeNode): TreeNode[] {
  const out: TreeNode[] = [];
  for (let up = entry.parent; up; up = up.parent) out.push(up);
  return out;
}

/** Every node of the subtree rooted at `entry`, `entry` first. */
export function subtree(entry: TreeNode): TreeNode[] {
  const out: TreeNode[] = [];
  const stack = [entry];
  while (stack.length > 0) {
    const next = stack.pop()!;
    out.push(next);
    for (let k = next.children.length - 1; k >= 0; k--) stack.push(next.children[k]);
  }
  return out;
}

export function num(node: PlanNode, key: string): number | undefined {
  const value = node[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
