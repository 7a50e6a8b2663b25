/** The live-database connection: what the language server and the CLI use of it. */
import type { Connection } from 'vscode-languageserver';
import { ConnectRequest, DisconnectRequest, RefreshSchemaRequest, StatusNotification } from '../../../protocol/messages';
import type { Disposable, LiveConnection, Logger } from './live';

export { LiveConnection, checkServerVersion, formatVersionNum, MIN_SERVER_VERSION_NUM } from './live';
export type { Disposable, LiveConnectionOptions, Logger } from './live';
export { describeTarget, nodeFiles, parseConnectionString, redactConnectionString, resolveConnection } from './resolve';
export type { FileReader, ResolveOptions, ResolvedConnection, SslMode } from './resolve';
export {
  ConnectionConfigError,
  PasswordRequiredError,
  PglensErrorCode,
  UnsupportedVersionError,
  explainConnectionError,
  isConnectionLost,
  isRetryable,
} from './errors';
export type { ExplainedError, ExplainOptions } from './errors';

/** Logs to the client's output channel (never stdout, which may be the LSP transport). */
export function lspLogger(connection: Connection): Logger {
  return {
    info: (message) => connection.console.info(message),
    warn: (message) => connection.console.warn(message),
    error: (message) => connection.console.error(message),
  };
}

/**
 * The LSP side of a LiveConnection: answers pglens/connect, /disconnect and /refreshSchema and sends
 * each status change as pglens/status. server.ts calls this once: `serveLiveConnection(connection, live)`.
 */
export function serveLiveConnection(connection: Connection, live: LiveConnection): Disposable {
  const subscriptions = [
    connection.onRequest(ConnectRequest.method, (params: ConnectRequest.Params): Promise<ConnectRequest.Result> => live.connect(params)),
    connection.onRequest(DisconnectRequest.method, (): Promise<DisconnectRequest.Result> => live.disconnect()),
    connection.onRequest(RefreshSchemaRequest.method, (): Promise<RefreshSchemaRequest.Result> => live.refresh()),
    live.onStatus((status: StatusNotification.Params) => {
      connection.sendNotification(StatusNotification.method, status).catch(() => undefined);
    }),
  ];
  return { dispose: () => subscriptions.forEach((subscription) => subscription.dispose()) };
}
