/**
 * The live session's safety net on the real server: the transaction helper refuses re-entrant use
 * instead of deadlocking, the query check cannot commit a smuggled statement, every session carries
 * application_name and idle_in_transaction_session_timeout, and a query that finds the connection
 * gone turns the status to `error` at once (not at the next poll).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../protocol/messages';
import { LiveConnection } from '../../server/src/connection/live';
import type { FileReader } from '../../server/src/connection/resolve';
import { PgDatabase } from '../../server/src/db/pg';
import { PgliteDatabase } from '../../server/src/db/pglite';
import type { Database } from '../../server/src/db/port';
import { quoteIdent } from '../../server/src/sql/quote';
import { ReentrantUseError, TransactionEndedError } from '../../server/src/db/session-gate';
import { analyzeDocument } from '../../server/src/document/analyze';
import type { AnalyzedStatement } from '../../server/src/document/analyze';
import { analyzeQuery } from '../../server/src/schema-check/execute';
import { loadParser } from '../../server/src/sql/parser';

const url = process.env.PGLENS_TEST_DATABASE_URL;
const NO_FILES: FileReader = { read: () => undefined, mode: () => undefined };
const RESOLVE = { env: {}, files: NO_FILES, homedir: '/nonexistent', username: 'postgres' };
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The guard's behaviour, the same on both adapters. */
function guardSuite(name: string, open: () => Promise<Database>): void {
  describe(`the transaction helper on ${name}`, () => {
    let db: Database;
    // A fresh in-memory PGlite runs initdb: minutes on a loaded 2-core machine.
    beforeAll(async () => {
      db = await open();
    }, 300_000);
    afterAll(async () => {
      await db?.close();
    });

    it('refuses the outer connection inside its own transaction instead of waiting for itself', async () => {
      const inside = db.readOnly(async () => db.query('SELECT 1'));
      await expect(inside).rejects.toBeInstanceOf(ReentrantUseError);
      // The transaction was rolled back and the session is usable.
      expect((await db.query<{ ro: string }>("SELECT current_setting('transaction_read_only') AS ro")).rows[0].ro).toBe('off');
    });

    it('makes other callers wait until the transaction is over, then run outside it', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const transaction = db.readOnly(async (tx) => {
        await held;
        return (await tx.query<{ ro: string }>("SELECT current_setting('transaction_read_only') AS ro")).rows[0].ro;
      });
      const outside = db.query<{ ro: string }>("SELECT current_setting('transaction_read_only') AS ro");
      release();
      expect(await transaction).toBe('on');
      expect((await outside).rows[0].ro).toBe('off');
    });

    it('a transaction handle kept after its transaction refuses to run statements', async () => {
      let kept: Database | undefined;
      await db.readOnly(async (tx) => {
        kept = tx;
      });
      await expect(kept!.query('SELECT 1')).rejects.toBeInstanceOf(TransactionEndedError);
    });
  });
}

guardSuite('PGlite', () => PgliteDatabase.open());

