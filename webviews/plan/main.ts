/**
 * Entry of the plan visualizer webview: toolbar, one graph (or two, before/after), the side panel, the
 * messages to and from the extension, and the state kept with setState across reloads.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-split-layout/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '../shared/theme.css';
import './plan.css';
import type { ExplainResult } from '../../protocol/plan';
import { PLAN_DATA_ELEMENT_ID } from '../../protocol/plan-view';
import type { FromView, PlanMetric, PlanRef, PlanViewContent, PlanViewState, PlanViewTab, ToView, ViewTransform } from '../../protocol/plan-view';
import { acquireHost } from '../shared/vscode';
import { setStandaloneTheme } from '../shared/theme';
import { escapeHtml, Graph } from './graph';
import { buildViewPlan, formatCost, formatDelta, formatMs, matchNodes, ownFigure } from './model';
import type { ViewPlan } from './model';
import { rawText, renderDetails, renderHints, renderSlowest, renderStatement } from './panels';

type Side = 'single' | 'before' | 'after';

declare global {
  interface Window {
    /** When the last plan arrived and when it was drawn (performance.now()), for the bench and tests. */
    pglensTiming?: { received: number; drawn?: number; nodes: number };
  }
}

const host = acquireHost<PlanViewState, FromView.Message>('pglens.plan');
const TABS: PlanViewTab[] = ['hints', 'slowest', 'node', 'statement', 'raw'];
const METRICS: Array<[PlanMetric, string]> = [
  ['time', 'Exclusive time'],
  ['cost', 'Exclusive cost'],
  ['rows', 'Rows'],
  ['buffers', 'Buffers'],
];

// The page's own elements (data, script) stay: the app goes in front of them.
const appElement = document.createElement('div');
appElement.className = 'app';
document.body.prepend(appElement);
appElement.innerHTML = `
  <header class="toolbar">
    <span class="title"></span>
    <vscode-single-select class="plan-picker" hidden aria-label="Statement"></vscode-single-select>
    <span class="summary"></span>
    <span class="spacer"></span>
    <label class="metric-label">Colour by</label>
    <vscode-single-select class="metric" aria-label="Colour by">${METRICS.map(([value, label]) => `<vscode-option value="${value}">${label}</vscode-option>`).join('')}</vscode-single-select>
    <vscode-textfield class="search" placeholder="Search nodes, tables, indexes, filters" aria-label="Search"></vscode-textfield>
    <span class="match-count"></span>
    <vscode-button class="fit" secondary title="Fit the whole plan in view">Fit</vscode-button>
    <vscode-single-select class="export" aria-label="Export"><vscode-option value="">Export…</vscode-option><vscode-option value="svg">View as SVG</vscode-option><vscode-option value="png">View as PNG</vscode-option><vscode-option value="json">Plan as JSON</vscode-option></vscode-single-select>
  </header>
  <div class="deltas" hidden></div>
  <vscode-split-layout class="main" initial-handle-position="70%" min-start="200px" min-end="220px">
    <div slot="start" class="graphs"></div>
    <div slot="end" class="side">
      <vscode-tabs class="tabs" panel>
        <vscode-tab-header slot="header">Hints <vscode-badge class="hint-count" variant="counter">0</vscode-badge></vscode-tab-header>
        <vscode-tab-panel><div class="hints panel-body"></div></vscode-tab-panel>
        <vscode-tab-header slot="header">Slowest</vscode-tab-header>
        <vscode-tab-panel><div class="slowest-list panel-body"></div></vscode-tab-panel>
        <vscode-tab-header slot="header">Node</vscode-tab-header>
        <vscode-tab-panel><div class="details panel-body" aria-live="polite"></div></vscode-tab-panel>
        <vscode-tab-header slot="header">Statement</vscode-tab-header>
        <vscode-tab-panel><div class="statement-panel panel-body"></div></vscode-tab-panel>
        <vscode-tab-header slot="header">Raw</vscode-tab-header>
        <vscode-tab-panel><div class="raw panel-body"><div class="raw-bar"><span class="raw-label"></span><vscode-button class="open-raw" secondary>Open in editor</vscode-button></div><pre class="raw-text"></pre></div></vscode-tab-panel>
      </vscode-tabs>
    </div>
  </vscode-split-layout>`;

