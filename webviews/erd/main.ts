/**
 * Entry of the ER diagram webview: toolbar (search, schemas, keys only, focus depth, path, fit, layout,
 * export), the diagram, a minimap past 100 tables, hover facts, the banner of a failing migration and
 * the empty state. Layout runs in a Web Worker; positions go back to the extension to be saved.
 * Above LARGE_SCHEMA boxes nothing is laid out until asked: search and focus draw a neighbourhood.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '../shared/theme.css';
import './erd.css';
import type { ErdLayoutFile, ErdModel, ErdViewState, FromView, ToView } from '../../protocol/erd';
import { ERD_DATA_ELEMENT_ID, erdKey } from '../../protocol/erd';
import type { Box } from '../../protocol/erd-diagram/geometry';
import { boxesOf, displayName } from '../../protocol/erd-diagram/geometry';
import { layoutInput } from '../../protocol/erd-diagram/layout';
import { adjacency, neighbourhood, restrictTo, shortestPath } from '../../protocol/erd-diagram/select';
import { renderSvg } from '../../protocol/erd-diagram/svg';
import { setStandaloneTheme, themeKind } from '../shared/theme';
import { acquireHost } from '../shared/vscode';
import { Diagram, escapeXml } from './draw';
import { LayoutClient } from './layout-client';
import { Minimap } from './minimap';

/** Above this many tables and views, nothing is laid out until the user asks (search and focus work at once). */
export const LARGE_SCHEMA = 2000;

declare global {
  interface Window {
    /** performance.now() marks of the last model shown, for the bench and tests. */
    pglensErdTiming?: { received: number; layoutStart?: number; layoutEnd?: number; workerMs?: number; drawn?: number; boxes: number; mode?: 'full' | 'focus' | 'large' };
  }
}

const host = acquireHost<ErdViewState, FromView.Message>('pglens.erd');
const app = document.createElement('div');
app.className = 'app';
document.body.prepend(app);
app.innerHTML = `
  <header class="toolbar" role="toolbar" aria-label="Diagram tools">
    <vscode-textfield class="search" placeholder="Search tables and columns ( / )" aria-label="Search tables and columns"></vscode-textfield>
    <span class="match-count" aria-live="polite"></span>
    <vscode-multi-select class="schemas" aria-label="Schemas shown"></vscode-multi-select>
    <vscode-checkbox class="keys-only" label="Keys only"></vscode-checkbox>
    <label class="depth-label">Hops <vscode-single-select class="depth" aria-label="Hops around the focused table"><vscode-option value="1">1</vscode-option><vscode-option value="2">2</vscode-option><vscode-option value="3">3</vscode-option></vscode-single-select></label>
    <vscode-textfield class="path-from" placeholder="Path from" aria-label="Path from table"></vscode-textfield>
    <vscode-textfield class="path-to" placeholder="to" aria-label="Path to table"></vscode-textfield>
    <vscode-button class="find-path" secondary>Path</vscode-button>
    <span class="spacer"></span>
    <vscode-button class="show-all" secondary title="Show the whole diagram (Escape)">All</vscode-button>
    <vscode-button class="fit" secondary title="Fit in view (F)">Fit</vscode-button>
    <vscode-button class="relayout" secondary title="Lay out again, forgetting moved boxes">Layout</vscode-button>
    <vscode-button class="export-svg" secondary>SVG</vscode-button>
    <vscode-button class="export-png" secondary>PNG</vscode-button>
  </header>
  <div class="banner" role="alert" hidden></div>
  <div class="status-line"><span class="source"></span> <span class="counts"></span> <span class="mode"></span></div>
  <div class="stage">
    <div class="canvas"></div>
    <ul class="results" role="listbox" aria-label="Search results" hidden></ul>
    <div class="selection" hidden>
      <span class="selected-name"></span>
      <vscode-button class="focus-selected" secondary>Focus</vscode-button>
      <vscode-button class="hide-selected" secondary>Hide</vscode-button>
      <vscode-button class="open-selected" secondary>Go to definition</vscode-button>
    </div>
    <div class="notice" hidden></div>
    <div class="tooltip" role="tooltip" hidden></div>
  </div>`;

