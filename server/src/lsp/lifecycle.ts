import { DidChangeConfigurationNotification, TextDocumentSyncKind } from 'vscode-languageserver';
import type { Connection, InitializeResult, ServerCapabilities } from 'vscode-languageserver';
import type { Session } from './session';

/**
 * initialize/shutdown, and every change the server hears of (edits, closes, settings, files on
 * disk, the live connection and its schema) turned into one `session.invalidate(reason)`.
 * `capabilities`: what each capability's `register…` answered, announced in `initialize`.
 */
export function registerLifecycle(connection: Connection, session: Session, capabilities: ServerCapabilities[]): void {
  let clientWatchesConfiguration = false;

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    clientWatchesConfiguration = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    await session.initialize(params);
    return {
      capabilities: Object.assign({ textDocumentSync: TextDocumentSyncKind.Incremental }, ...capabilities) as ServerCapabilities,
      serverInfo: { name: 'pglens', version: PGLENS_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (clientWatchesConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'pglens' });
  });

  connection.onShutdown(() => session.dispose());

  // Connecting, disconnecting or a new snapshot changes what every check sees.
  session.live.onStatus(() => void session.invalidate({ kind: 'connection' }));
  session.live.onSnapshot(() => void session.invalidate({ kind: 'snapshot' }));
  session.documents.onDidChangeContent(({ document }) => void session.invalidate({ kind: 'edit', uri: document.uri }));
  session.documents.onDidClose(({ document }) => void session.invalidate({ kind: 'close', uri: document.uri }));
  connection.onDidChangeConfiguration(() => void session.invalidate({ kind: 'settings' }));
  connection.onDidChangeWatchedFiles(() => session.invalidate({ kind: 'files' }));
}

declare const PGLENS_VERSION: string;