const $ = <T extends Element = HTMLElement>(selector: string): T => document.querySelector<T>(selector)!;
interface ValueElement extends HTMLElement {
  value: string;
}
const ui = {
  title: $('.title'),
  picker: $<ValueElement>('.plan-picker'),
  summary: $('.summary'),
  metric: $<ValueElement>('.metric'),
  search: $<ValueElement>('.search'),
  matchCount: $('.match-count'),
  fit: $('.fit'),
  deltas: $('.deltas'),
  graphs: $('.graphs'),
  tabs: $<HTMLElement & { selectedIndex: number }>('.tabs'),
  hintCount: $('.hint-count'),
  hints: $('.hints'),
  details: $('.details'),
  slowest: $('.slowest-list'),
  statement: $('.statement-panel'),
  exportPicker: $<ValueElement>('.export'),
  rawLabel: $('.raw-label'),
  rawText: $('.raw-text'),
  openRaw: $('.open-raw'),
};

let state: PlanViewState | undefined;
const graphs = new Map<Side, Graph>();
let activeSide: Side = 'single';
let saveTimer: ReturnType<typeof setTimeout> | undefined;
/** When the data being shown arrived (before JSON parsing), for pglensTiming. */
let receivedAt: number | undefined;

function saveSoon(): void {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => state && host.setState(state), 250);
}

function refOf(side: Side): PlanRef {
  return side === 'single' ? { kind: 'single', index: state?.planIndex ?? 0 } : { kind: 'compare', side };
}

function sideOf(ref: PlanRef): Side {
  return ref.kind === 'single' ? 'single' : ref.side;
}

function labels(content: PlanViewContent): [string, string] {
  return content.mode === 'compare' ? (content.labels ?? ['Before', 'After']) : ['', ''];
}

/** Shows new content; keeps metric and tab of the current state. */
/** The SQL beside the plan: given by the extension, else the plan's own `Query Text` (auto_explain). */
function statementOf(side: Side): string | undefined {
  if (!state) return undefined;
  const content = state.content;
  const result = content.mode === 'single' ? content.plans[state.planIndex] : side === 'before' ? content.before : content.after;
  const given = content.mode === 'single' ? content.statements?.[state.planIndex] : undefined;
  return given ?? (typeof result?.['Query Text'] === 'string' ? result['Query Text'] : undefined);
}

function load(content: PlanViewContent): void {
  const first = content.mode === 'single' ? content.plans[0] : content.before;
  const analyzed = first ? (first.pglens?.analyzed ?? typeof first.Plan['Actual Total Time'] === 'number') : false;
  state = {
    content,
    planIndex: 0,
    metric: state?.metric ?? (analyzed ? 'time' : 'cost'),
    tab: state?.tab ?? 'hints',
    search: '',
    transforms: {},
  };
  if (!analyzed && state.metric === 'time') state.metric = 'cost';
  render();
  host.setState(state);
}

