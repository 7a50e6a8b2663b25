import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Runs inside the VS Code extension host (entry point named by extensionTestsPath). */
export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension('pglens.pglens');
  assert.ok(extension, 'pglens is installed');
  await extension.activate();
  const [file] = await vscode.workspace.findFiles('migrations/20240415090000_set_payment_defaults.sql');
  assert.ok(file, 'the examples workspace is open');
  await vscode.window.showTextDocument(file);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const diagnostics = vscode.languages.getDiagnostics(file);
    if (diagnostics.some((diagnostic) => diagnostic.message === 'syntax error at or near "TABEL"')) return;
    if (Date.now() > deadline) assert.fail(`no syntax diagnostic after 60 s: ${JSON.stringify(diagnostics)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