const $ = <T extends Element = HTMLElement>(selector: string): T => app.querySelector<T>(selector)!;
interface ValueElement extends HTMLElement {
  value: string;
}
interface MultiElement extends HTMLElement {
  value: string[];
}
interface CheckElement extends HTMLElement {
  checked: boolean;
}
const ui = {
  search: $<ValueElement>('.search'),
  matchCount: $('.match-count'),
  schemas: $<MultiElement>('.schemas'),
  keysOnly: $<CheckElement>('.keys-only'),
  depth: $<ValueElement>('.depth'),
  pathFrom: $<ValueElement>('.path-from'),
  pathTo: $<ValueElement>('.path-to'),
  banner: $('.banner'),
  source: $('.source'),
  counts: $('.counts'),
  mode: $('.mode'),
  canvas: $('.canvas'),
  results: $('.results'),
  selection: $('.selection'),
  selectedName: $('.selected-name'),
  notice: $('.notice'),
  tooltip: $('.tooltip'),
};

let model: ErdModel | undefined;
let positions: ErdLayoutFile['positions'] = {};
const state: ErdViewState = host.getState() ?? { search: '', schemas: null, hidden: [], keysOnly: false };
/** A path being shown instead of a focus. */
let path: string[] | undefined;
let selected: string | undefined;
let shown: ErdModel | undefined;
let drawGeneration = 0;
let forceLargeLayout = false;

const layouts = new LayoutClient();
const minimap = new Minimap(ui.canvas, (x, y) => diagram.apply({ x: -x * diagram.transform.k + ui.canvas.clientWidth / 2, y: -y * diagram.transform.k + ui.canvas.clientHeight / 2, k: diagram.transform.k }));
const diagram = new Diagram(ui.canvas, {
  open: (box) => box.kind !== 'stub' && host.postMessage({ type: 'openDefinition', table: box.ref }),
  hover: (box, event) => showFacts(box, event),
  moved: (box, done) => {
    minimap.draw(diagram.drawn, diagram.transform, ui.canvas);
    if (done && !state.focus && !path) {
      positions[box.key] = { x: box.x, y: box.y };
      host.postMessage({ type: 'positions', positions: { [box.key]: { x: box.x, y: box.y } } });
    }
  },
  select: (box) => selectBox(box.key),
  transform: (t) => {
    state.transform = t;
    minimap.draw(diagram.drawn, t, ui.canvas);
    saveSoon();
  },
});

let saveTimer: ReturnType<typeof setTimeout> | undefined;
function saveSoon(): void {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => host.setState(state), 300);
}

function receive(message: ToView.Message): void {
  switch (message.type) {
    case 'model': {
      window.pglensErdTiming = { received: performance.now(), boxes: message.model.tables.length + message.model.views.length };
      const first = model === undefined;
      model = message.model;
      // Live updates keep the boxes where they are: saved positions merge with those of this session.
      positions = { ...message.positions, ...(first ? {} : positions) };
      ui.source.textContent = message.sourceLabel;
      ui.banner.hidden = !message.failingMigration;
      ui.banner.textContent = message.failingMigration ? `${message.failingMigration.path} did not replay: ${message.failingMigration.message}. The diagram shows the migrations before it.` : '';
      fillSchemas();
      if (model.tables.length === 0 && model.views.length === 0) {
        showEmpty('The schema has no tables or views yet.', []);
        return markDrawn(window.pglensErdTiming);
      }
      if (message.focus) setFocus(message.focus);
      else void draw(first ? 'fit' : 'keep');
      return;
    }
    case 'empty':
      model = undefined;
      showEmpty(message.message, message.searched);
      return;
    case 'focus':
      if (message.depth) state.focus = { table: message.table, depth: message.depth };
      setFocus(message.table);
      return;
    case 'theme':
      if (!host.inVsCode) setStandaloneTheme(message.theme);
      return;
  }
}

function showEmpty(message: string, searched: string[]): void {
  diagram.render({ source: 'pg', serverVersion: '', schemas: [], tables: [], views: [], relations: [] }, []);
  ui.counts.textContent = '';
  ui.notice.hidden = false;
  ui.notice.className = 'notice empty';
  ui.notice.innerHTML = `<h2>No tables to draw</h2><p>${escapeXml(message)}</p>${searched.length ? `<p>Migrations are looked for in: ${searched.map((folder) => `<code>${escapeXml(folder)}</code>`).join(', ')}</p>` : ''}<p><vscode-button class="connect">Connect to a database</vscode-button></p>`;
  ui.notice.querySelector('.connect')?.addEventListener('click', () => host.postMessage({ type: 'connect' }));
}