function render(): void {
  if (!state) return;
  window.pglensTiming = { received: receivedAt ?? performance.now(), nodes: 0 };
  receivedAt = undefined;
  const s = state;
  const content = s.content;
  ui.graphs.replaceChildren();
  graphs.clear();
  ui.title.textContent = content.title;
  ui.graphs.classList.toggle('compare', content.mode === 'compare');

  const sides: Array<[Side, ExplainResult, string]> =
    content.mode === 'single'
      ? content.plans.length > 0
        ? [['single', content.plans[Math.min(s.planIndex, content.plans.length - 1)], '']]
        : []
      : [
          ['before', content.before, labels(content)[0]],
          ['after', content.after, labels(content)[1]],
        ];
  if (sides.length === 0) {
    ui.graphs.innerHTML = '<p class="empty">No plan to show.</p>';
    return;
  }
  renderPicker(content);
  const views = new Map<Side, ViewPlan>();
  for (const [side, result, label] of sides) {
    const plan = buildViewPlan(result);
    views.set(side, plan);
    const pane = document.createElement('div');
    pane.className = `pane pane-${side}`;
    if (label) pane.innerHTML = `<div class="pane-caption"><span class="pane-label">${escapeHtml(label)}</span><span class="pane-summary">${escapeHtml(summary(plan))}</span></div>`;
    ui.graphs.append(pane);
    const graph = new Graph(pane, plan, {
      onSelect: (node) => select(side, node.id, { tab: 'node', centre: false }),
      onTransform: (t: ViewTransform) => {
        s.transforms[side] = t;
        saveSoon();
      },
    });
    pane.addEventListener('pointerdown', () => setActive(side));
    graphs.set(side, graph);
    performance.mark(`pglens:${side}:model`);
    graph.render(s.metric);
    performance.mark(`pglens:${side}:graph`);
    window.pglensTiming.nodes += plan.nodes.length;
  }
  ui.summary.textContent = content.mode === 'single' ? summary(views.get('single')!) : '';
  if (content.mode === 'compare') showNodeDeltas(views.get('before')!, views.get('after')!);
  renderDeltas(content, views);
  ui.metric.value = s.metric;
  ui.search.value = s.search;
  applySearch();
  for (const [side, graph] of graphs) {
    const t = s.transforms[side];
    if (t) graph.apply(t);
    else graph.initialView();
  }
  performance.mark('pglens:view');
  const groups = [...views].map(([side, plan]) => ({ side, plan, label: side === 'single' ? undefined : side === 'before' ? labels(content)[0] : labels(content)[1] }));
  ui.hintCount.textContent = String(groups.reduce((n, g) => n + g.plan.hints.length, 0));
  const shown = views.get(content.mode === 'compare' ? 'after' : 'single')!;
  renderSlowest(ui.slowest, shown, (node) => select(content.mode === 'compare' ? 'after' : 'single', node.id, { centre: true, tab: 'node' }));
  renderHints(ui.hints, groups, {
    select: (g, hint) => select(groups[g].side, hint.nodeId, { centre: true }),
    indexFix: (g, hint, index) => host.postMessage({ type: 'indexFix', ref: refOf(groups[g].side), hint, index }),
  });
  activeSide = s.selected ? sideOf(s.selected.ref) : content.mode === 'compare' ? 'after' : 'single';
  if (s.selected) select(sideOf(s.selected.ref), s.selected.nodeId, { centre: false, quiet: true });
  else {
    renderDetails(ui.details, undefined);
    renderStatement(ui.statement, statementOf(activeSide), undefined);
  }
  setTab(s.tab);
  performance.mark('pglens:panels');
  const timing = window.pglensTiming;
  // After the frame that shows it: layout, DOM and first paint are done.
  requestAnimationFrame(() =>
    setTimeout(() => {
      timing.drawn = performance.now();
      document.body.dataset.drawn = String(Number(document.body.dataset.drawn ?? 0) + 1);
    }, 0),
  );
}

function renderPicker(content: PlanViewContent): void {
  const many = content.mode === 'single' && content.plans.length > 1;
  ui.picker.hidden = !many;
  if (!many || ui.picker.dataset.count === String(content.plans.length)) return;
  ui.picker.dataset.count = String(content.plans.length);
  ui.picker.innerHTML = content.plans
    .map((plan, k) => `<vscode-option value="${k}">Statement ${k + 1}: ${escapeHtml(plan.Plan['Node Type'])}</vscode-option>`)
    .join('');
  ui.picker.value = String(state?.planIndex ?? 0);
}

function summary(plan: ViewPlan): string {
  const r = plan.result;
  const parts: string[] = [];
  if (typeof r['Execution Time'] === 'number') parts.push(`execution ${formatMs(r['Execution Time'])}`);
  else if (plan.totalTime !== undefined) parts.push(`time ${formatMs(plan.totalTime)}`);
  if (typeof r['Planning Time'] === 'number') parts.push(`planning ${formatMs(r['Planning Time'])}`);
  parts.push(`cost ${formatCost(plan.totalCost)}`);
  parts.push(`${plan.nodes.length} nodes`);
  if (!plan.analyzed) parts.push('estimates only');
  if (r.pglens?.source) parts.push(r.pglens.source);
  return parts.join(' · ');
}

