/**
 * Layout with ELK (layered, left to right): boxes in, top-left corners out. The ELK instance is passed
 * in, so the CLI runs it in process and the webview in its Web Worker. Edges are only hints for the
 * layout: they are drawn by geometry.ts from the boxes, so dragging a box never needs ELK again.
 * Schemas are laid out one after another (each a group of its own), and boxes with saved positions
 * keep them.
 */
import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { ErdModel } from '../erd';
import { erdKey } from '../erd';
import type { Box } from './geometry';

export interface LayoutInput {
  boxes: Array<Pick<Box, 'key' | 'width' | 'height'> & { schema: string }>;
  edges: Array<{ from: string; to: string }>;
}

export const SCHEMA_GAP = 80;
export const SCHEMA_PADDING = 24;

/** What ELK needs from a model whose boxes are sized. */
export function layoutInput(model: ErdModel, boxes: Box[]): LayoutInput {
  const known = new Set(boxes.map((box) => box.key));
  const edges: LayoutInput['edges'] = [];
  const add = (from: string, to: string): void => {
    if (from !== to && known.has(from) && known.has(to)) edges.push({ from, to });
  };
  for (const relation of model.relations) add(erdKey({ schema: relation.from.schema, name: relation.from.table }), erdKey({ schema: relation.to.schema, name: relation.to.table }));
  for (const table of model.tables) for (const parent of table.inherits ?? []) add(erdKey(table), erdKey(parent));
  for (const view of model.views) for (const source of view.dependsOn) add(erdKey(view), erdKey(source));
  return { boxes: boxes.map((box) => ({ key: box.key, width: box.width, height: box.height, schema: box.ref.schema })), edges };
}

const LAYERED = {
  'elk.algorithm': 'layered',
  'elk.direction': 'LEFT',
  'elk.spacing.nodeNode': '28',
  'elk.layered.spacing.nodeNodeBetweenLayers': '70',
  'elk.spacing.componentComponent': '50',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  'elk.layered.thoroughness': '3',
  'elk.aspectRatio': '1.8',
};

/** Lays out each schema with ELK, then places the schemas in rows; returns top-left corners by key. */
export async function runLayout(elk: ELK, input: LayoutInput): Promise<Map<string, { x: number; y: number }>> {
  const bySchema = new Map<string, LayoutInput['boxes']>();
  for (const box of input.boxes) (bySchema.get(box.schema) ?? bySchema.set(box.schema, []).get(box.schema)!).push(box);
  const schemaOf = new Map(input.boxes.map((box) => [box.key, box.schema]));
  const positions = new Map<string, { x: number; y: number }>();
  const groups: Array<{ width: number; height: number; nodes: ElkNode[] }> = [];
  for (const [schema, boxes] of [...bySchema].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const edges: ElkExtendedEdge[] = input.edges
      .filter((edge) => schemaOf.get(edge.from) === schema && schemaOf.get(edge.to) === schema)
      .map((edge, index) => ({ id: `e${index}`, sources: [edge.from], targets: [edge.to] }));
    const graph: ElkNode = { id: 'root', layoutOptions: LAYERED, children: boxes.map((box) => ({ id: box.key, width: box.width, height: box.height })), edges };
    const laid = await elk.layout(graph);
    groups.push({ width: laid.width ?? 0, height: laid.height ?? 0, nodes: laid.children ?? [] });
  }
  // Schemas flow left to right, wrapping at a width that keeps the whole picture roughly 16:10.
  const area = groups.reduce((sum, group) => sum + (group.width + SCHEMA_GAP) * (group.height + SCHEMA_GAP), 0);
  const rowWidth = Math.max(Math.sqrt(area * 1.6), ...groups.map((group) => group.width));
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const group of groups) {
    if (x > 0 && x + group.width > rowWidth) {
      x = 0;
      y += rowHeight + SCHEMA_GAP;
      rowHeight = 0;
    }
    for (const node of group.nodes) positions.set(node.id, { x: Math.round(x + SCHEMA_PADDING + (node.x ?? 0)), y: Math.round(y + SCHEMA_PADDING + (node.y ?? 0)) });
    x += group.width + 2 * SCHEMA_PADDING + SCHEMA_GAP;
    rowHeight = Math.max(rowHeight, group.height + 2 * SCHEMA_PADDING);
  }
  return positions;
}