function fillSchemas(): void {
  if (!model) return;
  const chosen = state.schemas ?? model.schemas;
  ui.schemas.innerHTML = model.schemas.map((schema) => `<vscode-option value="${escapeXml(schema)}"${chosen.includes(schema) ? ' selected' : ''}>${escapeXml(schema)}</vscode-option>`).join('');
}

/** The part of the model on screen: schemas, hidden tables, then focus or path. */
function visibleModel(full: ErdModel): ErdModel {
  const schemas = state.schemas ? new Set(state.schemas) : undefined;
  const hidden = new Set(state.hidden);
  const allowed = (key: string, schema: string): boolean => !hidden.has(key) && (!schemas || schemas.has(schema));
  const keep = new Set([...full.tables, ...full.views].filter((relation) => allowed(erdKey(relation), relation.schema)).map(erdKey));
  if (path) return restrictTo(full, (key) => path!.includes(key));
  if (state.focus) {
    const around = neighbourhood(adjacency(full), state.focus.table, state.focus.depth);
    return restrictTo(full, (key) => around.has(key) && (keep.has(key) || key === state.focus!.table));
  }
  return keep.size === full.tables.length + full.views.length ? full : restrictTo(full, (key) => keep.has(key));
}

async function draw(view: 'fit' | 'keep' | 'restore' = 'fit'): Promise<void> {
  if (!model) return;
  const generation = ++drawGeneration;
  const timing = window.pglensErdTiming ?? { received: performance.now(), boxes: 0 };
  window.pglensErdTiming = timing;
  ui.notice.hidden = true;
  shown = visibleModel(model);
  const boxes = boxesOf(shown, { keysOnly: state.keysOnly });
  const partial = Boolean(state.focus || path);
  timing.mode = partial ? 'focus' : 'full';
  ui.mode.textContent = path ? `· path of ${path.length}` : state.focus ? `· around ${state.focus.table}, ${state.focus.depth} hop${state.focus.depth === 1 ? '' : 's'}` : '';
  ui.counts.textContent = `${model.tables.length} tables, ${model.views.length} views, ${model.relations.length} relations`;
  const missing = boxes.filter((box) => partial || !positions[box.key]);
  if (!partial && missing.length > LARGE_SCHEMA && !forceLargeLayout) {
    timing.mode = 'large';
    diagram.render(shown, []);
    minimap.draw([], diagram.transform, ui.canvas);
    ui.notice.hidden = false;
    ui.notice.className = 'notice large';
    ui.notice.innerHTML = `<p>${boxes.length.toLocaleString('en')} tables and views. Search for one and press Enter to draw it with its neighbours, or</p><p><vscode-button class="layout-all">Lay out everything</vscode-button></p>`;
    ui.notice.querySelector('.layout-all')?.addEventListener('click', () => {
      forceLargeLayout = true;
      void draw('fit');
    });
    markDrawn(timing);
    return;
  }
  if (missing.length > 0) {
    timing.layoutStart = performance.now();
    ui.mode.textContent += ' · laying out…';
    let laid: Map<string, { x: number; y: number }>;
    try {
      const result = await layouts.layout(layoutInput(shown, missing));
      laid = result.positions;
      timing.workerMs = result.ms;
    } catch (error) {
      host.postMessage({ type: 'error', message: `layout failed: ${String(error)}` });
      return;
    }
    if (generation !== drawGeneration) return;
    timing.layoutEnd = performance.now();
    ui.mode.textContent = ui.mode.textContent.replace(' · laying out…', '');
    const placed = boxes.filter((box) => !missing.includes(box) && positions[box.key]);
    // New tables in a laid-out diagram go below it, so the user's arrangement stays as it was.
    const offsetY = placed.length > 0 ? Math.max(...placed.map((box) => positions[box.key].y + box.height)) + 80 : 0;
    const fresh: ErdLayoutFile['positions'] = {};
    for (const box of missing) {
      const at = laid.get(box.key) ?? { x: 0, y: 0 };
      box.x = at.x;
      box.y = at.y + offsetY;
      if (!partial) fresh[box.key] = (positions[box.key] = { x: box.x, y: box.y });
    }
    if (!partial && Object.keys(fresh).length > 0) host.postMessage({ type: 'positions', positions: fresh });
  }
  for (const box of boxes) {
    if (!partial || !missing.includes(box)) Object.assign(box, positions[box.key]);
  }
  diagram.render(shown, boxes);
  applySearch(false);
  diagram.setSelected(selected);
  if (view === 'restore' && state.transform) diagram.apply(state.transform);
  else if (view === 'fit' || partial) diagram.fit();
  else if (state.transform) diagram.apply(state.transform);
  else diagram.fit();
  minimap.draw(diagram.drawn, diagram.transform, ui.canvas);
  timing.boxes = boxes.length;
  markDrawn(timing);
}