function renderDeltas(content: PlanViewContent, views: Map<Side, ViewPlan>): void {
  const before = views.get('before');
  const after = views.get('after');
  ui.deltas.hidden = content.mode !== 'compare' || !before || !after;
  if (!before || !after) return;
  const items: string[] = [];
  const add = (name: string, a: number | undefined, b: number | undefined, format: (v: number) => string): void => {
    if (a === undefined || b === undefined) return;
    const delta = formatDelta(a, b);
    const trend = b < a ? 'better' : b > a ? 'worse' : 'same';
    const ratio = b > 0 && a / b >= 1.5 ? ` · ${(a / b).toFixed(1)}× faster` : '';
    items.push(`<span class="delta ${trend}"><span class="delta-name">${name}</span> ${escapeHtml(format(a))} → ${escapeHtml(format(b))} <b>${delta}</b>${name === 'Time' ? escapeHtml(ratio) : ''}</span>`);
  };
  add('Time', before.totalTime, after.totalTime, formatMs);
  const planning = (p: ViewPlan): number | undefined => (typeof p.result['Planning Time'] === 'number' ? p.result['Planning Time'] : undefined);
  add('Planning', planning(before), planning(after), formatMs);
  add('Cost', before.totalCost, after.totalCost, formatCost);
  add('Nodes', before.nodes.length, after.nodes.length, String);
  add('Hints', before.hints.length, after.hints.length, String);
  ui.deltas.innerHTML = items.join('');
}

/** Each node of the after plan against its match in the before plan (and the before plan's nodes that went). */
function showNodeDeltas(before: ViewPlan, after: ViewPlan): void {
  const timed = before.analyzed && after.analyzed;
  const format = (value: number): string => (timed ? formatMs(value) : `cost ${formatCost(value)}`);
  const matches = matchNodes(before, after);
  const afterDeltas = new Map<number, { text: string; trend: 'better' | 'worse' | 'same' | 'new'; title: string }>();
  const beforeDeltas = new Map<number, { text: string; trend: 'better' | 'worse' | 'same' | 'new'; title: string }>();
  for (const node of after.nodes) {
    const match = matches.get(node.index);
    if (!match) {
      afterDeltas.set(node.index, { text: 'new', trend: 'new', title: 'Not in the other plan' });
      continue;
    }
    const a = ownFigure(match, timed);
    const b = ownFigure(node, timed);
    if (a === undefined || b === undefined) continue;
    const delta = formatDelta(a, b);
    // Differences under 5% (or 0.05 ms) are noise between two runs.
    const trend = Math.abs(b - a) < Math.max(0.05 * a, timed ? 0.05 : 0.5) ? 'same' : b < a ? 'better' : 'worse';
    if (delta && trend !== 'same') afterDeltas.set(node.index, { text: delta, trend, title: `${format(a)} → ${format(b)}` });
  }
  const matched = new Set([...matches.values()].map((node) => node.index));
  for (const node of before.nodes) if (!matched.has(node.index)) beforeDeltas.set(node.index, { text: 'gone', trend: 'new', title: 'Not in the other plan' });
  graphs.get('after')?.setDeltas(afterDeltas);
  graphs.get('before')?.setDeltas(beforeDeltas);
}

function setActive(side: Side): void {
  activeSide = side;
  for (const [s, graph] of graphs) graph.element.parentElement?.classList.toggle('active', s === side && graphs.size > 1);
  if (state?.tab === 'raw') showRaw();
}

function select(side: Side, nodeId: number, options: { centre: boolean; tab?: PlanViewTab; quiet?: boolean }): void {
  const graph = graphs.get(side);
  const node = graph?.plan.byId.get(nodeId);
  if (!state || !graph || !node) return;
  for (const [s, g] of graphs) g.setSelected(s === side ? nodeId : undefined);
  state.selected = { ref: refOf(side), nodeId };
  setActive(side);
  const content = state.content;
  renderDetails(ui.details, node, content.mode === 'compare' ? labels(content)[side === 'before' ? 0 : 1] : undefined, graph.plan);
  renderStatement(ui.statement, statementOf(side), node);
  if (options.centre) graph.centreOn(nodeId);
  if (options.tab) setTab(options.tab);
  if (!options.quiet) host.postMessage({ type: 'nodeSelected', ref: state.selected.ref, nodeId });
  saveSoon();
}

function setTab(tab: PlanViewTab): void {
  if (!state) return;
  state.tab = tab;
  if (ui.tabs.selectedIndex !== TABS.indexOf(tab)) ui.tabs.selectedIndex = TABS.indexOf(tab);
  if (tab === 'raw') showRaw();
  saveSoon();
}

function showRaw(): void {
  const graph = graphs.get(activeSide) ?? graphs.values().next().value;
  if (!graph || !state) return;
  const key = `${activeSide}:${state.planIndex}`;
  if (ui.rawText.dataset.key === key && ui.rawText.dataset.content === state.content.title) return;
  ui.rawText.dataset.key = key;
  ui.rawText.dataset.content = state.content.title;
  ui.rawLabel.textContent = activeSide === 'single' ? '' : labels(state.content)[activeSide === 'before' ? 0 : 1];
  ui.rawText.textContent = rawText(graph.plan);
}

