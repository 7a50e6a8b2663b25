/**
 * One plan drawn as a top-down tree of HTML cards over an SVG of edges, zoomed and panned with d3-zoom.
 * Cards are built as one HTML string (no per-node framework work) and placed through the CSSOM, which the
 * strict CSP allows; 2,000 nodes draw well under a second.
 */
import { hierarchy, tree as d3tree } from 'd3-hierarchy';
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
/** The smallest text a card shows, in screen pixels, at any zoom the view chooses (fit included). */
export const MIN_LABEL_PX = 11;
/** Below this zoom a card shows only its name, target and figure, in larger type (see plan.css). */
const COMPACT_ZOOM = 0.999;
/** Compact labels are 22 px on the canvas: 11 px on screen at this zoom, the least "fit" goes to. */
const MIN_FIT_ZOOM = 0.5;
/** A node keeps this many children in view when its others are summarised into one card. */
const KEEP_CHILDREN = 3;

export interface GraphCallbacks {
  onSelect(node: ViewNode): void;
  onTransform(transform: ViewTransform): void;
}

/** One card on the canvas: a plan node, or a summary of siblings the view put aside to stay readable. */
type Item =
  | { kind: 'node'; node: ViewNode; children: Item[]; x: number; y: number; hiddenBelow: number }
  | { kind: 'cluster'; parent: ViewNode; members: ViewNode[]; children: Item[]; x: number; y: number; hiddenBelow: number };

export class Graph {
  readonly element: HTMLDivElement;
  private readonly canvas: HTMLDivElement;
  private readonly edges: SVGSVGElement;
  /** Card of each node by `ViewNode.index`; undefined while the node is summarised. */
  private cards: Array<HTMLElement | undefined> = [];
  private items: Item[] = [];
  private bounds = { minX: 0, minY: 0, maxX: 0, maxY: 0 };
  private readonly zoomBehavior: ZoomBehavior<HTMLDivElement, unknown>;
  private selectedIndex: number | undefined;
  private metric: PlanMetric = 'cost';
  private search = '';
  /** Children put into a summary card, per parent index; subtrees shown as one card. */
  private clustered = new Map<number, Set<number>>();
  private collapsed = new Set<number>();
  /** Nodes the user asked to see (opened a summary, selected a hidden node): never summarised again. */
  private pinned = new Set<number>();
  /** Nodes under each node (all depths), for the summary cards. */
  private readonly descendants: number[];

