/**
 * Draws the diagram with d3: boxes with their columns and key markers, crow's-foot edges routed from
 * row to row (recomputed for a dragged box only), zoom and pan on one transform (no re-layout), and
 * a level of detail that hides column rows when zoomed far out.
 */
import { drag, select, zoom, zoomIdentity } from 'd3';
import type { D3ZoomEvent, Selection, ZoomBehavior, ZoomTransform } from 'd3';
import type { ErdModel } from '../../protocol/erd';
import { erdKey } from '../../protocol/erd';
import type { Box } from '../../protocol/erd-diagram/geometry';
import { HEADER_HEIGHT, PADDING_X, ROW_HEIGHT, displayName, edgePath, endMark } from '../../protocol/erd-diagram/geometry';
import { SCHEMA_TINTS } from '../../protocol/erd-diagram/svg';

export interface DiagramCallbacks {
  open(box: Box): void;
  hover(box: Box | undefined, event?: MouseEvent): void;
  moved(box: Box, done: boolean): void;
  select(box: Box): void;
  transform(t: { x: number; y: number; k: number }): void;
}

interface Edge {
  from: string;
  to: string;
  fromColumn?: string;
  toColumn?: string;
  kind: 'fk' | 'inherits' | 'reads';
  many: boolean;
  optional: boolean;
  title: string;
  element?: SVGGElement;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export class Diagram {
  readonly svg: SVGSVGElement;
  private readonly viewport: SVGGElement;
  private readonly groupLayer: SVGGElement;
  private readonly edgeLayer: SVGGElement;
  private tints = new Map<string, string>();
  private readonly boxLayer: SVGGElement;
  private readonly zoomBehaviour: ZoomBehavior<SVGSVGElement, unknown>;
  private boxes = new Map<string, Box>();
  private edges: Edge[] = [];
  private boxElements = new Map<string, SVGGElement>();
  private current: ZoomTransform = zoomIdentity;

  constructor(container: HTMLElement, private readonly callbacks: DiagramCallbacks) {
    this.svg = document.createElementNS(SVG_NS, 'svg');
    this.svg.classList.add('diagram');
    this.svg.setAttribute('role', 'group');
    this.svg.setAttribute('aria-label', 'ER diagram');
    this.viewport = this.svg.appendChild(document.createElementNS(SVG_NS, 'g'));
    this.groupLayer = this.viewport.appendChild(document.createElementNS(SVG_NS, 'g'));
    this.edgeLayer = this.viewport.appendChild(document.createElementNS(SVG_NS, 'g'));
    this.edgeLayer.classList.add('edges');
    this.boxLayer = this.viewport.appendChild(document.createElementNS(SVG_NS, 'g'));
    container.append(this.svg);
    this.zoomBehaviour = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.03, 4])
      .filter((event: Event) => (event.type === 'wheel' || !(event.target as Element).closest('.box')) && !(event as MouseEvent).button)
      .on('zoom', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
        this.current = event.transform;
        this.viewport.setAttribute('transform', event.transform.toString());
        this.svg.classList.toggle('far', event.transform.k < 0.45);
        this.callbacks.transform({ x: event.transform.x, y: event.transform.y, k: event.transform.k });
      });
    select(this.svg).call(this.zoomBehaviour).on('dblclick.zoom', null);
  }

  get transform(): { x: number; y: number; k: number } {
    return { x: this.current.x, y: this.current.y, k: this.current.k };
  }

  get drawn(): Box[] {
    return [...this.boxes.values()];
  }

  box(key: string): Box | undefined {
    return this.boxes.get(key);
  }

  /** Draws the boxes (already positioned) and the model's edges between them. */
  render(model: ErdModel, boxes: Box[]): void {
    this.boxes = new Map(boxes.map((box) => [box.key, box]));
    this.edges = edgesOf(model).filter((edge) => this.boxes.has(edge.from) && this.boxes.has(edge.to));
    const tints = new Map(model.schemas.map((schema, index) => [schema, SCHEMA_TINTS[index % SCHEMA_TINTS.length]]));
    this.tints = tints;
    this.boxLayer.replaceChildren();
    this.edgeLayer.replaceChildren();
    this.groupLayer.replaceChildren();
    this.boxElements.clear();
    // Building markup as one string and parsing it once is several times faster than a d3 join for thousands of boxes.
    const parts: string[] = [];
    for (const box of boxes) parts.push(boxMarkup(box, displayName(box.ref, model), tints.get(box.ref.schema) ?? SCHEMA_TINTS[0]));
    this.boxLayer.innerHTML = parts.join('');
    for (const element of this.boxLayer.children) this.boxElements.set((element as SVGGElement).dataset.key ?? '', element as SVGGElement);
    const edgeParts = this.edges.map((edge, index) => `<g class="edge ${edge.kind}" data-index="${index}"><title>${escapeXml(edge.title)}</title><path class="line"/><path class="mark"/><path class="mark end"/><circle class="optional" r="3.5"/></g>`);
    this.edgeLayer.innerHTML = edgeParts.join('');
    this.edges.forEach((edge, index) => (edge.element = this.edgeLayer.children[index] as SVGGElement));
    for (const edge of this.edges) this.route(edge);
    this.drawGroups();
    this.bindBoxes();
  }

  /** Schemas as tinted frames around their boxes (when the diagram shows more than one). */
  private drawGroups(only?: string): void {
    const bySchema = new Map<string, Box[]>();
    for (const box of this.boxes.values()) if (box.kind !== 'stub') (bySchema.get(box.ref.schema) ?? bySchema.set(box.ref.schema, []).get(box.ref.schema)!).push(box);
    if (bySchema.size < 2) {
      this.groupLayer.replaceChildren();
      return;
    }
    for (const [schema, boxes] of bySchema) {
      if (only !== undefined && schema !== only) continue;
      let group = [...this.groupLayer.children].find((element) => (element as SVGGElement).dataset.schema === schema) as SVGGElement | undefined;
      if (!group) {
        group = this.groupLayer.appendChild(document.createElementNS(SVG_NS, 'g'));
        group.dataset.schema = schema;
        group.style.setProperty('--group-tint', this.tints.get(schema) ?? SCHEMA_TINTS[0]);
        group.innerHTML = `<rect class="schema-group" rx="10"/><text class="schema-label">${escapeXml(schema)}</text>`;
      }
      const minX = Math.min(...boxes.map((box) => box.x)) - 16;
      const minY = Math.min(...boxes.map((box) => box.y)) - 30;
      const maxX = Math.max(...boxes.map((box) => box.x + box.width)) + 16;
      const maxY = Math.max(...boxes.map((box) => box.y + box.height)) + 16;
      const rect = group.querySelector('rect')!;
      rect.setAttribute('x', String(minX));
      rect.setAttribute('y', String(minY));
      rect.setAttribute('width', String(maxX - minX));
      rect.setAttribute('height', String(maxY - minY));
      const label = group.querySelector('text')!;
      label.setAttribute('x', String(minX + 10));
      label.setAttribute('y', String(minY - 6));
    }
  }

  private bindBoxes(): void {
    const boxes = select(this.boxLayer).selectAll<SVGGElement, unknown>('g.box');
    boxes
      .on('dblclick', (event: MouseEvent) => {
        const box = this.boxOfEvent(event);
        if (box) this.callbacks.open(box);
      })
      .on('click', (event: MouseEvent) => {
        const box = this.boxOfEvent(event);
        if (box) this.callbacks.select(box);
      })
      .on('mouseenter', (event: MouseEvent) => this.callbacks.hover(this.boxOfEvent(event), event))
      .on('mouseleave', () => this.callbacks.hover(undefined))
      .on('keydown', (event: KeyboardEvent) => {
        const box = this.boxOfEvent(event);
        if (!box) return;
        if (event.key === 'Enter') this.callbacks.select(box);
        else if (event.key === ' ' || event.key === 'o') this.callbacks.open(box);
        else return;
        event.preventDefault();
      })
      .on('focus', (event: FocusEvent) => {
        const box = this.boxOfEvent(event);
        if (box && !this.isVisible(box)) this.centreOn(box.key, false);
      });
    boxes.call(
      drag<SVGGElement, unknown>()
        .clickDistance(3)
        .on('drag', (event: { dx: number; dy: number; sourceEvent: Event }) => {
          const box = this.boxOfEvent(event.sourceEvent);
          if (!box) return;
          box.x = Math.round(box.x + event.dx);
          box.y = Math.round(box.y + event.dy);
          this.place(box);
          this.callbacks.moved(box, false);
        })
        .on('end', (event: { sourceEvent: Event }) => {
          const box = this.boxOfEvent(event.sourceEvent);
          if (box) this.callbacks.moved(box, true);
        }),
    );
  }

  private dragged: Box | undefined;

  private boxOfEvent(event: Event | undefined): Box | undefined {
    const element = (event?.target as Element | null)?.closest?.('g.box') as SVGGElement | null;
    const box = element ? this.boxes.get(element.dataset.key ?? '') : this.dragged;
    if (box) this.dragged = box;
    return box;
  }

  /** Moves a box's element and re-routes the edges that touch it. */
  place(box: Box): void {
    this.boxElements.get(box.key)?.setAttribute('transform', `translate(${box.x},${box.y})`);
    for (const edge of this.edges) if (edge.from === box.key || edge.to === box.key) this.route(edge);
    this.drawGroups(box.ref.schema);
  }

  private route(edge: Edge): void {
    const from = this.boxes.get(edge.from)!;
    const to = this.boxes.get(edge.to)!;
    const path = edgePath(from, edge.fromColumn, to, edge.toColumn);
    const element = edge.element!;
    const [line, startMark, endMarkElement] = element.querySelectorAll('path');
    const circle = element.querySelector('circle')!;
    line.setAttribute('d', path.d);
    if (edge.kind === 'fk') {
      const start = endMark(path.start, edge.many ? 'many' : 'one', edge.optional);
      startMark.setAttribute('d', start.d);
      endMarkElement.setAttribute('d', endMark(path.end, 'one', false).d);
      circle.setAttribute('r', start.circle ? '3.5' : '0');
      if (start.circle) {
        circle.setAttribute('cx', String(start.circle.cx));
        circle.setAttribute('cy', String(start.circle.cy));
      }
    } else {
      circle.setAttribute('r', '0');
      // Inheritance and view reads: an open arrow at the parent or source.
      const { x, y, side } = path.end;
      endMarkElement.setAttribute('d', `M${x + 9 * side},${y - 5} L${x},${y} L${x + 9 * side},${y + 5}`);
    }
  }

  /** Marks boxes (and edges between marked boxes) as highlighted; others dim when `dim`. */
  highlight(keys: Set<string>, options: { dim?: boolean; className?: string } = {}): void {
    const className = options.className ?? 'match';
    for (const [key, element] of this.boxElements) element.classList.toggle(className, keys.has(key));
    for (const edge of this.edges) edge.element?.classList.toggle(className, keys.has(edge.from) && keys.has(edge.to));
    this.svg.classList.toggle(`dim-${className}`, options.dim === true && keys.size > 0);
  }

  setSelected(key: string | undefined): void {
    for (const [boxKey, element] of this.boxElements) element.classList.toggle('selected', boxKey === key);
  }

  focusBox(key: string): void {
    (this.boxElements.get(key) as unknown as HTMLElement | undefined)?.focus({ preventScroll: true });
  }

  private isVisible(box: Box): boolean {
    const { width, height } = this.svg.getBoundingClientRect();
    const t = this.current;
    const x = box.x * t.k + t.x;
    const y = box.y * t.k + t.y;
    return x >= 0 && y >= 0 && x + box.width * t.k <= width && y + box.height * t.k <= height;
  }

  centreOn(key: string, animate = true): void {
    const box = this.boxes.get(key);
    if (!box) return;
    const { width, height } = this.svg.getBoundingClientRect();
    const k = Math.max(this.current.k, 0.8);
    const t = zoomIdentity.translate(width / 2 - (box.x + box.width / 2) * k, height / 2 - (box.y + box.height / 2) * k).scale(k);
    this.apply(t, animate);
  }

  /** Fits the given boxes (default: all) in view. */
  fit(keys?: Iterable<string>, animate = false): void {
    const boxes = keys ? [...keys].map((key) => this.boxes.get(key)).filter((box): box is Box => box !== undefined) : [...this.boxes.values()];
    if (boxes.length === 0) return;
    const { width, height } = this.svg.getBoundingClientRect();
    const minX = Math.min(...boxes.map((box) => box.x));
    const minY = Math.min(...boxes.map((box) => box.y));
    const maxX = Math.max(...boxes.map((box) => box.x + box.width));
    const maxY = Math.max(...boxes.map((box) => box.y + box.height));
    const k = Math.min(1.2, Math.max(0.03, Math.min((width - 80) / (maxX - minX || 1), (height - 100) / (maxY - minY || 1))));
    const t = zoomIdentity.translate(width / 2 - ((minX + maxX) / 2) * k, height / 2 - ((minY + maxY) / 2) * k).scale(k);
    this.apply(t, animate);
  }

  apply(t: { x: number; y: number; k: number } | ZoomTransform, animate = false): void {
    const transform = 'toString' in t && t instanceof Object && 'invert' in t ? (t as ZoomTransform) : zoomIdentity.translate(t.x, t.y).scale(t.k);
    const target = select(this.svg) as Selection<SVGSVGElement, unknown, null, undefined>;
    if (animate) target.transition().duration(250).call(this.zoomBehaviour.transform, transform);
    else target.call(this.zoomBehaviour.transform, transform);
  }

  zoomBy(factor: number): void {
    select(this.svg).call(this.zoomBehaviour.scaleBy, factor);
  }

  panBy(dx: number, dy: number): void {
    select(this.svg).call(this.zoomBehaviour.translateBy, dx / this.current.k, dy / this.current.k);
  }
}

