/**
 * Entry of the RLS Policies webview: the tables with their row-level security and policies, a policy
 * editor from templates (checked by the parser and by PostgreSQL in the shadow as you type), a Test as
 * role panel and the matrix. Everything it shows comes from the language server through the extension
 * (protocol/rls.ts); it never talks to a database itself and never changes one.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '../shared/theme.css';
import './rls.css';
import type { RlsFromView, RlsMatrix, RlsSource, RlsTestRequest, RlsToView } from '../../protocol/rls';
import type { RlsModel, RlsTableInfo } from '../../protocol/schema';
import { acquireHost } from '../shared/vscode';
import { setStandaloneTheme } from '../shared/theme';
import { TEMPLATES, defaultPolicyName, policySql } from './templates';
import type { PolicyForm, TemplateKind } from './templates';

interface ViewState {
  source: RlsSource;
  role?: string;
  settings?: string;
  statement?: string;
}

type Field = HTMLElement & { value: string };

const host = acquireHost<ViewState, RlsFromView>('pglens.rls');
const state: ViewState = host.getState() ?? { source: 'shadow' };
let model: RlsModel | undefined;
let matrix: RlsMatrix | undefined;
let lastCheckedSql = '';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** `<vscode-option>`s with `selected` (else the first) marked. */
const options = (values: Array<[string, string]>, selected?: string): string => {
  const chosen = values.some(([value]) => value === selected) ? selected : values[0]?.[0];
  return values.map(([value, label]) => `<vscode-option value="${escapeHtml(value)}"${value === chosen ? ' selected' : ''}>${escapeHtml(label)}</vscode-option>`).join('');
};

const app = document.createElement('div');
app.className = 'app';
document.body.prepend(app);
app.innerHTML = `
  <header class="toolbar">
    <strong>RLS Policies</strong>
    <vscode-single-select class="source" aria-label="Database">${options([['shadow', 'Shadow (migrations + seed)'], ['live', 'Live database (rolled back)']], state.source)}</vscode-single-select>
    <span class="source-label"></span>
    <span class="spacer"></span>
    <vscode-button class="refresh" secondary>Refresh</vscode-button>
  </header>
  <div class="status" role="status"></div>
  <vscode-tabs class="tabs" panel>
    <vscode-tab-header slot="header">Tables</vscode-tab-header>
    <vscode-tab-panel><div class="tables panel-body"></div></vscode-tab-panel>
    <vscode-tab-header slot="header">New policy</vscode-tab-header>
    <vscode-tab-panel><div class="editor panel-body">
      <div class="form">
        <label>Table <vscode-single-select class="f-table" aria-label="Table"></vscode-single-select></label>
        <label>Template <vscode-single-select class="f-template" aria-label="Template">${options(TEMPLATES)}</vscode-single-select></label>
        <label>Policy name <vscode-textfield class="f-name" aria-label="Policy name"></vscode-textfield></label>
        <label>Roles (empty: PUBLIC) <vscode-textfield class="f-roles" aria-label="Roles"></vscode-textfield></label>
        <label class="needs-column">Column <vscode-single-select class="f-column" aria-label="Column"></vscode-single-select></label>
        <label class="needs-setting">Setting <vscode-textfield class="f-setting" value="app.tenant_id" aria-label="Setting"></vscode-textfield></label>
        <label class="needs-owner">Compared with <vscode-textfield class="f-owner" value="current_user" aria-label="Owner expression" placeholder="current_user or auth.uid()"></vscode-textfield></label>
      </div>
      <label class="sql-label">SQL (edit freely; checked by the parser and by PostgreSQL in the shadow as you type)</label>
      <vscode-textarea class="f-sql" rows="7" monospace aria-label="Policy SQL"></vscode-textarea>
      <div class="check" role="status"></div>
      <div class="buttons">
        <vscode-button class="test-draft" secondary>Test with this policy</vscode-button>
        <vscode-button class="save">Save as migration</vscode-button>
      </div>
    </div></vscode-tab-panel>
    <vscode-tab-header slot="header">Test as role</vscode-tab-header>
    <vscode-tab-panel><div class="tester panel-body">
      <div class="form">
        <label>Role <vscode-single-select class="t-role" aria-label="Role" combobox></vscode-single-select></label>
        <label>Settings (KEY=VALUE per line) <vscode-textarea class="t-settings" rows="2" monospace aria-label="Settings"></vscode-textarea></label>
        <label>Statement (INSERT, UPDATE, DELETE or SELECT; empty: count every table) <vscode-textfield class="t-sql" aria-label="Statement"></vscode-textfield></label>
      </div>
      <div class="buttons"><vscode-button class="run">Run as role (rolled back)</vscode-button></div>
      <div class="results"></div>
    </div></vscode-tab-panel>
    <vscode-tab-header slot="header">Matrix</vscode-tab-header>
    <vscode-tab-panel><div class="matrix panel-body"></div></vscode-tab-panel>
  </vscode-tabs>`;

