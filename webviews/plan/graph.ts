/**
 * One plan drawn as a top-down tree of HTML cards over an SVG of edges, zoomed and panned with d3-zoom.
 * Cards are built as one HTML string (no per-node framework work) and placed through the CSSOM, which the
 * strict CSP allows; 2,000 nodes draw well under a second.
 */
import { hierarchy, tree } from 'd3-hierarchy';
import { select } from 'd3-selection';
import 'd3-transition';
import { zoom, zoomIdentity } from 'd3-zoom';
import type { D3ZoomEvent, ZoomBehavior } from 'd3-zoom';
import type { PlanMetric, ViewTransform } from '../../protocol/plan-view';
import { formatCost, formatCount, formatMs, metricValue, nodeTarget } from './model';
import type { ViewNode, ViewPlan } from './model';

export const CARD_WIDTH = 236;
export const CARD_HEIGHT = 100;
const GAP_X = 28;
const GAP_Y = 56;
/** Below this zoom the cards show only their type: the rest would be unreadable anyway. */
const FAR_ZOOM = 0.45;

export interface GraphCallbacks {
  onSelect(node: ViewNode): void;
  onTransform(transform: ViewTransform): void;
}

interface Placed {
  node: ViewNode;
  x: number;
  y: number;
}

export class Graph {
  readonly element: HTMLDivElement;
  private readonly canvas: HTMLDivElement;
  private readonly edges: SVGSVGElement;
  private cards: HTMLElement[] = [];
  private placed: Placed[] = [];
  private bounds = { minX: 0, minY: 0, maxX: 0, maxY: 0 };
  private readonly zoomBehavior: ZoomBehavior<HTMLDivElement, unknown>;
  private selectedIndex: number | undefined;

  constructor(
    host: HTMLElement,
    readonly plan: ViewPlan,
    private readonly callbacks: GraphCallbacks,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'graph';
    this.element.tabIndex = 0;
    this.canvas = document.createElement('div');
    this.canvas.className = 'canvas';
    this.edges = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.edges.classList.add('edges');
    this.canvas.append(this.edges);
    this.element.append(this.canvas);
    host.append(this.element);
    this.zoomBehavior = zoom<HTMLDivElement, unknown>()
      .scaleExtent([0.05, 2.5])
      .on('zoom', (event: D3ZoomEvent<HTMLDivElement, unknown>) => {
        const { x, y, k } = event.transform;
        this.canvas.style.transform = `translate(${x}px, ${y}px) scale(${k})`;
        this.element.classList.toggle('far', k < FAR_ZOOM);
        this.callbacks.onTransform({ x, y, k });
      });
    select(this.element).call(this.zoomBehavior).on('dblclick.zoom', null);
    this.canvas.addEventListener('click', (event) => {
      const card = (event.target as Element).closest<HTMLElement>('.card');
      if (card) this.callbacks.onSelect(this.plan.nodes[Number(card.dataset.i)]);
    });
  }

  /** Lays the tree out and builds the DOM. */
  render(metric: PlanMetric): void {
    const root = hierarchy<ViewNode>(this.plan.nodes[0], (node) => node.children);
    tree<ViewNode>()
      .nodeSize([CARD_WIDTH + GAP_X, CARD_HEIGHT + GAP_Y])
      .separation((a, b) => (a.parent === b.parent ? 1 : 1.12))(root);
    const placed: Placed[] = new Array<Placed>(this.plan.nodes.length);
    let minX = Infinity;
    let maxX = -Infinity;
    let maxY = 0;
    root.each((d) => {
      const x = (d.x ?? 0) - CARD_WIDTH / 2;
      const y = d.y ?? 0;
      placed[d.data.index] = { node: d.data, x, y };
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x + CARD_WIDTH);
      maxY = Math.max(maxY, y + CARD_HEIGHT);
    });
    this.placed = placed;
    this.bounds = { minX, minY: 0, maxX, maxY };