  constructor(
    host: HTMLElement,
    readonly plan: ViewPlan,
    private readonly callbacks: GraphCallbacks,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'graph';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'tree');
    this.element.setAttribute('aria-label', 'Plan tree: arrow keys move between nodes, Enter opens a summary');
    this.canvas = document.createElement('div');
    this.canvas.className = 'canvas';
    this.edges = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.edges.classList.add('edges');
    this.canvas.append(this.edges);
    this.element.append(this.canvas);
    host.append(this.element);
    this.descendants = new Array<number>(plan.nodes.length).fill(0);
    for (let k = plan.nodes.length - 1; k >= 0; k--) {
      const parent = plan.nodes[k].parent;
      if (parent) this.descendants[parent.index] += 1 + this.descendants[k];
    }
    this.zoomBehavior = zoom<HTMLDivElement, unknown>()
      .scaleExtent([0.05, 2.5])
      .on('zoom', (event: D3ZoomEvent<HTMLDivElement, unknown>) => {
        const { x, y, k } = event.transform;
        this.canvas.style.transform = `translate(${x}px, ${y}px) scale(${k})`;
        this.element.classList.toggle('compact', k < COMPACT_ZOOM);
        this.element.classList.toggle('far', k < MIN_FIT_ZOOM * 0.9);
        this.element.style.setProperty('--zoom', String(Math.max(k, MIN_FIT_ZOOM)));
        this.callbacks.onTransform({ x, y, k });
      });
    select(this.element).call(this.zoomBehavior).on('dblclick.zoom', null);
    this.canvas.addEventListener('click', (event) => {
      const card = (event.target as Element).closest<HTMLElement>('.card');
      if (!card) return;
      if (card.dataset.cluster !== undefined) return this.openCluster(Number(card.dataset.cluster));
      const index = Number(card.dataset.i);
      if ((event.target as Element).closest('.more') && this.collapsed.has(index)) return this.openSubtree(index);
      this.callbacks.onSelect(this.plan.nodes[index]);
    });
    this.element.addEventListener('keydown', (event) => this.onKey(event));
  }

  /** Lays the tree out (summarising what would not be readable when fitted) and builds the DOM. */
  render(metric: PlanMetric): void {
    this.metric = metric;
    this.summarise();
    this.draw();
  }

  /** How many cards are drawn, and how many nodes the summary cards stand for. */
  counts(): { cards: number; summarised: number } {
    const cards = this.canvas.querySelectorAll('.card').length;
    return { cards, summarised: this.plan.nodes.length - this.cards.filter(Boolean).length };
  }

  /** Builds the visible tree: clustered siblings become one card, collapsed subtrees end at their root. */
  private build(): Item {
    const make = (node: ViewNode): Item => {
      const item: Item = { kind: 'node', node, children: [], x: 0, y: 0, hiddenBelow: 0 };
      if (this.collapsed.has(node.index)) {
        item.hiddenBelow = this.descendants[node.index];
        return item;
      }
      const hidden = this.clustered.get(node.index);
      for (const child of node.children) if (!hidden?.has(child.index)) item.children.push(make(child));
      if (hidden && hidden.size > 0) {
        const members = node.children.filter((child) => hidden.has(child.index));
        item.children.push({ kind: 'cluster', parent: node, members, children: [], x: 0, y: 0, hiddenBelow: members.reduce((n, m) => n + 1 + this.descendants[m.index], 0) });
      }
      return item;
    };
    return make(this.plan.nodes[0]);
  }

  private layout(root: Item): { width: number; height: number; items: Item[] } {
    const tree = hierarchy<Item>(root, (item) => item.children);
    d3tree<Item>()
      .nodeSize([CARD_WIDTH + GAP_X, CARD_HEIGHT + GAP_Y])
      .separation((a, b) => (a.parent === b.parent ? 1 : 1.12))(tree);
    const items: Item[] = [];
    let minX = Infinity;
    let maxX = -Infinity;
    let maxY = 0;
    tree.each((d) => {
      d.data.x = (d.x ?? 0) - CARD_WIDTH / 2;
      d.data.y = d.y ?? 0;
      items.push(d.data);
      minX = Math.min(minX, d.data.x);
      maxX = Math.max(maxX, d.data.x + CARD_WIDTH);
      maxY = Math.max(maxY, d.data.y + CARD_HEIGHT);
    });
    this.bounds = { minX, minY: 0, maxX, maxY };
    return { width: maxX - minX, height: maxY, items };
  }

  private viewport(): { width: number; height: number } {
    return { width: (this.element.clientWidth || 800) - 48, height: (this.element.clientHeight || 600) - 48 };
  }

  /**
   * Puts aside what would make "fit" shrink labels below MIN_LABEL_PX: the least costly children of
   * wide nodes go into one summary card, then subtrees too deep for the height end at their root.
   * What the user opened or selected stays.
   */
  private summarise(): void {
    const view = this.viewport();
    const levelHeight = CARD_HEIGHT + GAP_Y;
    const columnWidth = CARD_WIDTH + GAP_X;
    const levels = Math.max(2, Math.floor((view.height / MIN_FIT_ZOOM + GAP_Y) / levelHeight));
    const value = (node: ViewNode): number => metricValue(node, this.metric) ?? 0;
    const subtreeValue = new Array<number>(this.plan.nodes.length).fill(0);
    for (let k = this.plan.nodes.length - 1; k >= 0; k--) {
      subtreeValue[k] += value(this.plan.nodes[k]);
      const parent = this.plan.nodes[k].parent;
      if (parent) subtreeValue[parent.index] += subtreeValue[k];
    }
    const keep = (node: ViewNode): boolean => this.pinned.has(node.index);
    // Too deep: subtrees end at the last level that fits (unless the user opened something below).
    const depth = new Array<number>(this.plan.nodes.length).fill(0);
    for (const node of this.plan.nodes) {
      if (node.parent) depth[node.index] = depth[node.parent.index] + 1;
      if (depth[node.index] === levels - 1 && node.children.length > 0 && !this.pinnedBelow(node)) this.collapsed.add(node.index);
    }
    // Too wide: count the columns the visible tree needs (its leaves, summary cards included) and cut the widest places.
    const visibleChildren = (node: ViewNode): ViewNode[] => (this.collapsed.has(node.index) ? [] : node.children.filter((child) => !this.clustered.get(node.index)?.has(child.index)));
    let columnsAllowed = Math.max(1, Math.floor((view.width / MIN_FIT_ZOOM + GAP_X) / columnWidth));
    for (let attempt = 0; attempt < 6; attempt++) {
      for (let round = 0; round < 2000; round++) {
        const leaves = new Array<number>(this.plan.nodes.length).fill(0);
        const visible: ViewNode[] = [];
        const stack = [this.plan.nodes[0]];
        while (stack.length > 0) {
          const node = stack.pop()!;
          visible.push(node);
          stack.push(...visibleChildren(node));
        }
        for (let k = visible.length - 1; k >= 0; k--) {
          const node = visible[k];
          const children = visibleChildren(node);
          leaves[node.index] = (children.length === 0 ? 1 : children.reduce((n, c) => n + leaves[c.index], 0)) + (this.clustered.get(node.index)?.size ? 1 : 0);
        }
        if (leaves[0] <= columnsAllowed) break;
        // The node with the most children shown keeps its costliest few; the others become one summary card.
        const wide = visible.filter((node) => visibleChildren(node).length > KEEP_CHILDREN).sort((a, b) => visibleChildren(b).length - visibleChildren(a).length)[0];
        if (wide) {
          const ranked = [...visibleChildren(wide)].sort((a, b) => Number(keep(b)) - Number(keep(a)) || subtreeValue[b.index] - subtreeValue[a.index]);
          const hide = ranked.slice(KEEP_CHILDREN).filter((node) => !keep(node));
          if (hide.length > 1) {
            const set = this.clustered.get(wide.index) ?? new Set<number>();
            for (const node of hide) set.add(node.index);
            this.clustered.set(wide.index, set);
            continue;
          }
        }
        // Then the subtree that takes the most columns for the least time (or cost) ends at its root.
        const best = visible
          .filter((node) => node.parent && leaves[node.index] > 1 && !this.pinnedBelow(node))
          .sort((a, b) => leaves[b.index] / (1 + subtreeValue[b.index]) - leaves[a.index] / (1 + subtreeValue[a.index]))[0];
        if (!best) break;
        this.collapsed.add(best.index);
      }
      // The layout separates cousins a little more than siblings: check the real width and tighten if needed.
      const { width, height } = this.layout(this.build());
      if (Math.min(view.width / width, view.height / height) >= MIN_FIT_ZOOM || columnsAllowed === 1) return;
      columnsAllowed = Math.max(1, Math.floor(columnsAllowed * 0.85));
    }
  }

  /** True when a pinned node lies below `node` (collapsing it would hide what the user asked to see). */
  private pinnedBelow(node: ViewNode): boolean {
    for (const index of this.pinned) if (index > node.index && index <= node.index + this.descendants[node.index]) return true;
    return false;
  }

  private draw(): void {
    const { items } = this.layout(this.build());
    this.items = items;
    this.canvas.querySelectorAll('.card').forEach((card) => card.remove());
    this.cards = new Array<HTMLElement | undefined>(this.plan.nodes.length);
    this.canvas.insertAdjacentHTML('beforeend', items.map((item) => (item.kind === 'node' ? cardHtml(item.node, this.plan, item.hiddenBelow) : clusterHtml(item, this.plan))).join(''));
    const elements = this.canvas.querySelectorAll<HTMLElement>('.card');
    items.forEach((item, k) => {
      const card = elements[k];
      card.style.left = `${item.x}px`;
      card.style.top = `${item.y}px`;
      if (item.kind === 'node') {
        this.cards[item.node.index] = card;
        const pct = barPercent(item.node, this.plan);
        if (pct > 0) card.style.setProperty('--pct', pct.toFixed(1));
      }
    });
    this.drawEdges();
    this.setMetric(this.metric);
    this.setSelected(this.selectedIndex === undefined ? undefined : this.plan.nodes[this.selectedIndex].id);
    this.setSearch(this.search);
    this.drawDeltas();
  }

  private drawEdges(): void {
    const { minX, maxX, maxY } = this.bounds;
    const svg = this.edges;
    svg.setAttribute('width', String(maxX - minX));
    svg.setAttribute('height', String(maxY));
    svg.setAttribute('viewBox', `${minX} 0 ${maxX - minX} ${maxY}`);
    svg.style.left = `${minX}px`;
    const parts: string[] = [];
    const visit = (item: Item): void => {
      for (const child of item.children) {
        const px = item.x + CARD_WIDTH / 2;
        const py = item.y + CARD_HEIGHT;
        const cx = child.x + CARD_WIDTH / 2;
        const cy = child.y;
        const mid = (py + cy) / 2;
        const rows = child.kind === 'node' ? child.node.rowsOut : child.members.reduce((n, m) => n + m.rowsOut, 0);
        // Log scale: 1 row → 1.5 px, 1M rows → ~13 px.
        const width = Math.min(16, 1.5 + 1.9 * Math.log10(rows + 1));
        parts.push(`<path d="M${px},${py}C${px},${mid} ${cx},${mid} ${cx},${cy}" stroke-width="${width.toFixed(1)}"><title>${escapeHtml(formatCount(rows))} rows</title></path>`);
        visit(child);
      }
    };
    if (this.items[0]) visit(this.items[0]);
    svg.innerHTML = parts.join('');
  }

  /** Colours the cards by `metric`: the share of the plan's largest value, on a square-root scale. */
  setMetric(metric: PlanMetric): void {
    this.metric = metric;
    const values = this.plan.nodes.map((node) => metricValue(node, metric));
    const max = Math.max(0, ...values.map((v) => v ?? 0));
    for (let k = 0; k < values.length; k++) {
      const card = this.cards[k];
      if (!card) continue;
      const value = values[k];
      const heat = value === undefined || max <= 0 ? 0 : Math.sqrt(Math.max(0, value) / max);
      card.style.setProperty('--heat', heat.toFixed(3));
      card.classList.toggle('hot', heat >= 0.7);
    }
  }

  setSelected(nodeId: number | undefined): void {
    if (this.selectedIndex !== undefined) this.cards[this.selectedIndex]?.classList.remove('selected');
    const node = nodeId === undefined ? undefined : this.plan.byId.get(nodeId);
    this.selectedIndex = node?.index;
    if (!node) return;
    if (!this.cards[node.index]) this.reveal(node);
    const card = this.cards[node.index];
    card?.classList.add('selected');
    card?.setAttribute('aria-selected', 'true');
  }

  /** Shows a summarised node: its ancestors' summaries open and stay open. */
  reveal(node: ViewNode): void {
    for (let at: ViewNode | undefined = node; at; at = at.parent) {
      this.pinned.add(at.index);
      if (at.parent) this.clustered.get(at.parent.index)?.delete(at.index);
      if (at !== node) this.collapsed.delete(at.index);
    }
    this.draw();
  }

  private openCluster(parentIndex: number): void {
    const members = this.clustered.get(parentIndex);
    if (!members) return;
    for (const index of members) this.pinned.add(index);
    this.clustered.delete(parentIndex);
    this.draw();
    this.centreOn(this.plan.nodes[parentIndex].id);
  }

  private openSubtree(index: number): void {
    this.collapsed.delete(index);
    this.pinned.add(index);
    for (const child of this.plan.nodes[index].children) this.pinned.add(child.index);
    this.draw();
    this.centreOn(this.plan.nodes[index].id);
  }

  /** Arrow keys move the selection along the tree (parent, first child, siblings); Enter opens a summary. */
  private onKey(event: KeyboardEvent): void {
    const current = this.selectedIndex === undefined ? undefined : this.plan.nodes[this.selectedIndex];
    let next: ViewNode | undefined;
    if (!current) next = this.plan.nodes[0];
    else if (event.key === 'ArrowUp') next = current.parent;
    else if (event.key === 'ArrowDown') next = current.children[0];
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      const siblings = current.parent?.children ?? [];
      next = siblings[siblings.indexOf(current) + (event.key === 'ArrowLeft' ? -1 : 1)];
    } else if (event.key === 'Enter' && this.collapsed.has(current.index)) {
      this.openSubtree(current.index);
      event.preventDefault();
      return;
    } else return;
    event.preventDefault();
    if (!next) return;
    this.callbacks.onSelect(next);
    this.centreOn(next.id);
  }

  /** Highlights the nodes whose type, relation, index or conditions contain `query`; returns how many. */
  setSearch(query: string): number {
    this.search = query;
    const needle = query.trim().toLowerCase();
    let count = 0;
    for (let k = 0; k < this.plan.nodes.length; k++) {
      const match = needle !== '' && this.plan.nodes[k].haystack.includes(needle);
      if (match) count++;
      this.cards[k]?.classList.toggle('match', match);
    }
    this.element.classList.toggle('searching', needle !== '');
    return count;
  }

  firstMatch(): ViewNode | undefined {
    const needle = this.search.trim().toLowerCase();
    return needle ? this.plan.nodes.find((node) => node.haystack.includes(needle)) : undefined;
  }

  fit(animate = false): void {
    const { minX, maxX, maxY } = this.bounds;
    const width = this.element.clientWidth || 800;
    const height = this.element.clientHeight || 600;
    const pad = 24;
    // Never larger than 1: a small plan stays at its natural size at the top.
    const k = Math.min(1, (width - 2 * pad) / (maxX - minX), (height - 2 * pad) / maxY);
    const x = (width - k * (maxX - minX)) / 2 - k * minX;
    this.apply({ x, y: pad, k }, animate);
  }

  /** First view: the whole plan (summarised so that its labels stay readable). */
  initialView(): void {
    this.fit();
  }

  /** Centres a node, zooming in to a readable scale if needed. */
  centreOn(nodeId: number, animate = true): void {
    const node = this.plan.byId.get(nodeId);
    if (node && !this.cards[node.index]) this.reveal(node);
    const item = node && this.items.find((entry) => entry.kind === 'node' && entry.node === node);
    if (!item) return;
    const current = this.transform();
    const k = Math.max(current.k, 0.8);
    const width = this.element.clientWidth || 800;
    const height = this.element.clientHeight || 600;
    this.apply({ k, x: width / 2 - k * (item.x + CARD_WIDTH / 2), y: height / 2 - k * (item.y + CARD_HEIGHT / 2) }, animate);
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

  /** The drawn tree as a standalone SVG: cards as boxes with their name, target and figure, in the theme's colours. */
  toSvg(): string {
    const { minX, maxX, maxY } = this.bounds;
    const pad = 16;
    const style = getComputedStyle(this.element);
    const text = style.color;
    const parts: string[] = [this.edges.innerHTML.replace(/<path /g, `<path fill="none" stroke="${getComputedStyle(this.edges.querySelector('path') ?? this.edges).stroke || '#888'}" `)];
    const elements = this.canvas.querySelectorAll<HTMLElement>('.card');
    this.items.forEach((item, k) => {
      const card = elements[k];
      if (!card) return;
      const look = getComputedStyle(card);
      const lines = [card.querySelector('.type')?.textContent ?? '', card.querySelector('.target')?.textContent ?? '', [card.querySelector('.figure')?.textContent, card.querySelector('.pct')?.textContent].filter(Boolean).join(' · ')];
      parts.push(
        `<g transform="translate(${item.x},${item.y})"><rect width="${CARD_WIDTH}" height="${CARD_HEIGHT}" rx="5" fill="${look.backgroundColor}" stroke="${look.borderTopColor}"/>` +
          lines.map((line, n) => `<text x="10" y="${24 + n * 24}" font-size="${n === 0 ? 15 : 13}"${n === 0 ? ' font-weight="600"' : ''} fill="${text}">${escapeHtml(line.length > 30 ? `${line.slice(0, 29)}…` : line)}</text>`).join('') +
          `</g>`,
      );
    });
    const width = maxX - minX + 2 * pad;
    const height = maxY + 2 * pad;
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${minX - pad} ${-pad} ${width} ${height}" font-family="sans-serif"><rect x="${minX - pad}" y="${-pad}" width="${width}" height="${height}" fill="${getComputedStyle(document.body).backgroundColor}"/>${parts.join('')}</svg>`;
  }

  /**
   * Per-node differences with the other plan of a comparison: `+40%`/`−92%` of the node's own time (or
   * cost) on each card, `new` for a node the other plan has not; kept across redraws.
   */
  setDeltas(deltas: Map<number, { text: string; trend: 'better' | 'worse' | 'same' | 'new'; title: string }>): void {
    this.deltas = deltas;
    this.drawDeltas();
  }

  private deltas = new Map<number, { text: string; trend: 'better' | 'worse' | 'same' | 'new'; title: string }>();

  private drawDeltas(): void {
    for (const [index, delta] of this.deltas) {
      const head = this.cards[index]?.querySelector('.head');
      if (!head || head.querySelector('.node-delta')) continue;
      const badge = document.createElement('span');
      badge.className = `node-delta ${delta.trend}`;
      badge.textContent = delta.text;
      badge.title = delta.title;
      head.insertBefore(badge, head.querySelector('.pct'));
    }
  }

  /** Card element of a node (tests and the hints panel use it). */
  card(nodeId: number): HTMLElement | undefined {
    const node = this.plan.byId.get(nodeId);
    return node && this.cards[node.index];
  }
}

