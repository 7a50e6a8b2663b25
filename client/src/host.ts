/** What a view of the extension needs from its context (Ctx satisfies it; no import cycle back to ctx.ts). */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export interface ClientHost {
  readonly extension: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
  readonly serverRunning: boolean;
  readonly client: LanguageClient;
  onDidStart(hook: (client: LanguageClient) => vscode.Disposable | Promise<void> | void): void;
}
