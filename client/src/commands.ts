import * as vscode from 'vscode';
import { connectCommand, disconnectCommand, refreshSchemaCommand } from './connections';
import type { Ctx } from './ctx';
import { openErdCommand, showTableInErdCommand } from './erd';
import { generateFromDriftCommand, generateFromSchemaCommand } from './generate';
import { comparePlansCommand, explainCommand, showPlanCommand, showPlanFromClipboardCommand } from './plans';
import { openRlsPoliciesCommand } from './rls-panel';
import type { RlsPanel } from './rls-panel';
import type { StatementAt } from './plans';

interface CommandSpec {
  /** Commands that talk to the language server refuse to run while it is down. */
  needsServer: boolean;
  /** Arguments come from command links (hover) and menus; the palette passes none. */
  run: (ctx: Ctx, ...args: unknown[]) => Promise<unknown> | unknown;
}

/** Every command of the extension, by id (package.json contributes.commands lists the same ids). */
export const COMMANDS: Record<string, CommandSpec> = {
  'pglens.restartServer': { needsServer: false, run: (ctx) => ctx.restart() },
  'pglens.showOutput': { needsServer: false, run: (ctx) => ctx.output.show(true) },
  'pglens.connect': { needsServer: true, run: (ctx) => connectCommand(ctx) },
  'pglens.disconnect': { needsServer: true, run: (ctx) => disconnectCommand(ctx) },
  'pglens.refreshSchema': { needsServer: true, run: (ctx) => refreshSchemaCommand(ctx) },
  'pglens.explainStatement': { needsServer: true, run: (ctx, at) => explainCommand(ctx, false, at as StatementAt | undefined) },
  'pglens.explainAnalyzeStatement': { needsServer: true, run: (ctx, at) => explainCommand(ctx, true, at as StatementAt | undefined) },
  'pglens.showPlan': { needsServer: true, run: (ctx) => showPlanCommand(ctx) },
  'pglens.showPlanFromClipboard': { needsServer: true, run: (ctx) => showPlanFromClipboardCommand(ctx) },
  'pglens.comparePlans': { needsServer: false, run: (ctx) => comparePlansCommand(ctx) },
  'pglens.generateMigrationFromSchema': { needsServer: true, run: (ctx, resource) => generateFromSchemaCommand(ctx, resource) },
  'pglens.generateMigrationFromDrift': { needsServer: true, run: (ctx, resource) => generateFromDriftCommand(ctx, resource) },
  'pglens.openRlsPolicies': { needsServer: true, run: (ctx) => openRlsPoliciesCommand(ctx, panels) },
  'pglens.openErd': { needsServer: true, run: (ctx) => openErdCommand(ctx) },
  'pglens.showTableInErd': { needsServer: true, run: (ctx, target) => showTableInErdCommand(ctx, target) },
};

/** Panels opened on demand by a command (one of each). */
const panels: { rls?: RlsPanel } = {};

export function registerCommands(ctx: Ctx): void {
  for (const [id, spec] of Object.entries(COMMANDS)) {
    ctx.extension.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        if (spec.needsServer && !ctx.serverRunning) {
          void vscode.window.showWarningMessage('pglens: the language server is not running. Run "pglens: Restart Language Server".');
          return;
        }
        try {
          await spec.run(ctx, ...args);
        } catch (error) {
          void vscode.window.showErrorMessage(`pglens: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
  }
}
