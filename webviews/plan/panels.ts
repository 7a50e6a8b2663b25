/** The side panel's contents: hints list, the selected node's keys, the raw plan. Plain DOM, rebuilt on change. */
import type { IndexSuggestion, PlanHint, PlanHintKind } from '../../protocol/plan';
import { escapeHtml } from './graph';
import { formatCost, formatCount, formatMs, nodeTarget } from './model';
import type { ViewNode, ViewPlan } from './model';

export interface HintGroup {
  /** Caption in compare mode (`Before`/`After`), else undefined. */
  label?: string;
  plan: ViewPlan;
}

export interface HintActions {
  select(group: number, hint: PlanHint): void;
  indexFix(group: number, hint: PlanHint, index: IndexSuggestion): void;
}

/** Hints drawn at first per plan; the rest on demand (each has a button, and 200 of them cost ~300 ms). */
const FIRST_HINTS = 25;

/** What each kind of hint is about, as a heading over its hints. */
const KIND_TITLES: Record<PlanHintKind, string> = {
  'indexable-seq-scan': 'Scans an index could avoid',
  'disk-spill': 'Spilled to disk',
  'row-misestimate': 'Row estimates far off',
  'inefficient-filter': 'Rows read then thrown away',
  'lossy-bitmap': 'Lossy bitmap scans',
  'nested-loop-large-outer': 'Nested loops over many rows',
  'index-only-heap-fetches': 'Index-only scans visiting the table',
  'workers-not-launched': 'Parallel workers not launched',
  'dominant-node': 'Where the time goes',
  'jit-dominates': 'JIT compilation',
  'fk-join-without-index': 'Foreign keys without an index',
};

export function renderHints(host: HTMLElement, groups: HintGroup[], actions: HintActions, all = false): void {
  const parts: string[] = [];
  groups.forEach((group, g) => {
    if (group.label) parts.push(`<h3 class="group">${escapeHtml(group.label)}</h3>`);
    if (group.plan.hints.length === 0) {
      parts.push(`<p class="empty">No hints: nothing in this plan looks wrong to pglens${group.plan.result.pglens ? '' : ' (this plan carries no pglens figures)'}.</p>`);
      return;
    }
    // Grouped by cause, the causes with warnings first; each group says how many hints it holds.
    const byKind = new Map<PlanHintKind, number[]>();
    group.plan.hints.forEach((hint, h) => byKind.set(hint.kind, [...(byKind.get(hint.kind) ?? []), h]));
    const kinds = [...byKind].sort((a, b) => severityRank(group.plan.hints, b[1]) - severityRank(group.plan.hints, a[1]) || b[1].length - a[1].length);
    // Ten scans of one table in a UNION want one index: the button goes on the first hint that suggests it.
    const offered = new Set<string>();
    for (const [kind, indexes] of kinds) {
      const shown = all ? indexes : indexes.slice(0, FIRST_HINTS);
      parts.push(`<details class="hint-kind" open><summary><span class="kind-title">${escapeHtml(KIND_TITLES[kind] ?? kind)}</span> <vscode-badge variant="counter">${indexes.length}</vscode-badge></summary>`);
      for (const h of shown) {
        const hint = group.plan.hints[h];
        const indexKey = hint.index ? JSON.stringify([hint.index.schema, hint.index.table, hint.index.columns, hint.index.predicate]) : undefined;
        const firstOffer = indexKey !== undefined && !offered.has(indexKey);
        if (indexKey) offered.add(indexKey);
        const node = group.plan.byId.get(hint.nodeId);
        const where = node ? `${node.plan['Node Type']}${nodeTarget(node.plan) ? ` · ${nodeTarget(node.plan)}` : ''}` : '';
        parts.push(
          `<div class="hint ${hint.severity}" data-g="${g}" data-h="${h}" tabindex="0" role="button" aria-label="${escapeHtml(`${hint.severity === 'warning' ? 'Warning' : 'Note'}: ${hint.title}. ${hint.advice}`)}">` +
            `<div class="hint-title"><span class="sev" aria-hidden="true">${hint.severity === 'warning' ? '⚠' : 'ℹ'}</span>${escapeHtml(hint.title)}</div>` +
            `<div class="hint-advice">${escapeHtml(hint.advice)}</div>` +
            (where ? `<div class="hint-node">${escapeHtml(where)}</div>` : '') +
            (hint.index && firstOffer ? `<vscode-button class="index-fix" secondary>Create index on ${escapeHtml(indexLabel(hint.index))}</vscode-button>` : '') +
            (hint.index && !firstOffer ? `<div class="hint-node">The same index as above.</div>` : '') +
            `</div>`,
        );
      }
      if (shown.length < indexes.length) parts.push(`<vscode-button class="more-hints" secondary>Show all ${indexes.length}</vscode-button>`);
      parts.push('</details>');
    }
  });
  host.innerHTML = parts.join('');
  const hintOf = (element: Element): [number, PlanHint] | undefined => {
    const item = element.closest<HTMLElement>('.hint');
    if (!item) return undefined;
    const g = Number(item.dataset.g);
    return [g, groups[g].plan.hints[Number(item.dataset.h)]];
  };
  host.onclick = (event) => {
    if ((event.target as Element).closest('.more-hints')) return renderHints(host, groups, actions, true);
    const found = hintOf(event.target as Element);
    if (!found) return;
    const [g, hint] = found;
    if ((event.target as Element).closest('.index-fix') && hint.index) actions.indexFix(g, hint, hint.index);
    else actions.select(g, hint);
  };
  host.onkeydown = (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    const found = hintOf(event.target as Element);
    if (found) actions.select(found[0], found[1]);
  };
}

