/**
 * Custom LSP messages between the extension (client/) and the language server (server/).
 * Each is a method name and its parameter/result types, imported by both sides.
 */

/** How to reach a live database: libpq-style fields, or a connection string. Never persisted with a password. */
export interface ConnectionConfig {
  name: string;
  connectionString?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  sslmode?: 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  sslrootcert?: string;
  /** Settings sent along by the client (`pglens.pollIntervalMs`): how often to look for schema changes. */
  pollIntervalMs?: number;
  /** `pglens.statementTimeoutMs`: statement_timeout of pglens's own session. */
  statementTimeoutMs?: number;
}

/** `pglens/connect`: use this database for checks, hover and completion. */
export namespace ConnectRequest {
  export const method = 'pglens/connect';
  export type Params = ConnectionConfig;
  export type Result = ConnectionStatus;
}

/** `pglens/disconnect`: back to the embedded shadow only. */
export namespace DisconnectRequest {
  export const method = 'pglens/disconnect';
  export type Result = ConnectionStatus;
}

/** `pglens/refreshSchema`: reload the schema snapshot now. */
export namespace RefreshSchemaRequest {
  export const method = 'pglens/refreshSchema';
  export type Result = ConnectionStatus;
}

/** `pglens/status` (server → client notification): what the status bar shows. */
export namespace StatusNotification {
  export const method = 'pglens/status';
  export type Params = ConnectionStatus;
}

export interface ConnectionStatus {
  state: 'embedded' | 'connecting' | 'connected' | 'error';
  /** `database@host`, or `embedded` for the shadow. */
  label: string;
  serverVersion?: string;
  tables?: number;
  /** A clear, user-facing message when state is `error`. */
  error?: string;
  /** SQLSTATE or driver code of the error, e.g. `28P01` (wrong password), `ECONNREFUSED`. */
  errorCode?: string;
  /** In state `error` after the connection dropped: the schema shown is the last one loaded, and pglens is reconnecting. */
  stale?: boolean;
  /** In state `error`: pglens retries by itself (1 s, 2 s, 5 s, then every 10 s). */
  reconnecting?: boolean;
}
