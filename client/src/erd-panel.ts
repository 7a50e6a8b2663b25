/**
 * The ER diagram's host in VS Code: one WebviewPanel (reused, restored after a reload), a strict CSP
 * with a nonce (plus `worker-src blob:` for the layout worker), positions saved in a diff-friendly
 * workspace file, exports written where the user says, double-click → the migration that created the
 * table, and live updates when the schema changes.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ERD_VIEW_TYPE, ErdChangedNotification, ErdDefinitionRequest, ErdRequest } from '../../protocol/erd';
import type { ErdLayoutFile, ErdRef, ErdViewTheme, FromView, ToView } from '../../protocol/erd';
import type { ClientHost } from './host';

/** Positions live here, one table per line, sorted: a moved box is a one-line diff. */
export const LAYOUT_FILE = '.vscode/pglens-erd.json';

export class ErdPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private queue: ToView.Message[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static register(ctx: ClientHost): ErdPanel {
    const host = new ErdPanel(ctx);
    ctx.extension.subscriptions.push(host);
    return host;
  }

  constructor(private readonly ctx: ClientHost) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(ERD_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
          this.adopt(panel);
          this.refreshSoon();
        },
      }),
      vscode.window.onDidChangeActiveColorTheme((theme) => this.post({ type: 'theme', theme: themeKind(theme.kind) })),
      // Migrations replay again on save: the diagram follows, keeping the user's layout.
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (/\.(sql|pgsql|psql)$/i.test(document.fileName)) this.refreshSoon();
      }),
    );
    ctx.onDidStart((client) => client.onNotification(ErdChangedNotification.method, () => this.refreshSoon()));
  }

  /** Opens (or reveals) the diagram; with `table`, focused on it. */
  async open(table?: string): Promise<void> {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(ERD_VIEW_TYPE, 'ER Diagram', { viewColumn: vscode.ViewColumn.Active }, {});
      this.adopt(panel);
    } else this.panel.reveal();
    await this.refresh(table);
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.panel?.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private refreshSoon(): void {
    if (!this.panel) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh().catch((error: unknown) => this.ctx.output.warn(`ER diagram: ${String(error)}`)), 400);
  }

  private async refresh(focus?: string): Promise<void> {
    if (!this.panel || !this.ctx.serverRunning) return;
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const result = await this.ctx.client.sendRequest<ErdRequest.Result>(ErdRequest.method, { uri } satisfies ErdRequest.Params);
    if (!result.ok) {
      this.post({ type: 'empty', message: result.message, searched: (result.empty?.searched ?? []).map((folder) => vscode.workspace.asRelativePath(folder)) });
      return;
    }
    const positions = await readPositions();
    this.post({ type: 'model', model: result.model, sourceLabel: result.sourceLabel, positions, ...(result.failingMigration ? { failingMigration: result.failingMigration } : {}), ...(focus ? { focus } : {}) });
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    this.ready = false;
    const root = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'dist', 'webviews');
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    panel.webview.html = html(panel.webview, root);
    const subscriptions = [
      panel.webview.onDidReceiveMessage((message: FromView.Message) => this.receive(message)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        for (const subscription of subscriptions) subscription.dispose();
        if (this.panel === panel) this.panel = undefined;
      }),
    ];
  }

  private receive(message: FromView.Message): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'theme', theme: themeKind(vscode.window.activeColorTheme.kind) });
        if (this.queue.length === 0) this.refreshSoon();
        for (const queued of this.queue.splice(0)) this.post(queued);
        return;
      case 'positions':
        void writePositions(message.positions).catch((error: unknown) => this.ctx.output.warn(`ER diagram: cannot save positions: ${String(error)}`));
        return;
      case 'openDefinition':
        void this.openDefinition(message.table);
        return;
      case 'export':
        void exportFile(message.format, message.data).catch((error: unknown) => void vscode.window.showErrorMessage(`pglens: export failed: ${String(error)}`));
        return;
      case 'connect':
        void vscode.commands.executeCommand('pglens.connect');
        return;
      case 'error':
        this.ctx.output.warn(`ER diagram: ${message.message}`);
        return;
    }
  }

  private async openDefinition(table: ErdRef): Promise<void> {
    const location = await this.ctx.client.sendRequest<ErdDefinitionRequest.Result>(ErdDefinitionRequest.method, { table } satisfies ErdDefinitionRequest.Params);
    if (!location) {
      void vscode.window.showInformationMessage(`pglens: no migration of this workspace creates ${table.schema}.${table.name}.`);
      return;
    }
    const range = new vscode.Range(location.range.start.line, location.range.start.character, location.range.end.line, location.range.end.character);
    await vscode.window.showTextDocument(vscode.Uri.parse(location.uri), { selection: range, viewColumn: vscode.ViewColumn.Beside });
  }

  private post(message: ToView.Message): void {
    if (!this.panel) return;
    if (!this.ready) {
      // Only the newest model matters; a focus request after it still applies.
      this.queue = [...this.queue.filter((queued) => queued.type !== message.type || message.type === 'focus'), message];
      return;
    }
    void this.panel.webview.postMessage(message);
  }
}