function severityRank(hints: PlanHint[], indexes: number[]): number {
  return indexes.some((h) => hints[h].severity === 'warning') ? 1 : 0;
}

/** The nodes that cost the most on their own (time when measured, else cost), largest first. */
export function renderSlowest(host: HTMLElement, plan: ViewPlan, select: (node: ViewNode) => void, count = 12): void {
  const timed = plan.analyzed && plan.nodes.some((node) => node.plan.pglens?.exclusiveTime !== undefined);
  const value = (node: ViewNode): number => (timed ? (node.plan.pglens?.exclusiveTime ?? 0) : (node.plan.pglens?.exclusiveCost ?? 0));
  const total = timed ? (plan.totalTime ?? 0) : plan.totalCost;
  const top = [...plan.nodes].sort((a, b) => value(b) - value(a)).slice(0, count).filter((node) => value(node) > 0);
  if (top.length === 0) {
    host.innerHTML = '<p class="empty">No figures to rank the nodes by.</p>';
    return;
  }
  host.innerHTML =
    `<p class="dim">${timed ? 'Time spent in each node alone (children excluded)' : 'Estimated cost of each node alone (no ANALYZE figures)'}</p><ol class="slowest">` +
    top
      .map((node) => {
        const share = total > 0 ? (100 * value(node)) / total : 0;
        const figure = timed ? formatMs(value(node)) : `cost ${formatCost(value(node))}`;
        const target = nodeTarget(node.plan);
        return (
          `<li tabindex="0" role="button" data-i="${node.index}" aria-label="${escapeHtml(`${node.plan['Node Type']} ${target}: ${figure}, ${share.toFixed(1)}%`)}">` +
          `<span class="slow-bar" data-pct="${share.toFixed(1)}"></span>` +
          `<span class="slow-name"><b>${escapeHtml(node.plan['Node Type'])}</b> ${escapeHtml(target)}</span>` +
          `<span class="slow-figure">${escapeHtml(figure)} · ${share.toFixed(share >= 10 ? 0 : 1)}%</span></li>`
        );
      })
      .join('') +
    '</ol>';
  // Through the CSSOM: the strict CSP refuses style attributes in markup.
  host.querySelectorAll<HTMLElement>('.slow-bar').forEach((bar) => bar.style.setProperty('--pct', bar.dataset.pct ?? '0'));
  const pick = (event: Event): void => {
    const item = (event.target as Element).closest<HTMLElement>('li[data-i]');
    if (item) select(plan.nodes[Number(item.dataset.i)]);
  };
  host.onclick = pick;
  host.onkeydown = (event) => {
    if (event.key === 'Enter' || event.key === ' ') pick(event);
  };
}

