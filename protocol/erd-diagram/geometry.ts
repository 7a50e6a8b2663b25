/**
 * Sizes of the diagram's boxes and where edges attach, shared by the layout, the SVG export and the
 * webview so that all three draw the same picture. Text widths are estimated from character counts
 * (a monospace font at 12px) because the layout runs where no font can be measured (Node, a worker).
 */
import type { ErdColumn, ErdModel, ErdRef } from '../erd';
import { erdKey } from '../erd';

export const CHAR_WIDTH = 7.3;
export const HEADER_HEIGHT = 26;
export const ROW_HEIGHT = 18;
export const PADDING_X = 8;
export const MIN_WIDTH = 140;
export const STUB_HEIGHT = 24;

export interface Box {
  key: string;
  ref: ErdRef;
  kind: 'table' | 'view' | 'stub';
  width: number;
  height: number;
  /** Rows drawn (all columns, or only key columns when collapsed). */
  columns: ErdColumn[];
  /** Position: top-left corner. */
  x: number;
  y: number;
}

/** Whether a column is a key column (kept when the diagram is collapsed to keys). */
export function isKeyColumn(column: ErdColumn): boolean {
  return column.primaryKey === true || column.foreignKey === true || column.unique === true;
}

function widthOf(title: string, columns: ErdColumn[]): number {
  let chars = title.length + 4;
  for (const column of columns) chars = Math.max(chars, column.name.length + column.type.length + 5);
  return Math.max(MIN_WIDTH, Math.min(480, Math.ceil(chars * CHAR_WIDTH + 2 * PADDING_X)));
}

/** One box per table, view and stub of the model, at (0, 0) until laid out. */
export function boxesOf(model: ErdModel, options: { keysOnly?: boolean } = {}): Box[] {
  const boxes: Box[] = [];
  const rows = (columns: ErdColumn[]): ErdColumn[] => (options.keysOnly ? columns.filter(isKeyColumn) : columns);
  for (const table of model.tables) {
    const columns = rows(table.columns);
    const title = displayName(table, model);
    boxes.push({ key: erdKey(table), ref: table, kind: 'table', columns, width: widthOf(title, columns), height: HEADER_HEIGHT + columns.length * ROW_HEIGHT + 4, x: 0, y: 0 });
  }
  for (const view of model.views) {
    const columns = options.keysOnly ? [] : view.columns;
    const title = displayName(view, model);
    boxes.push({ key: erdKey(view), ref: view, kind: 'view', columns, width: widthOf(title, columns), height: HEADER_HEIGHT + columns.length * ROW_HEIGHT + 4, x: 0, y: 0 });
  }
  for (const stub of model.stubs ?? []) {
    boxes.push({ key: erdKey(stub), ref: stub, kind: 'stub', columns: [], width: widthOf(erdKey(stub), []), height: STUB_HEIGHT, x: 0, y: 0 });
  }
  return boxes;
}

/** The name shown on a box: bare in a one-schema diagram, else `schema.name`. */
export function displayName(ref: ErdRef, model: ErdModel): string {
  return model.schemas.length > 1 || ref.schema !== 'public' ? `${ref.schema}.${ref.name}` : ref.name;
}

/** Y of a column's row centre inside its box, or of the header when the column is not drawn. */
export function rowY(box: Box, column: string | undefined): number {
  const index = column === undefined ? -1 : box.columns.findIndex((candidate) => candidate.name === column);
  return index < 0 ? HEADER_HEIGHT / 2 : HEADER_HEIGHT + index * ROW_HEIGHT + ROW_HEIGHT / 2;
}

export interface EdgePath {
  /** SVG path data. */
  d: string;
  /** Attachment points and which way each end leaves its box (+1 right, -1 left). */
  start: { x: number; y: number; side: 1 | -1 };
  end: { x: number; y: number; side: 1 | -1 };
}

/** A curve from one box's row to another's, leaving each box on the side facing the other. */
export function edgePath(from: Box, fromColumn: string | undefined, to: Box, toColumn: string | undefined): EdgePath {
  const y1 = from.y + rowY(from, fromColumn);
  const y2 = to.y + rowY(to, toColumn);
  if (from === to) {
    // Self reference: a loop on the right side.
    const x = from.x + from.width;
    const start = { x, y: y1, side: 1 as const };
    const end = { x, y: y2 === y1 ? y1 + 8 : y2, side: 1 as const };
    return { d: `M${x},${start.y} C${x + 40},${start.y} ${x + 40},${end.y} ${x},${end.y}`, start, end };
  }
  const fromCentre = from.x + from.width / 2;
  const toCentre = to.x + to.width / 2;
  let side1: 1 | -1 = toCentre >= fromCentre ? 1 : -1;
  let side2: 1 | -1 = side1 === 1 ? -1 : 1;
  // Boxes stacked above each other: both ends on the same side reads better than a crossing S.
  if (Math.abs(fromCentre - toCentre) < (from.width + to.width) / 4) side1 = side2 = 1;
  const x1 = side1 === 1 ? from.x + from.width : from.x;
  const x2 = side2 === 1 ? to.x + to.width : to.x;
  const bend = Math.max(30, Math.min(120, Math.abs(x2 - x1) / 2));
  const d = `M${r(x1)},${r(y1)} C${r(x1 + side1 * bend)},${r(y1)} ${r(x2 + side2 * bend)},${r(y2)} ${r(x2)},${r(y2)}`;
  return { d, start: { x: x1, y: y1, side: side1 }, end: { x: x2, y: y2, side: side2 } };
}

const r = (value: number): number => Math.round(value * 10) / 10;

/**
 * Crow's-foot marks as SVG path data at an edge's end: `many` (three prongs) or `one` (a bar), and a
 * circle for optional (drawn separately, returned as its centre).
 */
export function endMark(at: { x: number; y: number; side: 1 | -1 }, kind: 'many' | 'one', optional: boolean): { d: string; circle?: { cx: number; cy: number } } {
  const { x, y, side } = at;
  const reach = 12 * side;
  let d: string;
  if (kind === 'many') d = `M${x},${y - 6} L${x + reach},${y} M${x},${y + 6} L${x + reach},${y} M${x},${y} L${x + reach},${y}`;
  else d = `M${x + reach * 0.7},${y - 6} L${x + reach * 0.7},${y + 6}`;
  if (kind === 'one' && !optional) d += ` M${x + reach * 1.1},${y - 6} L${x + reach * 1.1},${y + 6}`;
  return optional ? { d, circle: { cx: x + reach * 1.5, cy: y } } : { d };
}