const $ = <T extends HTMLElement = Field>(selector: string): T => app.querySelector(selector) as T;
const post = (message: RlsFromView): void => host.postMessage(message);
const save = (): void => host.setState(state);
const status = (text: string, kind: 'info' | 'error' = 'info'): void => {
  $('.status').textContent = text;
  $('.status').className = `status ${kind}`;
};

function load(): void {
  status(state.source === 'live' ? 'Loading from the live database…' : 'Replaying the migrations into the shadow…');
  post({ type: 'load', source: state.source });
}

function renderTables(tables: RlsTableInfo[]): void {
  $('.tables').innerHTML = tables.length === 0 ? '<p class="dim">No tables.</p>' : tables
    .map((table) => {
      const badge = table.rlsEnabled ? `<vscode-badge>RLS on</vscode-badge>${table.rlsForced ? ' <vscode-badge>forced</vscode-badge>' : ''}` : '<vscode-badge class="off">RLS off</vscode-badge>';
      const policies = table.policies.length === 0
        ? `<p class="dim">${table.rlsEnabled ? 'No policy: every role but the owner sees no rows.' : 'No policy.'}</p>`
        : `<table class="grid"><tr><th>Policy</th><th>Command</th><th>Kind</th><th>Roles</th><th>USING</th><th>WITH CHECK</th></tr>${table.policies
            .map((policy) => `<tr><td>${escapeHtml(policy.name)}</td><td>${policy.command}</td><td>${policy.permissive ? 'permissive' : 'restrictive'}</td><td>${escapeHtml(policy.roles.join(', '))}</td><td><code>${escapeHtml(policy.using ?? '')}</code></td><td><code>${escapeHtml(policy.withCheck ?? '')}</code></td></tr>`)
            .join('')}</table>`;
      return `<section class="table-card"><h3>${escapeHtml(`${table.schema}.${table.name}`)} ${badge} <span class="dim">owner ${escapeHtml(table.owner)}</span></h3>${policies}</section>`;
    })
    .join('');
}

function renderMatrix(): void {
  if (!matrix || !model) return;
  const role = $('.m-role') ? $('.m-role').value : (state.role ?? matrix.roles.find((name) => !model!.roles.find((r) => r.name === name)?.superuser) ?? matrix.roles[0]);
  const cells = matrix.cells.filter((cell) => cell.role === role);
  const rows = matrix.tables
    .map((table) => {
      const tds = (['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const).map((command) => {
        const cell = cells.find((candidate) => candidate.table === table && candidate.command === command);
        if (!cell) return '<td></td>';
        const text = cell.effect === 'denied' ? 'no grant' : cell.bypass ? `all rows: ${cell.bypass}` : cell.effect === 'no rows' ? 'no rows' : cell.policies.map((policy) => `${policy.permissive ? '' : '∧ '}${policy.name}`).join(', ');
        const title = cell.policies.map((policy) => `${policy.name}: ${policy.using ?? ''}${policy.withCheck ? ` WITH CHECK ${policy.withCheck}` : ''}`).join('\n');
        return `<td class="cell ${cell.effect.replace(' ', '-')}" title="${escapeHtml(title)}">${escapeHtml(text)}</td>`;
      });
      return `<tr><th>${escapeHtml(table)}</th>${tds.join('')}</tr>`;
    })
    .join('');
  $('.matrix').innerHTML = `<label>Role <vscode-single-select class="m-role" aria-label="Matrix role">${options(matrix.roles.map((name) => [name, name]), role)}</vscode-single-select></label>
    <table class="grid"><tr><th>Table</th><th>SELECT</th><th>INSERT</th><th>UPDATE</th><th>DELETE</th></tr>${rows}</table>`;
  $('.m-role').addEventListener('change', () => renderMatrix());
}

