/**
 * A standalone SVG of the diagram (for `pglens erd --format svg` and the webview's export): styles
 * inline, no scripts, no external references, every table named. Positions come from the caller's boxes.
 */
import type { ErdModel } from '../erd';
import { erdKey } from '../erd';
import type { Box } from './geometry';
import { HEADER_HEIGHT, PADDING_X, ROW_HEIGHT, displayName, edgePath, endMark } from './geometry';

/** Text for XML content and attribute values; characters XML 1.0 forbids are dropped. */
export function xmlEscape(text: string): string {
  return [...text]
    .filter((char) => isXmlChar(char.codePointAt(0) ?? 0))
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && (code < 0xd800 || code > 0xdfff) && code !== 0xfffe && code !== 0xffff);
}

const PALETTES = {
  light: { background: '#ffffff', box: '#ffffff', border: '#8a8f98', header: '#e8eef7', text: '#1f2328', muted: '#59636e', edge: '#6e7781', view: '#f3eefb', stub: '#f6f8fa', key: '#9a6700' },
  dark: { background: '#1f1f1f', box: '#252526', border: '#6e7681', header: '#2d3a4d', text: '#e6edf3', muted: '#9198a1', edge: '#8b949e', view: '#352c47', stub: '#2b2b2b', key: '#d29922' },
};

/** Header tints per schema, cycling: schemas read as coloured groups. */
export const SCHEMA_TINTS = ['#3b82f6', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#06b6d4', '#ec4899', '#84cc16'];

export function renderSvg(model: ErdModel, boxes: Box[], options: { theme?: 'light' | 'dark'; title?: string } = {}): string {
  const palette = PALETTES[options.theme ?? 'light'];
  const byKey = new Map(boxes.map((box) => [box.key, box]));
  const margin = 40;
  const minX = Math.min(0, ...boxes.map((box) => box.x)) - margin;
  const minY = Math.min(0, ...boxes.map((box) => box.y)) - margin;
  const maxX = Math.max(0, ...boxes.map((box) => box.x + box.width)) + margin;
  const maxY = Math.max(0, ...boxes.map((box) => box.y + box.height)) + margin;
  const width = Math.ceil(maxX - minX);
  const height = Math.ceil(maxY - minY);
  const tint = new Map(model.schemas.map((schema, index) => [schema, SCHEMA_TINTS[index % SCHEMA_TINTS.length]]));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${Math.floor(minX)} ${Math.floor(minY)} ${width} ${height}" font-family="ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace" font-size="12">`);
  out.push(`<title>${xmlEscape(options.title ?? 'ER diagram')}</title>`);
  out.push(`<rect x="${Math.floor(minX)}" y="${Math.floor(minY)}" width="${width}" height="${height}" fill="${palette.background}"/>`);

  out.push(`<g fill="none" stroke="${palette.edge}" stroke-width="1.2">`);
  for (const relation of model.relations) {
    const from = byKey.get(erdKey({ schema: relation.from.schema, name: relation.from.table }));
    const to = byKey.get(erdKey({ schema: relation.to.schema, name: relation.to.table }));
    if (!from || !to) continue;
    const path = edgePath(from, relation.from.columns[0], to, relation.to.columns[0]);
    const many = endMark(path.start, relation.cardinality === 'many-to-one' ? 'many' : 'one', relation.optional);
    const one = endMark(path.end, 'one', false);
    out.push(`<g><title>${xmlEscape(`${relation.name}: ${relation.from.table}(${relation.from.columns.join(', ')}) → ${relation.to.table}(${relation.to.columns.join(', ')})`)}</title><path d="${path.d}"/><path d="${many.d}"/><path d="${one.d}"/>${many.circle ? `<circle cx="${many.circle.cx}" cy="${many.circle.cy}" r="3.5" fill="${palette.background}"/>` : ''}</g>`);
  }
  for (const table of model.tables) {
    for (const parent of table.inherits ?? []) {
      const from = byKey.get(erdKey(table));
      const to = byKey.get(erdKey(parent));
      if (from && to) out.push(`<path d="${edgePath(from, undefined, to, undefined).d}" stroke-dasharray="6 3"/>`);
    }
  }
  for (const view of model.views) {
    for (const source of view.dependsOn) {
      const from = byKey.get(erdKey(view));
      const to = byKey.get(erdKey(source));
      if (from && to) out.push(`<path d="${edgePath(from, undefined, to, undefined).d}" stroke-dasharray="2 3" opacity="0.7"/>`);
    }
  }
  out.push('</g>');

  for (const box of boxes) {
    const name = displayName(box.ref, model);
    const fill = box.kind === 'view' ? palette.view : box.kind === 'stub' ? palette.stub : palette.box;
    out.push(`<g transform="translate(${box.x},${box.y})">`);
    out.push(`<rect width="${box.width}" height="${box.height}" rx="4" fill="${fill}" stroke="${palette.border}"${box.kind === 'stub' ? ' stroke-dasharray="4 3"' : ''}/>`);
    if (box.kind !== 'stub') {
      out.push(`<path d="M0,4 a4,4 0 0 1 4,-4 h${box.width - 8} a4,4 0 0 1 4,4 v${HEADER_HEIGHT - 4} h-${box.width} z" fill="${box.kind === 'view' ? palette.view : palette.header}"/>`);
      out.push(`<rect width="4" height="${HEADER_HEIGHT}" fill="${tint.get(box.ref.schema) ?? SCHEMA_TINTS[0]}"/>`);
    }
    const italic = box.kind !== 'table' ? ' font-style="italic"' : '';
    out.push(`<text x="${PADDING_X + 2}" y="${box.kind === 'stub' ? 16 : 17}" font-weight="bold" fill="${palette.text}"${italic}>${xmlEscape(name)}</text>`);
    box.columns.forEach((column, index) => {
      const y = HEADER_HEIGHT + index * ROW_HEIGHT + 13;
      const mark = column.primaryKey ? 'PK' : column.foreignKey ? 'FK' : column.unique ? 'UK' : '';
      out.push(`<text x="${PADDING_X}" y="${y}" fill="${column.primaryKey ? palette.key : palette.text}"${column.primaryKey ? ' font-weight="bold"' : ''}>${xmlEscape(column.name)}${column.nullable ? '' : '<tspan fill="' + palette.muted + '">*</tspan>'}</text>`);
      out.push(`<text x="${box.width - PADDING_X}" y="${y}" text-anchor="end" fill="${palette.muted}">${xmlEscape(column.type)}${mark ? ` <tspan fill="${palette.key}">${mark}</tspan>` : ''}</text>`);
    });
    out.push('</g>');
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