function indexLabel(index: IndexSuggestion): string {
  return `${index.schema ? `${index.schema}.` : ''}${index.table} (${index.columns.join(', ')})${index.predicate ? ` WHERE ${index.predicate}` : ''}`;
}

/** What PostgreSQL says a node works with, in the order a reader looks for it. */
const CONDITIONS = ['Index Cond', 'Recheck Cond', 'Filter', 'Join Filter', 'Hash Cond', 'Merge Cond', 'One-Time Filter', 'Sort Key', 'Presorted Key', 'Group Key', 'Cache Key', 'Output'];

/** The selected node in the user's terms: its own time and share, runs, rows against the estimate, I/O, spills, conditions. */
export function renderDetails(host: HTMLElement, node: ViewNode | undefined, label?: string, plan?: ViewPlan): void {
  if (!node) {
    host.innerHTML = '<p class="empty">Select a node in the plan (or use the arrow keys in it) to see what it did.</p>';
    return;
  }
  const p = node.plan;
  const f = p.pglens;
  const n = (key: string): number | undefined => (typeof p[key] === 'number' ? (p[key] as number) : undefined);
  const rows: Array<[string, string]> = [];
  const loops = n('Actual Loops');
  if (f?.exclusiveTime !== undefined) {
    const share = f.exclusiveTimePercent ?? (plan?.totalTime ? (100 * f.exclusiveTime) / plan.totalTime : undefined);
    rows.push(['Time in this node', `${formatMs(f.exclusiveTime)}${share !== undefined ? ` — ${share.toFixed(share >= 10 ? 0 : 1)}% of the whole plan` : ''}`]);
  }
  const total = n('Actual Total Time');
  if (total !== undefined) rows.push(['With its children', formatMs(total * (loops ?? 1))]);
  if (loops !== undefined) rows.push(['Runs', loops === 0 ? 'never executed' : loops === 1 ? 'once' : `${formatCount(loops)} times${total !== undefined ? ` (${formatMs(total)} each)` : ''}`]);
  const actual = n('Actual Rows');
  const estimated = n('Plan Rows');
  if (actual !== undefined) {
    const mis = f?.misestimate;
    const factor = mis && mis.factor >= 1.05 ? ` — ${mis.direction === 'under' ? 'under' : 'over'}-estimated ×${mis.factor >= 100 ? formatCount(Math.round(mis.factor)) : mis.factor.toFixed(mis.factor >= 10 ? 0 : 1)}` : '';
    rows.push(['Rows', `${formatCount(actual)}${loops && loops > 1 ? ' per run' : ''}, estimated ${formatCount(estimated ?? 0)}${factor}`]);
  } else if (estimated !== undefined) rows.push(['Rows (estimated)', formatCount(estimated)]);
  const removed = n('Rows Removed by Filter') ?? n('Rows Removed by Join Filter');
  if (removed) rows.push(['Rows thrown away by the filter', `${formatCount(removed)}${loops && loops > 1 ? ' per run' : ''}`]);
  if (f?.exclusiveCost !== undefined) rows.push(['Cost of this node', `${formatCost(f.exclusiveCost)} (with its children ${formatCost(n('Total Cost') ?? 0)})`]);
  else if (n('Total Cost') !== undefined) rows.push(['Cost', formatCost(n('Total Cost')!)]);
  const b = f?.exclusiveBuffers;
  if (b && b.sharedHit + b.sharedRead + b.localHit + b.localRead > 0) {
    rows.push(['Pages from memory', `${formatCount(b.sharedHit + b.localHit)} (${bytes(b.sharedHit + b.localHit)})`]);
    rows.push(['Pages read from disk or the OS cache', `${formatCount(b.sharedRead + b.localRead)} (${bytes(b.sharedRead + b.localRead)})`]);
  }
  const spill = spilled(p, b);
  if (spill) rows.push(['Spilled to disk', spill]);
  if (n('Workers Planned') !== undefined) rows.push(['Parallel workers', `${n('Workers Launched') ?? '?'} launched of ${n('Workers Planned')} planned`]);
  if (f?.exclusiveIoTime) rows.push(['Waiting for I/O', formatMs(f.exclusiveIoTime)]);
  for (const key of CONDITIONS) if (p[key] !== undefined) rows.push([key, formatValue(p[key])]);
  const raw = Object.entries(p).filter(([key]) => key !== 'Plans' && key !== 'pglens');
  host.innerHTML =
    `<h3 class="node-title"><span class="node-type">${escapeHtml(p['Node Type'])}</span>${label ? ` <span class="dim">${escapeHtml(label)}</span>` : ''}</h3>` +
    (nodeTarget(p) ? `<p class="node-target">${escapeHtml(nodeTarget(p))}</p>` : '') +
    (node.hints.length ? `<ul class="node-hints">${node.hints.map((h) => `<li>${escapeHtml(h.title)}</li>`).join('')}</ul>` : '') +
    `<table class="keys"><tbody>${rows.map(([key, value]) => row(key, value)).join('')}</tbody></table>` +
    `<details class="all-fields"><summary>Everything PostgreSQL printed for this node</summary><table class="keys"><tbody>${raw.map(([key, value]) => row(key, value)).join('')}</tbody></table></details>`;
}