function selectedTable(): RlsTableInfo | undefined {
  return model?.tables.find((table) => `${table.schema}.${table.name}` === $('.f-table').value);
}

function fillEditor(): void {
  if (!model) return;
  $('.f-table').innerHTML = options(model.tables.map((table) => [`${table.schema}.${table.name}`, `${table.schema}.${table.name}`]), $('.f-table').value);
  const roles = model.roles.filter((role) => !role.superuser).map((role): [string, string] => [role.name, `${role.name}${role.bypassRls ? ' (BYPASSRLS)' : ''}`]);
  $('.t-role').innerHTML = options(roles, state.role);
  $('.t-settings').value = state.settings ?? 'app.tenant_id=1';
  $('.t-sql').value = state.statement ?? '';
  onTableChange();
}

function onTableChange(): void {
  const table = selectedTable();
  if (!table) return;
  const preferred = table.columns.find((column) => /tenant|owner|user/.test(column.name)) ?? table.columns[0];
  $('.f-column').innerHTML = options(table.columns.map((column) => [column.name, `${column.name} (${column.type})`]), preferred?.name);
  $('.f-name').value = defaultPolicyName($('.f-template').value as TemplateKind, table.name);
  regenerate();
}

function regenerate(): void {
  const table = selectedTable();
  if (!table) return;
  const kind = $('.f-template').value as TemplateKind;
  app.dataset.template = kind;
  const column = table.columns.find((candidate) => candidate.name === $('.f-column').value) ?? table.columns[0];
  const form: PolicyForm = {
    kind,
    schema: table.schema,
    table: table.name,
    name: $('.f-name').value || defaultPolicyName(kind, table.name),
    roles: $('.f-roles').value.split(',').map((role) => role.trim()).filter((role) => role !== ''),
    column: column?.name ?? 'id',
    columnType: column?.type ?? 'text',
    setting: $('.f-setting').value || 'app.tenant_id',
    ownerExpression: $('.f-owner').value,
    enableRls: !table.rlsEnabled,
  };
  const sql = policySql(form);
  $('.f-sql').value = sql.up;
  app.dataset.down = sql.down;
  scheduleCheck();
}

let checkTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleCheck(): void {
  clearTimeout(checkTimer);
  $('.check').textContent = 'Checking…';
  $('.check').className = 'check';
  checkTimer = setTimeout(() => {
    lastCheckedSql = $('.f-sql').value;
    post({ type: 'check', sql: lastCheckedSql });
  }, 300);
}

function settingsOf(text: string): Array<[string, string]> | string {
  const settings: Array<[string, string]> = [];
  for (const line of text.split('\n').map((item) => item.trim()).filter((item) => item !== '')) {
    const equals = line.indexOf('=');
    if (equals <= 0) return `a setting is KEY=VALUE, got '${line}'`;
    settings.push([line.slice(0, equals).trim(), line.slice(equals + 1)]);
  }
  return settings;
}

