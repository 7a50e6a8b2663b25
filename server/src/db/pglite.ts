import { PGlite } from '@electric-sql/pglite';
import type { Extensions } from '@electric-sql/pglite';
import type { Database, QueryResult } from './port';
import { SessionGate } from './session-gate';

/** The PGlite adapter: PostgreSQL 18 compiled to WASM, in process. It is pglens's own, never the user's. */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;

  private readonly gate: SessionGate;

  constructor(readonly pglite: PGlite) {
    this.gate = new SessionGate({ kind: this.kind, query: (sql, params) => this.send(sql, params), exec: (sql) => this.sendScript(sql), cancel: () => this.cancel() });
  }

  /** Opens (or creates) a PGlite database in `dataDir`, or in memory when it is undefined. */
  static async open(dataDir?: string, extensions: Extensions = {}): Promise<PgliteDatabase> {
    const pglite = await PGlite.create(dataDir, { extensions });
    return new PgliteDatabase(pglite);
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
    const result = await this.pglite.query<Row>(sql, params);
    return { rows: result.rows, rowCount: result.affectedRows };
  }

  private async sendScript(sql: string): Promise<void> {
    await this.pglite.exec(sql);
  }

  async cancel(): Promise<void> {
    // PGlite runs in this process, one statement at a time: nothing to cancel from outside.
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}