/** Tests and the bench wait on `body[data-drawn]` (a selector: the page's CSP forbids their eval). */
function markDrawn(timing: NonNullable<Window['pglensErdTiming']>): void {
  timing.drawn = performance.now();
  document.body.dataset.drawn = String(Number(document.body.dataset.drawn ?? 0) + 1);
}

// ---------- search ----------

interface Match {
  key: string;
  label: string;
  detail: string;
}

function matches(query: string): Match[] {
  if (!model || query.trim() === '') return [];
  const needle = query.trim().toLowerCase();
  const found: Match[] = [];
  for (const relation of [...model.tables, ...model.views]) {
    const key = erdKey(relation);
    if (relation.name.toLowerCase().includes(needle) || key.toLowerCase() === needle) found.push({ key, label: displayName(relation, model), detail: 'kind' in relation ? relation.kind : relation.materialized ? 'materialized view' : 'view' });
    else {
      const column = relation.columns.find((candidate) => candidate.name.toLowerCase().includes(needle));
      if (column) found.push({ key, label: displayName(relation, model), detail: `column ${column.name}` });
    }
  }
  // Exact and prefix matches first.
  const rank = (match: Match): number => {
    const name = match.key.slice(match.key.indexOf('.') + 1).toLowerCase();
    return name === needle ? 0 : name.startsWith(needle) ? 1 : match.detail.startsWith('column') ? 3 : 2;
  };
  return found.sort((a, b) => rank(a) - rank(b) || (a.label < b.label ? -1 : 1));
}

let searchIndex = 0;
function applySearch(showList = true): void {
  const found = matches(state.search);
  const keys = new Set(found.map((match) => match.key));
  diagram.highlight(keys, { dim: true });
  const drawnMatches = found.filter((match) => diagram.box(match.key)).length;
  ui.matchCount.textContent = state.search ? `${found.length} match${found.length === 1 ? '' : 'es'}${drawnMatches < found.length ? ` (${drawnMatches} drawn)` : ''}` : '';
  ui.results.hidden = !showList || found.length === 0;
  ui.results.innerHTML = found
    .slice(0, 50)
    .map((match, index) => `<li role="option" tabindex="-1" data-key="${escapeXml(match.key)}" class="${index === searchIndex ? 'active' : ''}"><span class="label">${escapeXml(match.label)}</span> <span class="detail">${escapeXml(match.detail)}</span></li>`)
    .join('');
}

/** Jumps to a match: centres it when drawn, else focuses it (draws its neighbourhood). */
function jumpTo(key: string): void {
  ui.results.hidden = true;
  if (diagram.box(key)) {
    diagram.centreOn(key);
    selectBox(key);
    diagram.focusBox(key);
  } else setFocus(key);
}

ui.search.addEventListener('input', () => {
  state.search = ui.search.value;
  searchIndex = 0;
  applySearch();
  saveSoon();
});
ui.search.addEventListener('keydown', (event: KeyboardEvent) => {
  const found = matches(state.search);
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    searchIndex = (searchIndex + (event.key === 'ArrowDown' ? 1 : -1) + Math.min(found.length, 50)) % Math.max(1, Math.min(found.length, 50));
    applySearch();
    event.preventDefault();
  } else if (event.key === 'Enter' && found.length > 0) {
    jumpTo(found[Math.min(searchIndex, found.length - 1)].key);
    event.preventDefault();
  } else if (event.key === 'Escape') {
    ui.results.hidden = true;
  }
});
ui.results.addEventListener('click', (event) => {
  const key = (event.target as Element).closest('li')?.getAttribute('data-key');
  if (key) jumpTo(key);
});

// ---------- focus, path, selection ----------

function resolve(name: string): string | undefined {
  if (!model) return undefined;
  const all = [...model.tables, ...model.views];
  const exact = all.find((relation) => erdKey(relation) === name) ?? all.find((relation) => relation.name === name && relation.schema === 'public') ?? all.find((relation) => relation.name === name);
  return exact ? erdKey(exact) : undefined;
}