    this.canvas.insertAdjacentHTML('beforeend', placed.map((p) => cardHtml(p.node, this.plan)).join(''));
    this.cards = Array.from(this.canvas.querySelectorAll<HTMLElement>('.card'));
    for (let k = 0; k < placed.length; k++) {
      const style = this.cards[k].style;
      style.left = `${placed[k].x}px`;
      style.top = `${placed[k].y}px`;
      const pct = barPercent(placed[k].node, this.plan);
      if (pct > 0) style.setProperty('--pct', pct.toFixed(1));
    }
    this.drawEdges();
    this.setMetric(metric);
  }

  private drawEdges(): void {
    const { minX, maxX, maxY } = this.bounds;
    const svg = this.edges;
    svg.setAttribute('width', String(maxX - minX));
    svg.setAttribute('height', String(maxY));
    svg.setAttribute('viewBox', `${minX} 0 ${maxX - minX} ${maxY}`);
    svg.style.left = `${minX}px`;
    const parts: string[] = [];
    for (const child of this.placed) {
      const parent = child.node.parent && this.placed[child.node.parent.index];
      if (!parent) continue;
      const px = parent.x + CARD_WIDTH / 2;
      const py = parent.y + CARD_HEIGHT;
      const cx = child.x + CARD_WIDTH / 2;
      const cy = child.y;
      const mid = (py + cy) / 2;
      const rows = child.node.rowsOut;
      // Log scale: 1 row → 1.5 px, 1M rows → ~13 px.
      const width = Math.min(16, 1.5 + 1.9 * Math.log10(rows + 1));
      parts.push(`<path d="M${px},${py}C${px},${mid} ${cx},${mid} ${cx},${cy}" stroke-width="${width.toFixed(1)}"><title>${escapeHtml(formatCount(rows))} rows</title></path>`);
    }
    svg.innerHTML = parts.join('');
  }

  /** Colours the cards by `metric`: the share of the plan's largest value, on a square-root scale. */
  setMetric(metric: PlanMetric): void {
    const values = this.plan.nodes.map((node) => metricValue(node, metric));
    const max = Math.max(0, ...values.map((v) => v ?? 0));
    for (let k = 0; k < values.length; k++) {
      const value = values[k];
      const heat = value === undefined || max <= 0 ? 0 : Math.sqrt(Math.max(0, value) / max);
      this.cards[k].style.setProperty('--heat', heat.toFixed(3));
      this.cards[k].classList.toggle('hot', heat >= 0.7);
    }
  }

  setSelected(nodeId: number | undefined): void {
    if (this.selectedIndex !== undefined) this.cards[this.selectedIndex]?.classList.remove('selected');
    const node = nodeId === undefined ? undefined : this.plan.byId.get(nodeId);
    this.selectedIndex = node?.index;
    if (node) this.cards[node.index].classList.add('selected');
  }

  /** Highlights the nodes whose type, relation, index or conditions contain `query`; returns how many. */
  setSearch(query: string): number {
    const needle = query.trim().toLowerCase();
    let count = 0;
    for (let k = 0; k < this.cards.length; k++) {
      const match = needle !== '' && this.plan.nodes[k].haystack.includes(needle);
      if (match) count++;
      this.cards[k].classList.toggle('match', match);
    }
    this.element.classList.toggle('searching', needle !== '');
    return count;
  }

  firstMatch(): ViewNode | undefined {
    const index = this.cards.findIndex((card) => card.classList.contains('match'));
    return index < 0 ? undefined : this.plan.nodes[index];
  }

  fit(animate = false): void {
    const { minX, maxX, maxY } = this.bounds;
    const width = this.element.clientWidth || 800;
    const height = this.element.clientHeight || 600;
    const pad = 24;
    // Never larger than 1: a small plan stays at its natural size at the top.
    const k = Math.min(1, (width - 2 * pad) / (maxX - minX), (height - 2 * pad) / maxY);
    const x = (width - k * (maxX - minX)) / 2 - k * minX;
    const y = pad;
    this.apply({ x, y, k }, animate);
  }

  /**
   * First view of a plan: all of it when that stays readable, else the root at the top at a readable
   * scale (a 2,000-node plan fitted is a grey smear); "Fit" still shows everything.
   */
  initialView(): void {
    const { minX, maxX, maxY } = this.bounds;
    const width = this.element.clientWidth || 800;
    const height = this.element.clientHeight || 600;
    const fitK = Math.min(1, (width - 48) / (maxX - minX), (height - 48) / maxY);
    if (fitK >= 0.55) return this.fit();
    const root = this.placed[0];
    const k = 0.75;
    this.apply({ k, x: width / 2 - k * (root.x + CARD_WIDTH / 2), y: 24 });
  }

  /** Centres a node, zooming in to a readable scale if needed. */
  centreOn(nodeId: number, animate = true): void {
    const node = this.plan.byId.get(nodeId);
    const placed = node && this.placed[node.index];
    if (!placed) return;
    const current = this.transform();
    const k = Math.max(current.k, 0.8);
    const width = this.element.clientWidth || 800;
    const height = this.element.clientHeight || 600;
    this.apply({ k, x: width / 2 - k * (placed.x + CARD_WIDTH / 2), y: height / 2 - k * (placed.y + CARD_HEIGHT / 2) }, animate);
  }

  transform(): ViewTransform {
    const t = (this.element as HTMLDivElement & { __zoom?: ViewTransform }).__zoom;
    return t ? { x: t.x, y: t.y, k: t.k } : { x: 0, y: 0, k: 1 };
  }

  apply(t: ViewTransform, animate = false): void {
    const target = zoomIdentity.translate(t.x, t.y).scale(t.k);
    const selection = select(this.element);
    if (animate) selection.transition().duration(300).call(this.zoomBehavior.transform, target);
    else selection.call(this.zoomBehavior.transform, target);
  }

  /** Card element of a node (tests and the hints panel use it). */
  card(nodeId: number): HTMLElement | undefined {
    const node = this.plan.byId.get(nodeId);
    return node && this.cards[node.index];
  }
}

