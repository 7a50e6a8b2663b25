import type { RlsCountsResult, RlsStatementResult, RlsTableCount } from '../../../protocol/rls';
import type { Database } from '../db/port';
import { asDatabaseError } from '../db/port';
import { quoteIdent } from '../sql/quote';
import { unwrap } from '../sql/ast';
import { parseStatement } from '../sql/parser';
import { splitStatements } from '../sql/splitter';
import { QUERIES } from '../schema/queries';

/** A request pglens refuses before running anything: the message says why. */
export class RlsUsageError extends Error {}

export interface RlsTestRequest {
  role: string;
  /** `set_config(key, value, true)` for each, before the role is taken. */
  settings: ReadonlyArray<readonly [string, string]>;
  /** INSERT, UPDATE, DELETE or SELECT to run as the role; without it, every table is counted. */
  sql?: string;
  /** Statements run (by the connecting user) before the role is taken, e.g. policies being edited. */
  setup?: string;
  /** Rows of each table to return as a sample (0: none). */
  sampleRows?: number;
}

export interface RlsTestOptions {
  /**
   * The database already has a transaction open (the shadow's): work in a savepoint rolled back at
   * the end. Otherwise pglens opens a transaction and rolls it back.
   */
  inTransaction: boolean;
}

const STATEMENTS = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt']);

/**
 * Runs as `role`, PostgreSQL deciding everything: `SET LOCAL ROLE` (so membership rules are the
 * server's own) after each setting is applied with `set_config`; names and values are parameters or
 * go through `quoteIdent`, never pasted into SQL. Nothing persists: the whole test runs in a
 * transaction (or savepoint) rolled back, and a statement runs in a savepoint of its own.
 */
export async function testAsRole(db: Database, request: RlsTestRequest, options: RlsTestOptions): Promise<RlsCountsResult | RlsStatementResult> {
  const kind = request.sql === undefined ? undefined : statementKind(request.sql);
  await requireRole(db, request.role);
  const begin = options.inTransaction ? 'SAVEPOINT pglens_rls_test' : 'BEGIN';
  const end = options.inTransaction ? 'ROLLBACK TO SAVEPOINT pglens_rls_test' : 'ROLLBACK';
  await db.query(begin);
  try {
    if (request.setup) await db.exec(request.setup);
    const tables = request.sql === undefined ? await listTables(db) : [];
    const totals = request.sql === undefined ? await countAll(db, tables) : [];
    for (const [key, value] of request.settings) await applySetting(db, key, value);
    await db.query(`SET LOCAL ROLE ${quoteIdent(request.role)}`);
    if (request.sql !== undefined) return await runStatement(db, request.sql, kind!);
    const visible = await countAll(db, tables);
    const result: RlsTableCount[] = [];
    for (const [k, table] of tables.entries()) {
      const seen = visible[k];
      const entry: RlsTableCount = { table: table.key, ...(typeof seen === 'number' ? { visible: seen } : { denied: seen.sqlstate }) };
      const total = totals[k];
      if (typeof total === 'number') entry.total = total;
      if (request.sampleRows && typeof seen === 'number' && seen > 0) entry.sample = await sample(db, table.quoted, request.sampleRows);
      result.push(entry);
    }
    return { role: request.role, tables: result };
  } finally {
    await db.query(end).catch(() => undefined);
    if (options.inTransaction) await db.query('RELEASE SAVEPOINT pglens_rls_test').catch(() => undefined);
  }
}

/** The statement kind of `--sql`, or a usage error for anything but one INSERT, UPDATE, DELETE or SELECT. */
function statementKind(sql: string): string {
  const count = splitStatements(sql).filter((segment) => segment.sql.replace(/;\s*$/, '').trim() !== '').length;
  if (count !== 1) throw new RlsUsageError(`--sql takes one statement, got ${count}`);
  const outcome = parseStatement(sql);
  if (!outcome.ok) throw new RlsUsageError(`--sql does not parse: ${outcome.error.message}`);
  const kind = unwrap(outcome.stmt)?.[0];
  if (!kind || !STATEMENTS.has(kind)) throw new RlsUsageError(`--sql takes one INSERT, UPDATE, DELETE or SELECT statement${kind ? `, not ${kind.replace(/Stmt$/, '')}` : ''}`);
  return kind;
}