function spilled(p: ViewNode['plan'], b: NonNullable<ViewNode['plan']['pglens']>['exclusiveBuffers'] | undefined): string | undefined {
  const parts: string[] = [];
  if (p['Sort Space Type'] === 'Disk' && typeof p['Sort Space Used'] === 'number') parts.push(`sort used ${formatCount(p['Sort Space Used'])} kB on disk`);
  if (typeof p['Disk Usage'] === 'number' && p['Disk Usage'] > 0) parts.push(`hash aggregate wrote ${formatCount(p['Disk Usage'])} kB`);
  if (typeof p['Hash Batches'] === 'number' && p['Hash Batches'] > 1) parts.push(`hash split into ${p['Hash Batches']} batches`);
  if (b && b.tempWritten + b.tempRead > 0) parts.push(`${formatCount(b.tempWritten)} temporary pages written (${bytes(b.tempWritten)}), ${formatCount(b.tempRead)} read`);
  return parts.length ? parts.join('; ') : undefined;
}

/** 8 kB pages as a size. */
function bytes(pages: number): string {
  const kb = pages * 8;
  return kb >= 1024 * 1024 ? `${(kb / 1024 / 1024).toFixed(1)} GB` : kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${kb} kB`;
}

function row(key: string, value: unknown): string {
  return `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(formatValue(value))}</td></tr>`;
}

function formatValue(value: unknown): string {
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) return value.join(', ');
  if (value !== null && typeof value === 'object') return JSON.stringify(value, null, 1);
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Math.round(value * 1000) / 1000);
  return String(value);
}

/** Pretty JSON of the whole EXPLAIN result; set lazily (a 2,000-node plan is megabytes of text). */
export function rawText(plan: ViewPlan): string {
  return JSON.stringify(plan.result, (key, value: unknown) => (key === 'pglens' ? undefined : value), 2);
}

/** The statement, with the words that name the selected node's table, alias or index marked. */
export function renderStatement(host: HTMLElement, statement: string | undefined, node: ViewNode | undefined): void {
  if (!statement) {
    host.innerHTML = '<p class="empty">The statement is not part of this plan (paste it with auto_explain\'s Query Text, or explain it from a SQL file).</p>';
    return;
  }
  const words = new Set<string>();
  if (node) for (const key of ['Relation Name', 'Alias', 'CTE Name', 'Function Name', 'Index Name']) if (typeof node.plan[key] === 'string') words.add((node.plan[key] as string).toLowerCase());
  const pattern = words.size ? new RegExp(`\\b(${[...words].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\b`, 'gi') : undefined;
  const html = escapeHtml(statement);
  host.innerHTML = `<pre class="statement">${pattern ? html.replace(pattern, '<mark>$1</mark>') : html}</pre>`;
  host.querySelector('mark')?.scrollIntoView({ block: 'center' });
}
