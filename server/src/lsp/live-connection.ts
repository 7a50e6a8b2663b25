import type { Connection, ServerCapabilities } from 'vscode-languageserver';
import { ConnectRequest, DescribeConnectionRequest, DisconnectRequest, RefreshSchemaRequest, StatusNotification } from '../../../protocol/messages';
import type { ConnectionConfig } from '../../../protocol/messages';
import { parseConnectionString, redactSecrets } from '../connection';
import type { Session } from './session';

/**
 * The LSP side of the live connection: answers pglens/connect, /disconnect, /refreshSchema and
 * /describeConnection, and sends each status change as pglens/status.
 */
export function registerLiveConnection(connection: Connection, session: Pick<Session, 'live'>): ServerCapabilities {
  const { live } = session;
  connection.onRequest(ConnectRequest.type, (params) => live.connect(params));
  connection.onRequest(DisconnectRequest.type, () => live.disconnect());
  connection.onRequest(RefreshSchemaRequest.type, () => live.refresh());
  connection.onRequest(DescribeConnectionRequest.type, (params) => ({ detail: connectionDetail(params) }));
  live.onStatus((status) => {
    connection.sendNotification(StatusNotification.type, status).catch(() => undefined);
  });
  return {};
}

/** `user@host:port/db` for the connection picker; never the password. */
function connectionDetail(config: ConnectionConfig): string {
  let fields: { host?: string; port?: string | number; database?: string; user?: string } = config;
  if (config.connectionString) {
    try {
      const params = parseConnectionString(config.connectionString);
      if (params.service !== undefined && params.host === undefined) return `service=${params.service}`;
      fields = { host: params.host, port: params.port, database: params.dbname, user: params.user };
    } catch {
      return redactSecrets(config.connectionString);
    }
  }
  const user = fields.user ?? '(user)';
  return `${user}@${fields.host ?? 'localhost'}:${fields.port ?? 5432}/${fields.database ?? fields.user ?? '(database)'}`;
}