function clusterHtml(item: Extract<Item, { kind: 'cluster' }>, plan: ViewPlan): string {
  const types = new Map<string, number>();
  for (const member of item.members) types.set(member.plan['Node Type'], (types.get(member.plan['Node Type']) ?? 0) + 1);
  const list = [...types].sort((a, b) => b[1] - a[1]).map(([type, n]) => `${n} × ${type}`).join(', ');
  const share = item.members.reduce((total, member) => total + barPercentSubtree(member, plan), 0);
  const label = `${item.hiddenBelow} more nodes under ${item.parent.plan['Node Type']}: ${list}. Enter or click to show them.`;
  return (
    `<div class="card cluster" data-cluster="${item.parent.index}" role="treeitem" tabindex="-1" aria-label="${escapeHtml(label)}">` +
    `<div class="head"><span class="type">+${item.hiddenBelow} more</span><span class="pct">${share > 0 ? `${share.toFixed(share >= 10 ? 0 : 1)}%` : ''}</span></div>` +
    `<div class="target">${escapeHtml(list)}</div>` +
    `<div class="bar"><span class="figure">click to show</span></div>` +
    `</div>`
  );
}

/** The share of the plan (time, else cost) a node and everything under it account for. */
function barPercentSubtree(node: ViewNode, plan: ViewPlan): number {
  let total = barPercent(node, plan);
  for (const child of node.children) total += barPercentSubtree(child, plan);
  return Math.min(100, total);
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

function cardHtml(node: ViewNode, plan: ViewPlan, hiddenBelow = 0): string {
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

  const label = `${p['Node Type']}${target ? ` on ${target}` : ''}${figure ? `, ${figure}` : ''}${pct > 0 ? `, ${pct.toFixed(1)}% of the plan` : ''}${node.hints.length ? `, ${node.hints.length} hint${node.hints.length > 1 ? 's' : ''}` : ''}${hiddenBelow ? `, ${hiddenBelow} nodes below not shown` : ''}`;
  return (
    `<div class="card${hiddenBelow ? ' folded' : ''}" data-i="${node.index}" data-id="${node.id}" role="treeitem" tabindex="-1" aria-label="${escapeHtml(label)}">` +
    `<div class="head"><span class="type" title="${escapeHtml(p['Node Type'])}">${escapeHtml(p['Node Type'])}</span>${hintMark}<span class="pct">${pct > 0 ? `${pct.toFixed(pct >= 10 ? 0 : 1)}%` : ''}</span></div>` +
    `<div class="target" title="${escapeHtml(target)}">${tag ? `<span class="tag">${escapeHtml(tag)}</span> ` : ''}${escapeHtml(target)}</div>` +
    `<div class="bar"><span class="fill"></span><span class="figure">${escapeHtml(figure)}</span></div>` +
    `<div class="rows">${rows}</div>` +
    `<div class="bufs">${buffersText(node)}</div>` +
    (hiddenBelow ? `<div class="more" title="Show the nodes below">+${hiddenBelow} below</div>` : '') +
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