function runTest(draft?: string): void {
  const role = $('.t-role').value;
  const settings = settingsOf($('.t-settings').value);
  if (!role) return void ($('.results').innerHTML = '<p class="error">Choose a role.</p>');
  if (typeof settings === 'string') return void ($('.results').innerHTML = `<p class="error">${escapeHtml(settings)}</p>`);
  Object.assign(state, { role, settings: $('.t-settings').value, statement: $('.t-sql').value });
  save();
  const params: RlsTestRequest.Params = { source: state.source, role, settings, sql: $('.t-sql').value.trim() || undefined, draft };
  $('.results').innerHTML = `<p class="dim">Running as ${escapeHtml(role)}${draft ? ' with the new policy' : ''}…</p>`;
  post({ type: 'test', params });
}

function renderTested(message: Extract<RlsToView, { type: 'tested' }>): void {
  const result = message.result;
  if (!result.ok) return void ($('.results').innerHTML = `<p class="error">${escapeHtml(result.message)}</p>`);
  if (result.statement) {
    const answer = result.statement;
    $('.results').innerHTML = answer.allowed
      ? `<p class="allowed">✓ Allowed: ${answer.rowCount} row(s) (rolled back)</p>`
      : `<p class="refused">✗ Refused (${escapeHtml(answer.sqlstate)}): ${escapeHtml(answer.message)}</p>`;
    return;
  }
  const counts = result.counts!;
  $('.results').innerHTML = `<table class="grid"><tr><th>Table</th><th>Visible</th><th>Total</th><th>Sample</th></tr>${counts.tables
    .map((table) => {
      const visible = table.denied ? `<span class="refused">denied (${escapeHtml(table.denied)})</span>` : String(table.visible);
      const sample = (table.sample ?? []).map((row) => escapeHtml(JSON.stringify(row))).join('<br>');
      return `<tr><th>${escapeHtml(table.table)}</th><td>${visible}</td><td>${table.total ?? '?'}</td><td class="sample">${sample}</td></tr>`;
    })
    .join('')}</table>`;
}

window.addEventListener('message', (event: MessageEvent<RlsToView>) => {
  const message = event.data;
  switch (message.type) {
    case 'model':
      $('.source-label').textContent = message.sourceLabel;
      if (!message.result.ok) return status(message.result.message, 'error');
      model = message.result.model;
      matrix = message.result.matrix;
      status(`${model.tables.length} tables, ${model.roles.length} roles`);
      renderTables(model.tables);
      fillEditor();
      renderMatrix();
      return;
    case 'checked': {
      if (message.sql !== lastCheckedSql) return; // an older answer
      const check = $('.check');
      check.className = `check ${message.result.ok ? 'allowed' : 'refused'}`;
      check.textContent = message.result.ok ? '✓ Parsed, and accepted by PostgreSQL in the shadow' : `✗ ${message.result.stage === 'parse' ? 'Parser' : 'PostgreSQL'}: ${message.result.message}`;
      return;
    }
    case 'tested':
      return renderTested(message);
    case 'saved':
      return status(`Saved ${message.files.join(', ')}`);
    case 'error':
      return status(message.message, 'error');
    case 'theme':
      if (!host.inVsCode) setStandaloneTheme(message.theme);
      return;
  }
});

$('.source').addEventListener('change', () => {
  state.source = $('.source').value as RlsSource;
  save();
  load();
});
$('.refresh').addEventListener('click', load);
$('.f-table').addEventListener('change', onTableChange);
$('.f-template').addEventListener('change', onTableChange);
for (const selector of ['.f-column', '.f-roles', '.f-setting', '.f-owner', '.f-name']) $(selector).addEventListener(selector === '.f-column' ? 'change' : 'input', regenerate);
$('.f-sql').addEventListener('input', scheduleCheck);
$('.run').addEventListener('click', () => runTest());
$('.test-draft').addEventListener('click', () => {
  runTest($('.f-sql').value);
  ($('.tabs') as HTMLElement & { selectedIndex: number }).selectedIndex = 2;
});
$('.save').addEventListener('click', () => {
  const table = selectedTable();
  post({ type: 'save', params: { up: $('.f-sql').value, down: app.dataset.down ?? '', name: `${$('.f-name').value || table?.name || 'policy'}` } });
});

post({ type: 'ready' });
load();
