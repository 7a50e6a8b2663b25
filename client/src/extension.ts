import type * as vscode from 'vscode';
import { registerCommands } from './commands';
import { reconnectLastUsed } from './connections';
import { Ctx } from './ctx';
import { indexMigrationCommand } from './plans';

let ctx: Ctx | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<void> {
  const context = new Ctx(extension, indexMigrationCommand);
  ctx = context;
  // A new server process starts embedded: reconnect it to the database used last.
  context.onDidStart(() => reconnectLastUsed(context));
  registerCommands(context);
  await context.start();
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
}