function layoutUri(): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder && vscode.Uri.joinPath(folder.uri, LAYOUT_FILE);
}

async function readPositions(): Promise<ErdLayoutFile['positions']> {
  const uri = layoutUri();
  if (!uri) return {};
  try {
    const parsed = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) as Partial<ErdLayoutFile>;
    return parsed.positions ?? {};
  } catch {
    return {};
  }
}

let writing: Promise<void> = Promise.resolve();
/** Merges positions into the layout file, one sorted line per table. */
function writePositions(update: ErdLayoutFile['positions']): Promise<void> {
  writing = writing.then(async () => {
    const uri = layoutUri();
    if (!uri) return;
    const positions = { ...(await readPositions()), ...update };
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(formatLayoutFile(positions)));
  });
  return writing;
}

/** The layout file's text: stable order and one line per table, so that diffs stay small. */
export function formatLayoutFile(positions: ErdLayoutFile['positions']): string {
  const keys = Object.keys(positions).sort();
  const lines = keys.map((key, index) => `    ${JSON.stringify(key)}: { "x": ${Math.round(positions[key].x)}, "y": ${Math.round(positions[key].y)} }${index < keys.length - 1 ? ',' : ''}`);
  return `{\n  "version": 1,\n  "positions": {\n${lines.join('\n')}${lines.length ? '\n' : ''}  }\n}\n`;
}

async function exportFile(format: 'svg' | 'png', data: string): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, `erd.${format}`) : undefined,
    filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
    title: `Export the ER diagram as ${format.toUpperCase()}`,
  });
  if (!target) return;
  const bytes = format === 'svg' ? new TextEncoder().encode(data) : Buffer.from(data.slice(data.indexOf(',') + 1), 'base64');
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.showInformationMessage(`pglens: exported the ER diagram to ${vscode.workspace.asRelativePath(target)}`);
}

function html(webview: vscode.Webview, root: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'erd.js'));
  const css = webview.asWebviewUri(vscode.Uri.joinPath(root, 'erd.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    'worker-src blob:',
    `img-src ${webview.cspSource} data: blob:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
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

function themeKind(kind: vscode.ColorThemeKind): ErdViewTheme {
  switch (kind) {
    case vscode.ColorThemeKind.Light:
      return 'light';
    case vscode.ColorThemeKind.HighContrast:
      return 'high-contrast';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'high-contrast-light';
    default:
      return 'dark';
  }
}

/** The table name under the cursor (`schema.table`, quotes removed), for "Show Table in ER Diagram". */
export function tableNameAt(document: vscode.TextDocument, position: vscode.Position): string | undefined {
  const range = document.getWordRangeAtPosition(position, /(?:"(?:[^"]|"")+"|[\p{L}_][\p{L}\p{N}_$]*)(?:\.(?:"(?:[^"]|"")+"|[\p{L}_][\p{L}\p{N}_$]*))?/u);
  if (!range) return undefined;
  const text = document.getText(range);
  const parts = text.match(/"(?:[^"]|"")+"|[^.]+/g) ?? [];
  return parts.map((part) => (part.startsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part.toLowerCase())).join('.');
}