function setFocus(name: string): void {
  const key = resolve(name);
  if (!key) {
    ui.matchCount.textContent = `no table named ${name}`;
    return;
  }
  path = undefined;
  state.focus = { table: key, depth: state.focus?.depth ?? Number(ui.depth.value || 1) };
  selected = key;
  saveSoon();
  void draw('fit').then(() => {
    diagram.setSelected(key);
    showSelection(key);
  });
}

function clearFocus(): void {
  if (!state.focus && !path) return;
  state.focus = undefined;
  path = undefined;
  saveSoon();
  void draw('restore');
}

function selectBox(key: string): void {
  selected = key;
  diagram.setSelected(key);
  showSelection(key);
}

function showSelection(key: string): void {
  const box = diagram.box(key);
  ui.selection.hidden = !box || box.kind === 'stub';
  ui.selectedName.textContent = box && model ? displayName(box.ref, model) : '';
}

$('.focus-selected').addEventListener('click', () => selected && setFocus(selected));
$('.hide-selected').addEventListener('click', () => {
  if (!selected) return;
  state.hidden = [...new Set([...state.hidden, selected])];
  selected = undefined;
  ui.selection.hidden = true;
  saveSoon();
  void draw('keep');
});
$('.open-selected').addEventListener('click', () => {
  const box = selected ? diagram.box(selected) : undefined;
  if (box) host.postMessage({ type: 'openDefinition', table: box.ref });
});
$('.find-path').addEventListener('click', () => {
  if (!model) return;
  const from = resolve(ui.pathFrom.value.trim());
  const to = resolve(ui.pathTo.value.trim());
  if (!from || !to) {
    ui.matchCount.textContent = `no table named ${!from ? ui.pathFrom.value : ui.pathTo.value}`;
    return;
  }
  const found = shortestPath(adjacency(model), from, to);
  if (!found) {
    ui.matchCount.textContent = `${from} and ${to} are not connected`;
    return;
  }
  path = found;
  state.focus = undefined;
  void draw('fit').then(() => diagram.highlight(new Set(found), { className: 'on-path' }));
});
ui.depth.addEventListener('change', () => {
  if (state.focus) {
    state.focus.depth = Number(ui.depth.value);
    void draw('fit');
  }
});
ui.schemas.addEventListener('change', () => {
  if (!model) return;
  const value = ui.schemas.value;
  state.schemas = value.length === model.schemas.length ? null : value;
  saveSoon();
  void draw('keep');
});
ui.keysOnly.addEventListener('change', () => {
  state.keysOnly = ui.keysOnly.checked;
  saveSoon();
  // Box heights change: the laid-out positions still hold (boxes only shrink).
  void draw('keep');
});
$('.show-all').addEventListener('click', () => {
  state.hidden = [];
  clearFocus();
  void draw('fit');
});
$('.fit').addEventListener('click', () => diagram.fit(undefined, true));
$('.relayout').addEventListener('click', () => {
  if (state.focus || path) return void draw('fit');
  const keys = new Set(diagram.drawn.map((box) => box.key));
  for (const key of keys) delete positions[key];
  forceLargeLayout = true;
  void draw('fit');
});
$('.export-svg').addEventListener('click', () => exportAs('svg'));
$('.export-png').addEventListener('click', () => exportAs('png'));