function applySearch(): void {
  if (!state) return;
  let total = 0;
  for (const graph of graphs.values()) total += graph.setSearch(state.search);
  ui.matchCount.textContent = state.search.trim() ? `${total} match${total === 1 ? '' : 'es'}` : '';
}

// Controls.
ui.metric.addEventListener('change', () => {
  if (!state) return;
  state.metric = ui.metric.value as PlanMetric;
  for (const graph of graphs.values()) graph.setMetric(state.metric);
  saveSoon();
});
ui.search.addEventListener('input', () => {
  if (!state) return;
  state.search = ui.search.value;
  applySearch();
  saveSoon();
});
ui.search.addEventListener('keydown', (event) => {
  if ((event as KeyboardEvent).key !== 'Enter') return;
  for (const [side, graph] of graphs) {
    const match = graph.firstMatch();
    if (match) return select(side, match.id, { centre: true });
  }
});
ui.picker.addEventListener('change', () => {
  if (!state) return;
  state.planIndex = Number(ui.picker.value);
  state.selected = undefined;
  state.transforms = {};
  render();
  saveSoon();
});
ui.fit.addEventListener('click', () => {
  for (const graph of graphs.values()) graph.fit(true);
});
ui.tabs.addEventListener('vsc-tabs-select', (event) => {
  const index = (event as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
  if (TABS[index] && state?.tab !== TABS[index]) setTab(TABS[index]);
});
ui.exportPicker.addEventListener('change', () => {
  const choice = ui.exportPicker.value;
  ui.exportPicker.value = '';
  const graph = graphs.get(activeSide) ?? graphs.values().next().value;
  if (!graph || !choice) return;
  if (choice === 'json') return save('plan.json', `[\n${rawText(graph.plan)}\n]\n`);
  const svg = graph.toSvg();
  if (choice === 'svg') return save('plan.svg', svg);
  void svgToPng(svg).then((png) => save('plan.png', png));
});

/** In VS Code the extension asks where to save; in a browser the file downloads. */
function save(fileName: string, data: string): void {
  if (host.inVsCode) return host.postMessage({ type: 'export', fileName, data });
  const link = document.createElement('a');
  link.download = fileName;
  link.href = data.startsWith('data:') ? data : URL.createObjectURL(new Blob([data], { type: fileName.endsWith('.svg') ? 'image/svg+xml' : 'application/json' }));
  link.click();
}

async function svgToPng(svg: string): Promise<string> {
  const image = new Image();
  image.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(svg)))}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  canvas.getContext('2d')!.drawImage(image, 0, 0);
  return canvas.toDataURL('image/png');
}

ui.openRaw.addEventListener('click', () => host.postMessage({ type: 'openRaw', ref: refOf(activeSide) }));

// Messages from the extension (in a plain browser, window.postMessage does the same).
window.addEventListener('message', (event: MessageEvent<ToView.Message>) => {
  const message = event.data;
  receivedAt = performance.now();
  try {
    switch (message?.type) {
      case 'show':
        return load({ mode: 'single', title: message.title, plans: message.plans, statements: message.statements });
      case 'compare':
        return load({ mode: 'compare', title: message.title, before: message.before, after: message.after, labels: message.labels });
      case 'restore':
        state = message.state;
        render();
        return;
      case 'theme':
        if (!host.inVsCode) setStandaloneTheme(message.theme);
        return;
      case 'selectNode':
        return select(sideOf(message.ref), message.nodeId, { centre: true, tab: 'node' });
    }
  } catch (error) {
    host.postMessage({ type: 'error', message: String(error instanceof Error ? (error.stack ?? error.message) : error) });
    throw error;
  }
});

// Start: saved state (reload) first, then data embedded by the standalone page, else wait for the extension.
function start(): void {
  const saved = host.getState();
  const embedded = document.getElementById(PLAN_DATA_ELEMENT_ID);
  if (saved?.content) {
    state = saved;
    render();
  } else if (embedded?.textContent) {
    receivedAt = performance.now();
    load(JSON.parse(embedded.textContent) as PlanViewContent);
  }
  host.postMessage({ type: 'ready', restored: saved?.content !== undefined });
}

// The custom elements upgrade synchronously on import; wait one frame so the graph pane has its size.
requestAnimationFrame(start);
