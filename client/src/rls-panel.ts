/**
 * The RLS Policies view's host: one WebviewPanel (reused), strict CSP with a nonce, local resources from
 * dist/webviews only. It relays the view's questions to the language server (protocol/rls.ts), asks
 * once per live connection before testing there (always rolled back), and on Save creates the new
 * migration file the server rendered in the workspace's convention. It never changes a database.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { RLS_VIEW_TYPE, RlsCheckPolicyRequest, RlsModelRequest, RlsSaveRequest, RlsTestRequest } from '../../protocol/rls';
import type { RlsFromView, RlsSource, RlsToView, RlsViewTheme } from '../../protocol/rls';
import type { Ctx } from './ctx';

export class RlsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** Live connections (by label) the user agreed to run tests on. */
  private readonly consented = new Set<string>();

  constructor(private readonly ctx: Ctx) {}

  open(): void {
    if (this.panel) return this.panel.reveal();
    const root = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'dist', 'webviews');
    const panel = vscode.window.createWebviewPanel(RLS_VIEW_TYPE, 'RLS Policies', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [root], retainContextWhenHidden: true });
    this.panel = panel;
    panel.webview.html = html(panel.webview, root);
    const subscriptions = [
      panel.webview.onDidReceiveMessage((message: RlsFromView) => void this.receive(message).catch((error: unknown) => this.post({ type: 'error', message: error instanceof Error ? error.message : String(error) }))),
      vscode.window.onDidChangeActiveColorTheme((theme) => this.post({ type: 'theme', theme: themeKind(theme.kind) })),
      panel.onDidDispose(() => {
        for (const subscription of subscriptions) subscription.dispose();
        this.panel = undefined;
      }),
    ];
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private post(message: RlsToView): void {
    void this.panel?.webview.postMessage(message);
  }

  private async receive(message: RlsFromView): Promise<void> {
    const client = this.ctx.client;
    switch (message.type) {
      case 'ready':
        this.post({ type: 'theme', theme: themeKind(vscode.window.activeColorTheme.kind) });
        return;
      case 'load': {
        const result = await client.sendRequest<RlsModelRequest.Result>(RlsModelRequest.method, { source: message.source } satisfies RlsModelRequest.Params);
        this.post({ type: 'model', source: message.source, sourceLabel: this.sourceLabel(message.source), result });
        return;
      }
      case 'check': {
        const result = await client.sendRequest<RlsCheckPolicyRequest.Result>(RlsCheckPolicyRequest.method, { sql: message.sql } satisfies RlsCheckPolicyRequest.Params);
        this.post({ type: 'checked', sql: message.sql, result });
        return;
      }
      case 'test': {
        if (message.params.source === 'live' && !(await this.consent())) {
          this.post({ type: 'tested', result: { ok: false, message: 'Not run: testing on the live database needs your consent.' } });
          return;
        }
        const result = await client.sendRequest<RlsTestRequest.Result>(RlsTestRequest.method, message.params);
        this.post({ type: 'tested', result });
        return;
      }
      case 'save': {
        const result = await client.sendRequest<RlsSaveRequest.Result>(RlsSaveRequest.method, message.params);
        if (!result.ok) return this.post({ type: 'error', message: result.message });
        const edit = new vscode.WorkspaceEdit();
        for (const file of result.files) {
          const uri = vscode.Uri.file(file.path);
          edit.createFile(uri, { overwrite: false, ignoreIfExists: false, contents: new TextEncoder().encode(file.content) });
        }
        if (!(await vscode.workspace.applyEdit(edit))) return this.post({ type: 'error', message: 'The migration file could not be created (does it exist already?).' });
        await vscode.window.showTextDocument(vscode.Uri.file(result.files[0].path), { viewColumn: vscode.ViewColumn.Beside, preview: false });
        this.post({ type: 'saved', files: result.files.map((file) => vscode.workspace.asRelativePath(file.path)) });
        return;
      }
    }
  }

  private sourceLabel(source: RlsSource): string {
    return source === 'live' ? (this.ctx.status.status.state === 'connected' ? this.ctx.status.status.label : 'not connected') : 'embedded shadow';
  }

  /** Once per live connection: a modal question; tests there are always rolled back. */
  private async consent(): Promise<boolean> {
    const label = this.ctx.status.status.label;
    if (this.consented.has(label)) return true;
    const answer = await vscode.window.showWarningMessage(
      `Run RLS tests as other roles on ${label}? pglens runs SET ROLE and your statements in a transaction that is always rolled back.`,
      { modal: true },
      'Run Tests',
    );
    if (answer !== 'Run Tests') return false;
    this.consented.add(label);
    return true;
  }
}

export function openRlsPoliciesCommand(ctx: Ctx, panels: { rls?: RlsPanel }): void {
  panels.rls ??= new RlsPanel(ctx);
  panels.rls.open();
}

function themeKind(kind: vscode.ColorThemeKind): RlsViewTheme {
  if (kind === vscode.ColorThemeKind.Light) return 'light';
  if (kind === vscode.ColorThemeKind.HighContrast) return 'high-contrast';
  if (kind === vscode.ColorThemeKind.HighContrastLight) return 'high-contrast-light';
  return 'dark';
}

function html(webview: vscode.Webview, root: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'rls.js'));
  const css = webview.asWebviewUri(vscode.Uri.joinPath(root, 'rls.css'));
  const csp = ["default-src 'none'", `style-src ${webview.cspSource} 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`, `font-src ${webview.cspSource}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" nonce="${nonce}" href="${css.toString()}">
</head>
<body>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
