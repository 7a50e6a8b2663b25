import { AsyncLocalStorage } from 'node:async_hooks';
import { Client } from 'pg';
import type { ClientConfig, QueryConfig } from 'pg';
import type { Database, QueryResult } from './port';

export interface PgOptions {
  /** A libpq-style connection string or discrete fields (host, port, database, user, password, ssl). */
  config: ClientConfig;
  /** Per-statement limit on the server (statement_timeout), milliseconds. */
  statementTimeoutMs?: number;
  /** How long a statement may wait for a lock (lock_timeout), milliseconds. */
  lockTimeoutMs?: number;
  connectTimeoutMs?: number;
}

/** The `pg` adapter: a real PostgreSQL server, one connection, always with timeouts. */
export class PgDatabase implements Database {
  readonly kind = 'pg' as const;

  private constructor(
    private readonly client: Client,
    private readonly config: ClientConfig,
  ) {}

  static async connect(options: PgOptions): Promise<PgDatabase> {
    const statementTimeout = options.statementTimeoutMs ?? 5000;
    const config: ClientConfig = {
      ...options.config,
      application_name: 'pglens',
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      statement_timeout: statementTimeout,
      lock_timeout: options.lockTimeoutMs ?? 1000,
      // Client-side guard too, for a stalled network where the server never answers.
      query_timeout: statementTimeout + 2000,
      keepAlive: true,
    };
    const client = new Client(config);
    // A dropped connection emits 'error' on the client; without a listener it would crash the process.
    client.on('error', () => undefined);
    await client.connect();
    return new PgDatabase(client, config);
  }

  async query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
    // The extended protocol carries exactly one statement: text smuggling a second one is refused by the server.
    const config: QueryConfig & { queryMode: 'extended' } = { text: sql, values: params, queryMode: 'extended' };
    const result = await this.client.query(config);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? undefined };
  }

  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  readOnly<T>(work: (db: Database) => Promise<T>): Promise<T> {
    return this.inTransaction('BEGIN READ ONLY', work);
  }

  rolledBack<T>(work: (db: Database) => Promise<T>): Promise<T> {
    return this.inTransaction('BEGIN', work);
  }

  /**
   * One transaction at a time on the connection: a hover's EXPLAIN must not run inside (or end) the
   * transaction of an index advice, nor see its hypothetical indexes, which hypopg keeps per session.
   * A transaction opened from inside another one's work (same async context) runs at once.
   */
  private inTransaction<T>(begin: string, work: (db: Database) => Promise<T>): Promise<T> {
    if (this.inside.getStore() === true) return this.runTransaction(begin, work);
    const run = this.turn.then(() => this.inside.run(true, () => this.runTransaction(begin, work)));
    this.turn = run.catch(() => undefined);
    return run;
  }

  private turn: Promise<unknown> = Promise.resolve();
  private readonly inside = new AsyncLocalStorage<boolean>();

  private async runTransaction<T>(begin: string, work: (db: Database) => Promise<T>): Promise<T> {
    await this.client.query(begin);
    try {
      return await work(this);
    } finally {
      await this.client.query('ROLLBACK').catch(() => undefined);
    }
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
