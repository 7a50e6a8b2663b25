import * as vscode from 'vscode';
import { ExplainRequest, IndexMigrationRequest, ParsePlanRequest } from '../../protocol/messages';
import type { PlanResponse } from '../../protocol/messages';
import type { ExplainResult, IndexSuggestion } from '../../protocol/plan';
import type { Ctx } from './ctx';
import { sendRequest } from './requests';

/** Where a hover link points: a document and a position in it. */
export interface StatementAt {
  uri: string;
  position: { line: number; character: number };
}

/** The document the last plan came from: a suggested index goes into its workspace folder. */
let lastSource: string | undefined;

/** The last plans shown, for "Compare with Previous Plan". */
const history: Array<{ title: string; result: ExplainResult }> = [];

/** EXPLAIN (or EXPLAIN ANALYZE) the statement at a hover link's position, the selection, or the cursor. */
export async function explainCommand(ctx: Ctx, analyze: boolean, at?: StatementAt): Promise<void> {
  const params = explainParams(analyze, at);
  if (!params) {
    void vscode.window.showInformationMessage('pglens: open a SQL file and put the cursor in a statement to explain it.');
    return;
  }
  let response = await runExplain(ctx, params);
  if (!response.ok && response.reason === 'needs-confirmation') {
    const run = 'Run and Roll Back';
    const planOnly = 'Explain Without Running';
    const answer = await vscode.window.showWarningMessage(response.message, { modal: true, detail: 'pglens wraps the statement in BEGIN … ROLLBACK: its changes to the database never persist.' }, run, planOnly);
    if (answer === undefined) return;
    response = await runExplain(ctx, answer === run ? { ...params, confirmedWrites: true } : { ...params, analyze: false });
  }
  if (!response.ok) {
    void vscode.window.showWarningMessage(`pglens: ${response.message}`);
    return;
  }
  lastSource = params.uri;
  const title = `${response.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN'}: ${firstLine(response.sql)}`;
  showPlans(ctx, title, response.results, response.sourceLabel);
}

/** Opens the visualizer on EXPLAIN output (any format, as pasted) from the selection, or the whole document. */
export async function showPlanCommand(ctx: Ctx): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const text = editor ? editor.document.getText(editor.selection.isEmpty ? undefined : editor.selection) : '';
  const pasted = text.trim() !== '' ? text : await vscode.window.showInputBox({ prompt: 'Paste EXPLAIN output (TEXT, JSON, YAML or XML, as psql, pgAdmin or a log prints it)', ignoreFocusOut: true });
  if (!pasted) return;
  await showPastedPlan(ctx, pasted, `Plan: ${editor ? vscode.workspace.asRelativePath(editor.document.uri) : 'pasted'}`, editor?.document.uri.toString());
}

/** "Show Plan from Clipboard": whatever was copied from psql, a grid, a chat or a log. */
export async function showPlanFromClipboardCommand(ctx: Ctx): Promise<void> {
  const copied = await vscode.env.clipboard.readText();
  if (copied.trim() === '') {
    void vscode.window.showInformationMessage('pglens: the clipboard is empty. Copy an EXPLAIN output first.');
    return;
  }
  await showPastedPlan(ctx, copied, 'Plan from the clipboard');
}

async function showPastedPlan(ctx: Ctx, text: string, title: string, uri?: string): Promise<void> {
  const params: ParsePlanRequest.Params = { text, uri };
  const parsed = await sendRequest(ctx.client, ParsePlanRequest.type, params);
  if (!parsed.ok) {
    void vscode.window.showWarningMessage(`pglens: this is not a plan pglens can read${parsed.line ? ` (line ${parsed.line})` : ''}: ${parsed.message}`);
    return;
  }
  showPlans(ctx, title, parsed.results);
}

/** Side by side: the plan shown before the last one, and the last one (e.g. before and after an index). */
export function comparePlansCommand(ctx: Ctx): void {
  if (history.length < 2) {
    void vscode.window.showInformationMessage('pglens: explain two statements (or the same one twice) first; this compares the last two plans.');
    return;
  }
  const [before, after] = history.slice(-2);
  ctx.plans.compare(before.result, after.result, [before.title, after.title]);
}

function showPlans(ctx: Ctx, title: string, results: ExplainResult[], source?: string): void {
  for (const result of results) history.push({ title, result });
  history.splice(0, Math.max(0, history.length - 10));
  ctx.plans.show(results, source ? `${title} — ${source}` : title);
}

function explainParams(analyze: boolean, at: StatementAt | undefined): ExplainRequest.Params | undefined {
  if (at) return { uri: at.uri, position: at.position, analyze };
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const uri = editor.document.uri.toString();
  if (editor.selection.isEmpty) return { uri, position: editor.selection.active, analyze };
  return { uri, text: editor.document.getText(editor.selection), analyze };
}

async function runExplain(ctx: Ctx, params: ExplainRequest.Params): Promise<PlanResponse> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: params.analyze ? 'pglens: EXPLAIN ANALYZE…' : 'pglens: EXPLAIN…' }, () =>
    sendRequest(ctx.client, ExplainRequest.type, params),
  );
}

function firstLine(sql: string): string {
  const line = sql.trim().split('\n')[0];
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

/** The visualizer's "Create index" button: a new migration with the index, opened for review (never run on the database). */
export async function indexMigrationCommand(ctx: Ctx, index: IndexSuggestion): Promise<void> {
  const params: IndexMigrationRequest.Params = { uri: lastSource, index };
  const result = await sendRequest(ctx.client, IndexMigrationRequest.type, params);
  if (!result.ok) {
    void vscode.window.showWarningMessage(`pglens: ${result.message}`);
    return;
  }
  const edit = await ctx.client.protocol2CodeConverter.asWorkspaceEdit(result.edit as Parameters<typeof ctx.client.protocol2CodeConverter.asWorkspaceEdit>[0]);
  if (!edit || !(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showWarningMessage('pglens: the migration file could not be created.');
    return;
  }
  for (const file of result.files) await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
}