describe.skipIf(!url)('the live session on the real PostgreSQL server', () => {
  const scratch = `pglens_test_sess_${randomBytes(6).toString('hex')}`;
  const lives: LiveConnection[] = [];
  let admin: Client;
  const scratchUrl = (): string => {
    const target = new URL(url as string);
    target.pathname = `/${scratch}`;
    return target.toString();
  };
  const live = (pollIntervalMs: number): LiveConnection => {
    const connection = new LiveConnection({ logger: quiet, resolve: RESOLVE, pollIntervalMs, retryDelaysMs: [60_000] });
    lives.push(connection);
    return connection;
  };
  const statusWhere = (connection: LiveConnection, predicate: (status: ConnectionStatus) => boolean): Promise<ConnectionStatus> =>
    predicate(connection.status)
      ? Promise.resolve(connection.status)
      : new Promise((resolve) => {
          const subscription = connection.onStatus((status) => {
            if (predicate(status)) {
              subscription.dispose();
              resolve(status);
            }
          });
        });
  /** pglens's own sessions on the scratch database that sit in a transaction or hold an advisory lock. */
  const leftovers = async (): Promise<unknown[]> =>
    (
      await admin.query(
        `SELECT a.pid, a.state, l.locktype FROM pg_stat_activity a LEFT JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'advisory'
          WHERE a.datname = $1 AND a.application_name = 'pglens' AND (a.state LIKE 'idle in transaction%' OR l.pid IS NOT NULL)`,
        [scratch],
      )
    ).rows;

  beforeAll(async () => {
    await loadParser();
    admin = new Client({ connectionString: url, application_name: 'pglens-tests' });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${quoteIdent(scratch)}`);
    const setup = new Client({ connectionString: scratchUrl(), application_name: 'pglens-tests' });
    await setup.connect();
    await setup.query('CREATE TABLE t (begin int, atomic int); CREATE TABLE audit (note text)');
    await setup.end();
  }, 60_000);

  afterAll(async () => {
    for (const connection of lives.splice(0)) connection.dispose();
    await admin?.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`);
    await admin?.end();
  });

  afterEach(() => {
    for (const connection of lives.splice(0)) connection.dispose();
  });

  guardSuite('the PostgreSQL server', () => PgDatabase.connect({ config: { connectionString: url } }));

  it('every session pglens opens says application_name=pglens and has idle_in_transaction_session_timeout', async () => {
    const db = await PgDatabase.connect({ config: { connectionString: scratchUrl() }, userDatabase: true });
    try {
      const { rows } = await db.query<{ app: string; idle: string }>("SELECT current_setting('application_name') AS app, current_setting('idle_in_transaction_session_timeout') AS idle");
      expect(rows[0]).toEqual({ app: 'pglens', idle: '5s' });
    } finally {
      await db.close();
    }
  });

  it('the query check on the live connection finishes and leaves no session idle in a transaction (finding 2)', async () => {
    const connection = live(60_000);
    expect((await connection.connect({ name: 'scratch', connectionString: scratchUrl() })).state).toBe('connected');
    const [statement] = analyzeDocument('SELECT begin, atomic FROM t WHERE missing = 1;').statements;
    const problem = await analyzeQuery(connection.database!, statement);
    expect(problem?.error.code).toBe('42703');
    expect(await leftovers()).toEqual([]);
  });

  it('the query check cannot commit statements smuggled after the query, whatever the splitter said (finding 1)', async () => {
    const db = await PgDatabase.connect({ config: { connectionString: scratchUrl() }, userDatabase: true });
    try {
      const sql = "SELECT begin, atomic FROM t; COMMIT; INSERT INTO audit VALUES ('smuggled')";
      const [statement] = analyzeDocument('SELECT begin, atomic FROM t;').statements;
      // A segment holding three statements, as the old splitter produced for this text.
      const smuggled: AnalyzedStatement = { ...statement, segment: { ...statement.segment, sql, end: statement.segment.start + sql.length } };
      await analyzeQuery(db, smuggled).catch(() => undefined);
      await db.exec(sql).catch(() => undefined);
      const check = new Client({ connectionString: scratchUrl(), application_name: 'pglens-tests' });
      await check.connect();
      const { rows } = await check.query<{ n: number }>('SELECT count(*)::int AS n FROM audit');
      await check.end();
      expect(rows[0].n).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('a query that finds the backend killed turns the status to error at once, without waiting for the poll (finding 8)', async () => {
    const connection = live(600_000);
    expect((await connection.connect({ name: 'scratch', connectionString: scratchUrl() })).state).toBe('connected');
    const database = connection.database!;
    const { rows } = await admin.query<{ killed: boolean }>("SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = 'pglens' AND datname = $1", [scratch]);
    expect(rows.map((row) => row.killed)).toContain(true);
    await expect(database.query('SELECT 1')).rejects.toThrow();
    const status = await statusWhere(connection, (candidate) => candidate.state === 'error');
    expect(status).toMatchObject({ state: 'error', reconnecting: true, stale: true });
    expect(connection.database).toBeUndefined();
  });
});
