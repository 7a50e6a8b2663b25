import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'sql' },
  { scheme: 'file', language: 'postgres' },
  { scheme: 'untitled', language: 'sql' },
  { scheme: 'untitled', language: 'postgres' },
];

/** Owns the language client, the output channel and every disposable of the extension. */
export class Ctx {
  private client: LanguageClient | undefined;
  readonly output: vscode.LogOutputChannel;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('pglens', { log: true });
    extension.subscriptions.push(this.output);
  }

  get serverRunning(): boolean {
    return this.client?.state === State.Running;
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
        fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{sql,pgsql,psql}'),
      },
      initializationOptions: { cacheDir: this.extension.globalStorageUri.fsPath },
      diagnosticPullOptions: { onChange: true, onSave: true, onTabs: true },
    };
    this.client = new LanguageClient('pglens', 'pglens', serverOptions, clientOptions);
    await this.client.start();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.stop();
  }
}