function edgesOf(model: ErdModel): Edge[] {
  const edges: Edge[] = [];
  for (const relation of model.relations) {
    edges.push({
      from: erdKey({ schema: relation.from.schema, name: relation.from.table }),
      to: erdKey({ schema: relation.to.schema, name: relation.to.table }),
      fromColumn: relation.from.columns[0],
      toColumn: relation.to.columns[0],
      kind: 'fk',
      many: relation.cardinality === 'many-to-one',
      optional: relation.optional,
      title: `${relation.name}: ${relation.from.table}(${relation.from.columns.join(', ')}) → ${relation.to.table}(${relation.to.columns.join(', ')}) · ${relation.cardinality}${relation.optional ? ', optional' : ''}${relation.onDelete !== 'no action' ? ` · on delete ${relation.onDelete}` : ''}${relation.onUpdate !== 'no action' ? ` · on update ${relation.onUpdate}` : ''}`,
    });
  }
  for (const table of model.tables) for (const parent of table.inherits ?? []) edges.push({ from: erdKey(table), to: erdKey(parent), kind: 'inherits', many: false, optional: false, title: `${table.name} inherits ${parent.name}` });
  for (const view of model.views) for (const source of view.dependsOn) edges.push({ from: erdKey(view), to: erdKey(source), kind: 'reads', many: false, optional: false, title: `${view.name} reads ${source.name}` });
  return edges;
}