function exportAs(format: 'svg' | 'png'): void {
  if (!shown) return;
  const theme = themeKind().includes('light') ? 'light' : 'dark';
  const svg = renderSvg(shown, diagram.drawn, { theme, title: ui.source.textContent ?? 'ER diagram' });
  if (format === 'svg') return deliver('svg', svg);
  const image = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  image.onload = () => {
    // PNG at 2× up to 16k pixels a side (canvas limits).
    const scale = Math.min(2, 16000 / Math.max(image.width, image.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(image.width * scale);
    canvas.height = Math.round(image.height * scale);
    const context = canvas.getContext('2d')!;
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    URL.revokeObjectURL(url);
    deliver('png', canvas.toDataURL('image/png'));
  };
  image.onerror = () => host.postMessage({ type: 'error', message: 'PNG export failed to render the SVG' });
  image.src = url;
}

function deliver(format: 'svg' | 'png', data: string): void {
  host.postMessage({ type: 'export', format, data });
  if (host.inVsCode) return;
  const link = document.createElement('a');
  link.href = format === 'svg' ? URL.createObjectURL(new Blob([data], { type: 'image/svg+xml' })) : data;
  link.download = `erd.${format}`;
  link.click();
}

// ---------- hover facts ----------

function showFacts(box: Box | undefined, event?: MouseEvent): void {
  if (!box || !model || !event) {
    ui.tooltip.hidden = true;
    return;
  }
  const key = box.key;
  const table = model.tables.find((candidate) => erdKey(candidate) === key);
  const view = model.views.find((candidate) => erdKey(candidate) === key);
  const lines: string[] = [`<strong>${escapeXml(displayName(box.ref, model))}</strong>`];
  if (table) {
    lines.push(escapeXml(`${table.kind}${table.rowEstimate >= 0 ? ` · ~${Math.round(table.rowEstimate).toLocaleString('en')} rows` : ''}`));
    lines.push(escapeXml(`RLS ${table.rlsEnabled ? `enabled${table.rlsForced ? ' (forced)' : ''}, ${table.policies} polic${table.policies === 1 ? 'y' : 'ies'}` : 'disabled'}`));
    if (table.partitionKey) lines.push(escapeXml(`partitioned by ${table.partitionKey}: ${table.partitions?.length ?? 0} partitions`));
    for (const partition of (table.partitions ?? []).slice(0, 8)) lines.push(`<span class="sub">${escapeXml(`${partition.name} ${partition.bound ?? ''}`)}</span>`);
    if (table.inherits?.length) lines.push(escapeXml(`inherits ${table.inherits.map((parent) => parent.name).join(', ')}`));
    const incoming = model.relations.filter((relation) => erdKey({ schema: relation.to.schema, name: relation.to.table }) === key).length;
    const outgoing = model.relations.filter((relation) => erdKey({ schema: relation.from.schema, name: relation.from.table }) === key).length;
    lines.push(escapeXml(`${outgoing} foreign key${outgoing === 1 ? '' : 's'} out, ${incoming} in`));
    if (table.comment) lines.push(`<em>${escapeXml(table.comment)}</em>`);
  } else if (view) {
    lines.push(escapeXml(`${view.materialized ? 'materialized view' : 'view'} reading ${view.dependsOn.map((ref) => ref.name).join(', ') || 'nothing'}`));
    if (view.comment) lines.push(`<em>${escapeXml(view.comment)}</em>`);
  } else lines.push('filtered out of this view');
  ui.tooltip.innerHTML = lines.join('<br>');
  ui.tooltip.hidden = false;
  const stage = ui.canvas.getBoundingClientRect();
  ui.tooltip.style.left = `${Math.min(event.clientX - stage.left + 14, stage.width - 280)}px`;
  ui.tooltip.style.top = `${event.clientY - stage.top + 14}px`;
}

// ---------- keyboard ----------

document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement;
  const typing = target.closest('vscode-textfield, vscode-multi-select, vscode-single-select, input');
  if (typing) return;
  if (event.key === '/') {
    ui.search.focus();
    event.preventDefault();
  } else if (event.key === 'f' || event.key === 'F') diagram.fit(undefined, true);
  else if (event.key === '+' || event.key === '=') diagram.zoomBy(1.25);
  else if (event.key === '-') diagram.zoomBy(0.8);
  else if (event.key === 'Escape') {
    ui.selection.hidden = true;
    selected = undefined;
    diagram.setSelected(undefined);
    clearFocus();
  } else if (event.key.startsWith('Arrow') && !target.closest('.box')) {
    const step = 60;
    diagram.panBy(event.key === 'ArrowLeft' ? step : event.key === 'ArrowRight' ? -step : 0, event.key === 'ArrowUp' ? step : event.key === 'ArrowDown' ? -step : 0);
  } else return;
  event.preventDefault();
});

// ---------- start ----------

window.addEventListener('message', (event: MessageEvent<ToView.Message>) => receive(event.data));
ui.search.value = state.search;
ui.keysOnly.checked = state.keysOnly;
if (state.focus) ui.depth.value = String(state.focus.depth);
const embedded = document.getElementById(ERD_DATA_ELEMENT_ID);
if (embedded?.textContent) {
  const message = JSON.parse(embedded.textContent) as ToView.Message;
  receive(message);
} else {
  host.postMessage({ type: 'ready' });
}
