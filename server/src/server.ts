import type { Connection } from 'vscode-languageserver';
import { registerCodeActions } from './lsp/code-actions';
import { registerCompletion } from './lsp/completion';
import { registerDefinition } from './lsp/definition';
import { registerDiagnostics } from './lsp/diagnostics';
import { registerErd } from './lsp/erd';
import { registerGenerate } from './lsp/generate';
import { registerHover } from './lsp/hover';
import { registerLifecycle } from './lsp/lifecycle';
import { registerLiveConnection } from './lsp/live-connection';
import { registerOutline } from './lsp/outline';
import { registerPlans } from './lsp/plans';
import { registerRls } from './lsp/rls';
import { Session } from './lsp/session';

/**
 * Wires the engine to LSP: one `register…` line per capability (each in its own module under lsp/),
 * one session owning what is cached. Takes the connection so tests can drive it without VS Code.
 */
export function startServer(connection: Connection): void {
  const session = new Session(connection);
  const capabilities = [
    registerLiveConnection(connection, session),
    registerDiagnostics(connection, session),
    registerOutline(connection, session),
    registerHover(connection, session),
    registerCompletion(connection, session),
    registerDefinition(connection, session),
    registerCodeActions(connection, session),
    registerPlans(connection, session),
    registerGenerate(connection, session),
    registerRls(connection, session),
    registerErd(connection, session),
  ];
  registerLifecycle(connection, session, capabilities);
  session.documents.listen(connection);
  connection.listen();
}
