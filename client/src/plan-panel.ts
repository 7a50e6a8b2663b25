/**
 * The plan visualizer's host in VS Code: one WebviewPanel (reused), a strict CSP with a nonce, local
 * resources from dist/webviews only, and a serializer so the panel comes back after a reload (the view
 * keeps its content and view state with setState; see protocol/plan-view.ts).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ExplainResult, IndexSuggestion, PlanHint } from '../../protocol/plan';
import { PLAN_VIEW_TYPE } from '../../protocol/plan-view';
import type { FromView, PlanRef, PlanViewState, PlanViewTheme, ToView } from '../../protocol/plan-view';

export interface PlanPanelHandlers {
  /** The user asked for a hint's index (button in the hints list). */
  indexFix(hint: PlanHint, index: IndexSuggestion, ref: PlanRef): unknown;
  /** A node was selected in the view. */
  nodeSelected?(ref: PlanRef, nodeId: number): void;
  /** Errors reported by the view. */
  log?(message: string): void;
}

export class PlanPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** What to send once the view says it is ready (the script may not listen yet when we have content). */
  private pending: ToView.Message | undefined;
  private ready = false;
  /** The plans shown, for "open raw plan": by ref kind. */
  private shown: { single: ExplainResult[]; before?: ExplainResult; after?: ExplainResult } = { single: [] };
  private readonly disposables: vscode.Disposable[] = [];

  /** Creates the host and registers its serializer; dispose it with the extension. */
  static register(extension: vscode.ExtensionContext, handlers: PlanPanelHandlers): PlanPanel {
    const host = new PlanPanel(extension, handlers);
    extension.subscriptions.push(host);
    return host;
  }

  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly handlers: PlanPanelHandlers,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(PLAN_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
          const saved = isViewState(state) ? state : undefined;
          if (saved) this.remember(saved);
          this.adopt(panel, saved ? { type: 'restore', state: saved } : undefined);
        },
      }),
      vscode.window.onDidChangeActiveColorTheme((theme) => this.post({ type: 'theme', theme: themeKind(theme.kind) })),
    );
  }

  /** Shows one or more plans (one per statement) in the panel, opening or revealing it. */
  show(plans: ExplainResult[], title: string): void {
    this.shown = { single: plans };
    this.send({ type: 'show', title, plans }, title);
  }

  /** Shows two plans side by side with the deltas of time and cost; labels default to Before/After. */
  compare(before: ExplainResult, after: ExplainResult, labels?: [string, string], title = 'Compare plans'): void {
    this.shown = { single: [], before, after };
    this.send({ type: 'compare', title, before, after, labels }, title);
  }

  /** Selects and centres a node of the plan shown. */
  reveal(ref: PlanRef, nodeId: number): void {
    this.post({ type: 'selectNode', ref, nodeId });
  }

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private send(message: ToView.Message, title: string): void {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(PLAN_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {});
      this.adopt(panel, message);
      return;
    }
    this.panel.title = title;
    this.panel.reveal(undefined, true);
    if (this.ready) this.post(message);
    else this.pending = message;
  }

  /** Takes over a new or restored panel: options, HTML and message handling. */
  private adopt(panel: vscode.WebviewPanel, first: ToView.Message | undefined): void {
    this.panel?.dispose();
    this.panel = panel;
    this.ready = false;
    this.pending = first;
    const root = vscode.Uri.joinPath(this.extension.extensionUri, 'dist', 'webviews');
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    panel.webview.html = this.html(panel.webview, root);
    const subscriptions = [
      panel.webview.onDidReceiveMessage((message: FromView.Message) => this.receive(message)),
      // A hidden panel loses its page (no retainContextWhenHidden): queue messages until it says ready again.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        for (const s of subscriptions) s.dispose();
        if (this.panel === panel) this.panel = undefined;
      }),
    ];
  }

  private receive(message: FromView.Message): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        // A view that restored its own state must not be overwritten by the serializer's copy of it.
        if (this.pending && !(message.restored && this.pending.type === 'restore')) this.post(this.pending);
        this.pending = undefined;
        this.post({ type: 'theme', theme: themeKind(vscode.window.activeColorTheme.kind) });
        return;
      case 'nodeSelected':
        this.handlers.nodeSelected?.(message.ref, message.nodeId);
        return;
      case 'openRaw':
        void this.openRaw(message.ref);
        return;
      case 'indexFix':
        void Promise.resolve(this.handlers.indexFix(message.hint, message.index, message.ref)).catch(
          (error: unknown) => void vscode.window.showErrorMessage(`pglens: ${error instanceof Error ? error.message : String(error)}`),
        );
        return;
      case 'export':
        void saveExport(message.fileName, message.data);
        return;
      case 'error':
        this.handlers.log?.(message.message);
        return;
    }
  }

  private post(message: ToView.Message): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }

  private remember(state: PlanViewState): void {
    const content = state.content;
    this.shown = content.mode === 'single' ? { single: content.plans } : { single: [], before: content.before, after: content.after };
  }

  private async openRaw(ref: PlanRef): Promise<void> {
    const plan = ref.kind === 'single' ? this.shown.single[ref.index] : this.shown[ref.side];
    if (!plan) return;
    // The raw plan is PostgreSQL's output: pglens's own figures are left out.
    const content = JSON.stringify([plan], (key, value: unknown) => (key === 'pglens' ? undefined : value), 2);
    const document = await vscode.workspace.openTextDocument({ language: 'json', content });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }

  private html(webview: vscode.Webview, root: vscode.Uri): string {
    const nonce = randomBytes(18).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'plan.js'));
    const css = webview.asWebviewUri(vscode.Uri.joinPath(root, 'plan.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
      `img-src ${webview.cspSource} data:`,
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
}

function themeKind(kind: vscode.ColorThemeKind): PlanViewTheme {
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

function isViewState(state: unknown): state is PlanViewState {
  const content = (state as Partial<PlanViewState> | undefined)?.content;
  return typeof content === 'object' && content !== null && (content.mode === 'single' || content.mode === 'compare');
}

/** Writes an export from the view where the user chooses (PNG arrives as a data URL). */
async function saveExport(fileName: string, data: string): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined, saveLabel: 'Export' });
  if (!target) return;
  const bytes = data.startsWith('data:') ? Buffer.from(data.slice(data.indexOf(',') + 1), 'base64') : Buffer.from(data, 'utf8');
  await vscode.workspace.fs.writeFile(target, bytes);
}