function boxMarkup(box: Box, title: string, tint: string): string {
  const rows = box.columns
    .map((column, index) => {
      const y = HEADER_HEIGHT + index * ROW_HEIGHT + 13;
      const mark = column.primaryKey ? 'PK' : column.foreignKey ? 'FK' : column.unique ? 'UK' : '';
      const classes = ['col', column.primaryKey ? 'pk' : '', column.foreignKey ? 'fk' : ''].filter(Boolean).join(' ');
      return `<text class="${classes}" x="${PADDING_X}" y="${y}">${escapeXml(column.name)}${column.nullable ? '' : '<tspan class="nn">*</tspan>'}</text><text class="col type" x="${box.width - PADDING_X}" y="${y}" text-anchor="end">${escapeXml(column.type)}${mark ? ` <tspan class="key">${mark}</tspan>` : ''}</text>`;
    })
    .join('');
  const label = `${box.kind === 'stub' ? 'filtered out: ' : box.kind === 'view' ? 'view ' : 'table '}${title}`;
  return `<g class="box ${box.kind}" data-key="${escapeXml(box.key)}" transform="translate(${box.x},${box.y})" tabindex="0" role="button" aria-label="${escapeXml(label)}"><rect class="frame" width="${box.width}" height="${box.height}" rx="4"/>${box.kind === 'stub' ? '' : `<rect class="header" width="${box.width}" height="${HEADER_HEIGHT}" rx="4"/><rect class="tint" width="4" height="${HEADER_HEIGHT}" fill="${tint}"/>`}<text class="name" x="${PADDING_X + 2}" y="${box.kind === 'stub' ? 16 : 17}">${escapeXml(title)}</text>${rows}</g>`;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