/** Width of the card's bar: exclusive time % when analyzed, else exclusive (or inclusive) cost share. */
function barPercent(node: ViewNode, plan: ViewPlan): number {
  const figures = node.plan.pglens;
  if (figures?.exclusiveTimePercent !== undefined) return Math.min(100, figures.exclusiveTimePercent);
  if (figures?.exclusiveTime !== undefined && plan.totalTime) return Math.min(100, (100 * figures.exclusiveTime) / plan.totalTime);
  const cost = figures?.exclusiveCost;
  if (cost !== undefined && plan.totalCost > 0) return Math.min(100, (100 * cost) / plan.totalCost);
  return 0;
}

function cardHtml(node: ViewNode, plan: ViewPlan): string {
  const p = node.plan;
  const f = p.pglens;
  const target = nodeTarget(p);
  const relationship = p['Parent Relationship'];
  const tag = p['Subplan Name'] ?? (relationship && relationship !== 'Outer' && relationship !== 'Inner' && relationship !== 'Member' ? relationship : undefined);
  const pct = barPercent(node, plan);

  let figure = '';
  if (f?.exclusiveTime !== undefined) figure = formatMs(f.exclusiveTime);
  else if (typeof p['Actual Total Time'] === 'number') figure = `${formatMs(p['Actual Total Time'] * (p['Actual Loops'] ?? 1))} incl.`;
  else if (f?.exclusiveCost !== undefined) figure = `cost ${formatCost(f.exclusiveCost)}`;
  else if (typeof p['Total Cost'] === 'number') figure = `cost ${formatCost(p['Total Cost'])}`;

  const estimated = p['Plan Rows'];
  let rows: string;
  if (typeof p['Actual Rows'] === 'number') {
    rows = `<span title="actual rows per loop">${formatCount(p['Actual Rows'])} rows</span>`;
    const mis = f?.misestimate ?? simpleMisestimate(p['Actual Rows'], estimated);
    if (mis && mis.factor >= 2) {
      const arrow = mis.direction === 'under' ? '↑' : '↓';
      const what = mis.direction === 'under' ? 'under-estimated' : 'over-estimated';
      rows += ` <span class="mis ${mis.direction}${mis.factor >= 10 ? ' bad' : ''}" title="${what} ${mis.factor.toFixed(1)}×: estimated ${formatCount(estimated ?? 0)}">${arrow}${formatFactor(mis.factor)}</span>`;
    }
    rows += ` <span class="dim">est ${formatCount(estimated ?? 0)}</span>`;
    const loops = p['Actual Loops'] ?? 1;
    if (loops !== 1) rows += ` <span class="dim" title="loops">× ${formatCount(loops)}</span>`;
  } else {
    rows = `<span title="estimated rows">${formatCount(estimated ?? 0)} rows (est)</span>`;
  }

  const hintMark = node.hints.length
    ? `<span class="hint-mark ${node.hints.some((h) => h.severity === 'warning') ? 'warning' : 'info'}" title="${escapeHtml(node.hints.map((h) => h.title).join('\n'))}">⚠${node.hints.length > 1 ? node.hints.length : ''}</span>`
    : '';

  return (
    `<div class="card" data-i="${node.index}" data-id="${node.id}">` +
    `<div class="head"><span class="type" title="${escapeHtml(p['Node Type'])}">${escapeHtml(p['Node Type'])}</span>${hintMark}<span class="pct">${pct > 0 ? `${pct.toFixed(pct >= 10 ? 0 : 1)}%` : ''}</span></div>` +
    `<div class="target" title="${escapeHtml(target)}">${tag ? `<span class="tag">${escapeHtml(tag)}</span> ` : ''}${escapeHtml(target)}</div>` +
    `<div class="bar"><span class="fill"></span><span class="figure">${escapeHtml(figure)}</span></div>` +
    `<div class="rows">${rows}</div>` +
    `<div class="bufs">${buffersText(node)}</div>` +
    `</div>`
  );
}

function simpleMisestimate(actual: number, estimated: number | undefined): { factor: number; direction: 'under' | 'over' } | undefined {
  if (estimated === undefined) return undefined;
  const a = Math.max(actual, 1);
  const e = Math.max(estimated, 1);
  return a >= e ? { factor: a / e, direction: 'under' } : { factor: e / a, direction: 'over' };
}

function formatFactor(factor: number): string {
  return `${factor >= 100 ? formatCount(Math.round(factor)) : factor.toFixed(factor >= 10 ? 0 : 1)}×`;
}

function buffersText(node: ViewNode): string {
  const p = node.plan;
  const b = p.pglens?.exclusiveBuffers;
  const n = (key: string): number => (typeof p[key] === 'number' ? (p[key] as number) : 0);
  const hit = b ? b.sharedHit : n('Shared Hit Blocks');
  const read = b ? b.sharedRead : n('Shared Read Blocks');
  const temp = b ? b.tempRead + b.tempWritten : n('Temp Read Blocks') + n('Temp Written Blocks');
  const parts: string[] = [];
  if (hit) parts.push(`hit ${formatCount(hit)}`);
  if (read) parts.push(`<span class="read">read ${formatCount(read)}</span>`);
  if (temp) parts.push(`<span class="temp">temp ${formatCount(temp)}</span>`);
  if (parts.length === 0) return '';
  return `${b ? '' : '<span class="dim" title="inclusive of children">Σ</span> '}${parts.join(' · ')}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
