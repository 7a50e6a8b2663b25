/** The side panel's contents: hints list, the selected node's keys, the raw plan. Plain DOM, rebuilt on change. */
import type { IndexSuggestion, PlanHint } from '../../protocol/plan';
import { escapeHtml } from './graph';
import { nodeTarget } from './model';
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

export function renderHints(host: HTMLElement, groups: HintGroup[], actions: HintActions, all = false): void {
  const parts: string[] = [];
  groups.forEach((group, g) => {
    if (group.label) parts.push(`<h3 class="group">${escapeHtml(group.label)}</h3>`);
    if (group.plan.hints.length === 0) {
      parts.push(`<p class="empty">No hints: nothing in this plan looks wrong to pglens${group.plan.result.pglens ? '' : ' (this plan carries no pglens figures)'}.</p>`);
      return;
    }
    const shown = all ? group.plan.hints : group.plan.hints.slice(0, FIRST_HINTS);
    // Ten scans of one table in a UNION want one index: the button goes on the first hint that suggests it.
    const offered = new Set<string>();
    shown.forEach((hint, h) => {
      const indexKey = hint.index ? JSON.stringify([hint.index.schema, hint.index.table, hint.index.columns, hint.index.predicate]) : undefined;
      const firstOffer = indexKey !== undefined && !offered.has(indexKey);
      if (indexKey) offered.add(indexKey);
      const node = group.plan.byId.get(hint.nodeId);
      const where = node ? `${node.plan['Node Type']}${nodeTarget(node.plan) ? ` · ${nodeTarget(node.plan)}` : ''} (#${node.id})` : '';
      parts.push(
        `<div class="hint ${hint.severity}" data-g="${g}" data-h="${h}" tabindex="0" role="button">` +
          `<div class="hint-title"><span class="sev">${hint.severity === 'warning' ? '⚠' : 'ℹ'}</span>${escapeHtml(hint.title)}</div>` +
          `<div class="hint-advice">${escapeHtml(hint.advice)}</div>` +
          (where ? `<div class="hint-node">${escapeHtml(where)}</div>` : '') +
          (hint.index && firstOffer ? `<vscode-button class="index-fix" secondary>Create index on ${escapeHtml(indexLabel(hint.index))}</vscode-button>` : '') +
          (hint.index && !firstOffer ? `<div class="hint-node">The same index as above.</div>` : '') +
          `</div>`,
      );
    });
    if (shown.length < group.plan.hints.length) parts.push(`<vscode-button class="more-hints" secondary>Show all ${group.plan.hints.length} hints</vscode-button>`);
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

function indexLabel(index: IndexSuggestion): string {
  return `${index.schema ? `${index.schema}.` : ''}${index.table} (${index.columns.join(', ')})${index.predicate ? ` WHERE ${index.predicate}` : ''}`;
}

/** Every key of the node (children summarised), then the figures pglens computed. */
export function renderDetails(host: HTMLElement, node: ViewNode | undefined, label?: string): void {
  if (!node) {
    host.innerHTML = '<p class="empty">Select a node in the plan to see all its keys.</p>';
    return;
  }
  const plan = node.plan;
  const rows: string[] = [];
  for (const [key, value] of Object.entries(plan)) {
    if (key === 'Plans' || key === 'pglens') continue;
    rows.push(row(key, value));
  }
  if (plan.Plans?.length) rows.push(row('Plans', `${plan.Plans.length} child node${plan.Plans.length > 1 ? 's' : ''}`));
  const figures = plan.pglens ? Object.entries(plan.pglens).map(([key, value]) => row(key, value)) : [];
  host.innerHTML =
    `<h3 class="node-title"><span class="node-type">${escapeHtml(plan['Node Type'])}</span> <span class="dim">#${node.id}${label ? ` · ${escapeHtml(label)}` : ''}</span></h3>` +
    (nodeTarget(plan) ? `<p class="node-target">${escapeHtml(nodeTarget(plan))}</p>` : '') +
    `<table class="keys"><tbody>${rows.join('')}</tbody></table>` +
    (figures.length ? `<h3 class="group">pglens</h3><table class="keys"><tbody>${figures.join('')}</tbody></table>` : '') +
    (node.hints.length ? `<h3 class="group">Hints</h3><ul class="node-hints">${node.hints.map((h) => `<li>${escapeHtml(h.title)}</li>`).join('')}</ul>` : '');
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
