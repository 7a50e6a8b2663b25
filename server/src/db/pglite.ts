import { PGlite } from '@electric-sql/pglite';
import type { Extensions } from '@electric-sql/pglite';
import type { Database, QueryResult } from './port';

/** The PGlite adapter: PostgreSQL 18 compiled to WASM, in process. It is pglens's own, never the user's. */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;

  constructor(readonly pglite: PGlite) {}

  /** Opens (or creates) a PGlite database in `dataDir`, or in memory when it is undefined. */
  static async open(dataDir?: string, extensions: Extensions = {}): Promise<PgliteDatabase> {
    const pglite = await PGlite.create(dataDir, { extensions });
    return new PgliteDatabase(pglite);
  }

  async query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
    const result = await this.pglite.query<Row>(sql, params);
    return { rows: result.rows, rowCount: result.affectedRows };
  }

  async exec(sql: string): Promise<void> {
    await this.pglite.exec(sql);
  }

  readOnly<T>(work: (db: Database) => Promise<T>): Promise<T> {
    return this.inTransaction('BEGIN READ ONLY', work);
  }

  rolledBack<T>(work: (db: Database) => Promise<T>): Promise<T> {
    return this.inTransaction('BEGIN', work);
  }

  private async inTransaction<T>(begin: string, work: (db: Database) => Promise<T>): Promise<T> {
    await this.pglite.query(begin);
    try {
      return await work(this);
    } finally {
      await this.pglite.query('ROLLBACK').catch(() => undefined);
    }
  }

  async cancel(): Promise<void> {
    // PGlite runs in this process, one statement at a time: nothing to cancel from outside.
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}
