import { Client } from 'pg';
import type { ClientConfig, QueryConfig } from 'pg';
import type { Database, QueryResult } from './port';
import { SessionGate } from './session-gate';

export interface PgOptions {
  /** A libpq-style connection string or discrete fields (host, port, database, user, password, ssl). */
  config: ClientConfig;
  /** Per-statement limit on the server (statement_timeout), milliseconds. */
  statementTimeoutMs?: number;
  /** How long a statement may wait for a lock (lock_timeout), milliseconds. */
  lockTimeoutMs?: number;
  connectTimeoutMs?: number;
  /**
   * How long the session may sit idle inside a transaction before the server ends it
   * (idle_in_transaction_session_timeout), milliseconds: a second line of defence behind SessionGate.
   */
  idleInTransactionTimeoutMs?: number;
  /**
   * The user's database: `exec` goes through the extended protocol too, so that every call carries
   * exactly one statement (text smuggling a second one is refused by the server).
   */
  userDatabase?: boolean;
}

/** The `pg` adapter: a real PostgreSQL server, one connection, always with timeouts. */
export class PgDatabase implements Database {
  readonly kind = 'pg' as const;

  private readonly gate: SessionGate;

  private constructor(
    private readonly client: Client,
    private readonly config: ClientConfig,
    private readonly userDatabase: boolean,
  ) {
    this.gate = new SessionGate({ kind: this.kind, query: (sql, params) => this.send(sql, params), exec: (sql) => this.sendScript(sql), cancel: () => this.cancel() });
  }

  static async connect(options: PgOptions): Promise<PgDatabase> {
    const statementTimeout = options.statementTimeoutMs ?? 5000;
    const config: ClientConfig = {
      ...options.config,
      application_name: 'pglens',
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      statement_timeout: statementTimeout,
      lock_timeout: options.lockTimeoutMs ?? 1000,
      idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 5000,
      // Client-side guard too, for a stalled network where the server never answers.
      query_timeout: statementTimeout + 2000,
      keepAlive: true,
    };
    const client = new Client(config);
    // A dropped connection emits 'error' on the client; without a listener it would crash the process.
    client.on('error', () => undefined);
    await client.connect();
    return new PgDatabase(client, config, options.userDatabase === true);
  }

  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
    return this.gate.serial('a query', () => this.send<Row>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.gate.serial('a statement', () => this.sendScript(sql));
  }

  readOnly<T>(work: (db: Database) => Promise<T>): Promise<T> {
    return this.gate.transaction('read-only', work);
  }

  rolledBack<T>(work: (db: Database) => Promise<T>): Promise<T> {
    return this.gate.transaction('rolled-back', work);
  }

  private async send<Row>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
    // The extended protocol carries exactly one statement: text smuggling a second one is refused by the server.
    const config: QueryConfig & { queryMode: 'extended' } = { text: sql, values: params, queryMode: 'extended' };
    const result = await this.client.query(config);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? undefined };
  }

  /** A script of several statements (simple protocol) on pglens's own databases; one statement on the user's. */
  private async sendScript(sql: string): Promise<void> {
    if (this.userDatabase) await this.send(sql);
    else await this.client.query(sql);
  }

  async cancel(): Promise<void> {
    const pid = (this.client as unknown as { processID?: number }).processID;
    if (!pid) return;
    const canceller = new Client({ ...this.config, application_name: 'pglens-cancel' });
    canceller.on('error', () => undefined);
    try {
      await canceller.connect();
      await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
    } catch {
      // Best effort: the statement timeout ends it anyway.
    } finally {
      await canceller.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
