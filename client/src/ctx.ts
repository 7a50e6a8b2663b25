import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import type { IndexSuggestion } from '../../protocol/plan';
import { ErdPanel } from './erd-panel';
import { PlanPanel } from './plan-panel';
import { SchemaTree } from './schema-tree';
import { ConnectionStatusBar, EMBEDDED_STATUS } from './status';

export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'sql' },
  { scheme: 'file', language: 'postgres' },
  { scheme: 'untitled', language: 'sql' },
  { scheme: 'untitled', language: 'postgres' },
];

/** Owns the language client, the output channel, the status bar and every disposable of the extension. */
export class Ctx {
  private languageClient: LanguageClient | undefined;
  /** Run after every start of the client; what they return is disposed when it stops. */
  private readonly startHooks: Array<(client: LanguageClient) => vscode.Disposable | Promise<void> | void> = [];
  private clientSubscriptions: vscode.Disposable[] = [];
  readonly output: vscode.LogOutputChannel;
  readonly status: ConnectionStatusBar;
  /** The plan visualizer (one panel, reused). */
  readonly plans: PlanPanel;
  /** The ER diagram (one panel, reused) and the side bar's schema view. */
  readonly erd: ErdPanel;
  readonly schemaTree: SchemaTree;

  /** `indexFix`: what the plan view's "create index" button does (a new migration, from plans.ts). */
  constructor(
    readonly extension: vscode.ExtensionContext,
    indexFix: (ctx: Ctx, index: IndexSuggestion) => unknown,
  ) {
    this.output = vscode.window.createOutputChannel('pglens', { log: true });
    this.status = new ConnectionStatusBar();
    this.plans = PlanPanel.register(extension, {
      indexFix: (_hint, index) => indexFix(this, index),
      log: (message) => this.output.warn(`plan view: ${message}`),
    });
    this.erd = ErdPanel.register(this);
    this.schemaTree = SchemaTree.register(this);
    extension.subscriptions.push(this.output, this.status);
    this.onDidStart((client) => this.status.attach(client));
  }

  get serverRunning(): boolean {
    return this.languageClient?.state === State.Running;
  }

  /** The language client; commands marked needsServer only run while it is running. */
  get client(): LanguageClient {
    if (!this.languageClient) throw new Error('the language server is not running');
    return this.languageClient;
  }

  /** Registers `hook` to run after each start (and restart) of the language client. */
  onDidStart(hook: (client: LanguageClient) => vscode.Disposable | Promise<void> | void): void {
    this.startHooks.push(hook);
  }

  async start(): Promise<void> {
    const serverModule = this.extension.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.output,
      synchronize: {
        configurationSection: 'pglens',
        // New, deleted or renamed SQL files change which migrations there are.
        fileEvents: [vscode.workspace.createFileSystemWatcher('**/*.{sql,pgsql,psql}'), vscode.workspace.createFileSystemWatcher('**/pglens.json')],
      },
      initializationOptions: { cacheDir: this.extension.globalStorageUri.fsPath },
      diagnosticPullOptions: { onChange: true, onSave: true, onTabs: true },
      // Plan hovers link to the visualizer and to EXPLAIN ANALYZE: only these commands may run from markdown.
      markdown: { isTrusted: { enabledCommands: ['pglens.explainStatement', 'pglens.explainAnalyzeStatement'] } },
    };
    const client = new LanguageClient('pglens', 'pglens', serverOptions, clientOptions);
    this.languageClient = client;
    await client.start();
    for (const hook of this.startHooks) {
      try {
        const result = hook(client);
        if (result instanceof Promise) result.catch((error: unknown) => this.output.error(`after start: ${String(error)}`));
        else if (result) this.clientSubscriptions.push(result);
      } catch (error) {
        this.output.error(`after start: ${String(error)}`);
      }
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.languageClient;
    this.languageClient = undefined;
    for (const subscription of this.clientSubscriptions.splice(0)) subscription.dispose();
    this.status.update(EMBEDDED_STATUS);
    if (client) await client.stop();
  }
}
