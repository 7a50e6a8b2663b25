import * as vscode from 'vscode';
import { GenerateMigrationRequest } from '../../protocol/messages';
import type { Ctx } from './ctx';
import { sendRequest } from './requests';

type Mode = GenerateMigrationRequest.Params['mode'];
type Rename = NonNullable<GenerateMigrationRequest.Params['renames']>[number];

/** "Generate Migration from This Schema": the right-clicked file or folder is the desired schema. */
export async function generateFromSchemaCommand(ctx: Ctx, resource?: unknown): Promise<void> {
  const uri = resource instanceof vscode.Uri ? resource : vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showInformationMessage('pglens: right-click a schema file or folder (e.g. schema.sql, supabase/schemas) to generate a migration from it.');
    return;
  }
  await generate(ctx, uri, 'schema');
}

/** "Generate Migration from Database Drift": the connected database against the workspace's migrations, either way. */
export async function generateFromDriftCommand(ctx: Ctx, resource?: unknown): Promise<void> {
  const uri = resource instanceof vscode.Uri ? resource : (vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri);
  if (!uri) {
    void vscode.window.showInformationMessage('pglens: open a workspace folder with migrations first.');
    return;
  }
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'Capture changes made on the database', description: 'migrations → database', mode: 'drift-capture' as const },
      { label: 'Bring the database in line with the migrations', description: 'database → migrations', mode: 'drift-apply' as const },
    ],
    { title: 'pglens: Generate migration from database drift' },
  );
  if (choice) await generate(ctx, uri, choice.mode);
}

async function generate(ctx: Ctx, uri: vscode.Uri, mode: Mode): Promise<void> {
  const renames: Rename[] = [];
  let result = await request(ctx, { uri: uri.toString(), mode });
  if (!result.ok) {
    void vscode.window.showWarningMessage(`pglens: ${result.message}`);
    return;
  }
  // Look-alike drops and adds: never a rename unless the user says so.
  const candidates = result.renameCandidates;
  for (const candidate of candidates) {
    // Once `a → b` is a rename, other candidates from `a` or to `b` are moot.
    if (renames.some((rename) => rename.kind === candidate.kind && (rename.from === candidate.from || rename.to === candidate.to) && (rename.kind === 'table' || rename.table === candidate.table))) continue;
    const what = candidate.kind === 'table' ? `table ${candidate.from} → ${candidate.to}` : `column ${candidate.table}.${candidate.from} → ${candidate.to}`;
    const answer = await vscode.window.showQuickPick(['Rename (keeps the data)', 'Drop and add (loses the data)'], { title: `pglens: is ${what} a rename?` });
    if (answer === undefined) return;
    if (answer.startsWith('Rename')) renames.push(candidate.kind === 'table' ? { kind: 'table', from: candidate.from, to: candidate.to } : { kind: 'column', table: candidate.table ?? '', from: candidate.from, to: candidate.to });
  }
  if (renames.length > 0) {
    result = await request(ctx, { uri: uri.toString(), mode, renames });
    if (!result.ok) {
      void vscode.window.showWarningMessage(`pglens: ${result.message}`);
      return;
    }
  }
  if (result.changes === 0) {
    void vscode.window.showInformationMessage('pglens: the schemas are the same; there is nothing to migrate.');
    return;
  }
  if (result.verification.startsWith('failed')) {
    const write = 'Write Anyway';
    const answer = await vscode.window.showWarningMessage('The generated migration failed verification in the shadow database.', { modal: true, detail: `${result.verification}\nThe file header says what went wrong.` }, write);
    if (answer !== write) return;
  }
  if (result.hazards.length > 0) {
    const write = 'Write Migration';
    const answer = await vscode.window.showWarningMessage(
      `This migration has ${result.hazards.length} destructive change${result.hazards.length === 1 ? '' : 's'}.`,
      { modal: true, detail: result.hazards.join('\n') },
      write,
    );
    if (answer !== write) return;
  }
  for (const file of result.files) {
    const target = vscode.Uri.file(file.path);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(file.content));
    await vscode.window.showTextDocument(target, { preview: false });
  }
  void vscode.window.showInformationMessage(`pglens: wrote a ${result.format} migration with ${result.changes} change${result.changes === 1 ? '' : 's'} (verification: ${result.verification}).`);
}

async function request(ctx: Ctx, params: GenerateMigrationRequest.Params): Promise<GenerateMigrationRequest.Result> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'pglens: generating and verifying the migration…' }, () =>
    sendRequest(ctx.client, GenerateMigrationRequest.type, params),
  );
}