async function applySetting(db: Database, key: string, value: string): Promise<void> {
  try {
    await db.query('SELECT pg_catalog.set_config($1, $2, true)', [key, value]);
  } catch (error) {
    const problem = asDatabaseError(error);
    if (!problem) throw error;
    throw new RlsUsageError(`cannot set ${JSON.stringify(key)}: ${problem.message}`);
  }
}

async function requireRole(db: Database, role: string): Promise<void> {
  const { rows } = await db.query<{ exists: boolean }>('SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1) AS exists', [role]);
  if (rows[0]?.exists) return;
  const names = (await db.query<{ rolname: string }>("SELECT rolname FROM pg_catalog.pg_roles WHERE rolname NOT LIKE 'pg\\_%' ORDER BY 1")).rows.map((row) => row.rolname);
  throw new RlsUsageError(`role ${JSON.stringify(role)} does not exist; roles: ${names.join(', ')}`);
}

interface TableRef {
  key: string;
  quoted: string;
}

async function listTables(db: Database): Promise<TableRef[]> {
  const { rows } = await db.query<{ schema: string; name: string }>(QUERIES.rlsTables);
  return rows.map((row) => ({ key: `${row.schema}.${row.name}`, quoted: `${quoteIdent(row.schema)}.${quoteIdent(row.name)}` }));
}

type Count = number | { sqlstate: string };

/**
 * `count(*)` of every table as the current role: all in one statement when every table answers (one
 * round trip for a hundred tables), else one savepoint per table to tell which ones refuse.
 */
async function countAll(db: Database, tables: TableRef[]): Promise<Count[]> {
  if (tables.length === 0) return [];
  const chunks: TableRef[][] = [];
  for (let k = 0; k < tables.length; k += 200) chunks.push(tables.slice(k, k + 200));
  const counts: Count[] = [];
  for (const chunk of chunks) {
    const together = await inSavepoint(db, async () => {
      const { rows } = await db.query<Record<string, unknown>>(`SELECT ${chunk.map((table, k) => `(SELECT count(*) FROM ${table.quoted}) AS c${k}`).join(', ')}`);
      return chunk.map((_, k) => Number(rows[0][`c${k}`]));
    });
    if (Array.isArray(together)) {
      counts.push(...together);
      continue;
    }
    for (const table of chunk) {
      const one = await inSavepoint(db, async () => Number((await db.query<{ count: unknown }>(`SELECT count(*) AS count FROM ${table.quoted}`)).rows[0].count));
      counts.push(one);
    }
  }
  return counts;
}

async function sample(db: Database, quoted: string, limit: number): Promise<Array<Record<string, unknown>>> {
  const rows = await inSavepoint(db, async () => (await db.query<Record<string, unknown>>(`SELECT * FROM ${quoted} LIMIT ${Math.floor(limit)}`)).rows);
  return Array.isArray(rows) ? rows : [];
}

async function runStatement(db: Database, sql: string, kind: string): Promise<RlsStatementResult> {
  const outcome = await inSavepoint(db, async () => {
    const result = await db.query(sql);
    return kind === 'SelectStmt' ? result.rows.length : (result.rowCount ?? 0);
  });
  return typeof outcome === 'number' ? { allowed: true, rowCount: outcome } : { allowed: false, sqlstate: outcome.sqlstate, message: outcome.message };
}

/** Runs `work` in a savepoint that is always rolled back; a PostgreSQL error becomes its SQLSTATE and message. */
async function inSavepoint<T>(db: Database, work: () => Promise<T>): Promise<T | { sqlstate: string; message: string }> {
  await db.query('SAVEPOINT pglens_rls_step');
  try {
    return await work();
  } catch (error) {
    const problem = asDatabaseError(error);
    if (!problem) throw error;
    return { sqlstate: problem.code, message: problem.message };
  } finally {
    await db.query('ROLLBACK TO SAVEPOINT pglens_rls_step');
    await db.query('RELEASE SAVEPOINT pglens_rls_step');
  }
}
