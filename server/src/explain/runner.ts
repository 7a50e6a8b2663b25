import { asDatabaseError } from '../db/port';
import type { Database, DatabaseError } from '../db/port';
import { functionsThePlannerMayRun, proveReadOnly } from './read-only';
import { explainableStatement } from './statement';
import type { ExplainableStatement } from './statement';

export interface ExplainOptions {
  /** EXPLAIN ANALYZE: runs the statement (only from an explicit command, never on hover). */
  analyze?: boolean;
  /** The user confirmed that a data-modifying statement may run, in a transaction that is rolled back. */
  confirmedWrites?: boolean;
  /** BUFFERS (with ANALYZE), VERBOSE. */
  buffers?: boolean;
  verbose?: boolean;
  format?: 'json' | 'text';
  /** statement_timeout for the EXPLAIN, ms (`pglens.explain.timeoutMs`, default 5 s). */
  timeoutMs?: number;
  /** Inside a transaction the caller owns (the shadow's): a savepoint rolled back instead of BEGIN … ROLLBACK. */
  nested?: boolean;
}

export type ExplainOutcome =
  | {
      ok: true;
      /** PostgreSQL's output: the JSON document, or the TEXT rows joined by newlines. */
      output: string;
      format: 'json' | 'text';
      analyzed: boolean;
      /** Planned with placeholders for `$n` (GENERIC_PLAN on 16+, a generic prepared plan before). */
      generic: boolean;
      serverVersionNum: number;
    }
  | { ok: false; reason: 'refused' | 'needs-confirmation' | 'database'; message: string; error?: DatabaseError };

export const DEFAULT_EXPLAIN_TIMEOUT_MS = 5000;
const PREPARED = 'pglens_explain';

/**
 * The one way pglens runs EXPLAIN on a database. The text must be exactly one plannable statement
 * (parsed first); it is sent alone through the extended protocol, inside a transaction that is always
 * rolled back (read-only unless the user confirmed an EXPLAIN ANALYZE of a data change), with a
 * statement_timeout. Never throws for database errors: they come back as a message.
 */
export async function explain(db: Database, text: string, options: ExplainOptions = {}): Promise<ExplainOutcome> {
  const check = explainableStatement(text);
  if (!check.ok) return { ok: false, reason: 'refused', message: check.message };
  const statement = check.statement;
  const analyze = options.analyze === true;
  if (analyze && statement.parameters > 0) {
    return { ok: false, reason: 'refused', message: `EXPLAIN ANALYZE needs values for $1…$${statement.parameters}; plain EXPLAIN plans the statement generically.` };
  }
  if (analyze && statement.writes && !options.confirmedWrites) {
    return {
      ok: false,
      reason: 'needs-confirmation',
      message: 'EXPLAIN ANALYZE runs this statement, which changes data. pglens runs it in a transaction that is rolled back, but sequence values it consumes are not given back.',
    };
  }
  const writable = analyze && statement.writes;
  const work = async (tx: Database): Promise<ExplainOutcome> => {
    // On a server even planning can run code: user-defined IMMUTABLE/STABLE functions get folded.
    if (tx.kind === 'pg' && !options.confirmedWrites) {
      const planned = await functionsThePlannerMayRun(tx, statement.tree);
      if (planned.length > 0) {
        return {
          ok: false,
          reason: 'needs-confirmation',
          message: `PostgreSQL may run ${planned.join(', ')} while planning this statement (user-defined and declared IMMUTABLE or STABLE), and pglens cannot see what ${planned.length > 1 ? 'they do' : 'it does'}. It runs in a read-only transaction that is rolled back, but functions can act outside it.`,
        };
      }
    }
    // A SELECT runs without asking only when the catalog proves it reads: no volatile or user-defined function.
    if (analyze && !options.confirmedWrites) {
      const proof = await proveReadOnly(tx, statement.tree);
      if (!proof.proven) {
        return {
          ok: false,
          reason: 'needs-confirmation',
          message: `EXPLAIN ANALYZE runs this statement, and pglens cannot prove that it only reads: ${proof.reason}. It runs in a read-only transaction that is rolled back, but functions can act outside it (other sessions, other servers, files).`,
        };
      }
    }
    return runExplain(tx, statement, options, writable);
  };
  try {
    if (options.nested) return await inSavepoint(db, work);
    return await (writable ? db.rolledBack(work) : db.readOnly(work));
  } catch (error) {
    const databaseError = asDatabaseError(error);
    if (!databaseError) throw error;
    return { ok: false, reason: 'database', message: describeError(databaseError, options.timeoutMs ?? DEFAULT_EXPLAIN_TIMEOUT_MS), error: databaseError };
  } finally {
    // Session-level advisory locks survive the rollback: whatever the executed statement took goes.
    if (analyze && !options.nested) await db.query('SELECT pg_catalog.pg_advisory_unlock_all()').catch(() => undefined);
  }
}

async function runExplain(db: Database, statement: ExplainableStatement, options: ExplainOptions, writable: boolean): Promise<ExplainOutcome> {
  const timeout = Math.max(1, Math.round(options.timeoutMs ?? DEFAULT_EXPLAIN_TIMEOUT_MS));
  await db.query(`SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $1, true)`, [`${timeout}ms`]);
  if (!writable) await db.query(`SELECT set_config('transaction_read_only', 'on', true)`);
  const { rows } = await db.query<{ num: string }>(`SELECT current_setting('server_version_num') AS num`);
  const serverVersionNum = Number(rows[0]?.num ?? 0);
  const format = options.format ?? 'json';
  const analyze = options.analyze === true;
  const flags = [`FORMAT ${format.toUpperCase()}`];
  if (analyze) flags.push('ANALYZE', 'SUMMARY');
  if (analyze && options.buffers !== false) flags.push('BUFFERS');
  if (options.verbose) flags.push('VERBOSE');
  // SETTINGS (12+): planner settings that differ from the defaults, which explain many a plan.
  flags.push('SETTINGS');
  const generic = statement.parameters > 0;
  let result;
  if (!generic) {
    result = await db.query(`EXPLAIN (${flags.join(', ')}) ${statement.sql}`);
  } else if (serverVersionNum >= 160000) {
    // The extended protocol counts `$n` as protocol parameters: bind NULLs, which GENERIC_PLAN never looks at.
    result = await db.query(`EXPLAIN (${[...flags, 'GENERIC_PLAN'].join(', ')}) ${statement.sql}`, Array.from({ length: statement.parameters }, () => null));
  } else {
    // Before 16: a prepared statement forced to its generic plan, executed with NULLs it never sees (no ANALYZE here).
    await db.query(`PREPARE ${PREPARED} AS ${statement.sql}`);
    try {
      await db.query(`SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`);
      const nulls = Array.from({ length: statement.parameters }, () => 'NULL').join(', ');
      result = await db.query(`EXPLAIN (${flags.join(', ')}) EXECUTE ${PREPARED}(${nulls})`);
    } finally {
      // Prepared statements belong to the session, not the transaction: the rollback would keep it.
      await db.query(`DEALLOCATE ${PREPARED}`).catch(() => undefined);
    }
  }
  const cells = result.rows.map((row) => Object.values(row)[0]);
  const output = format === 'json' ? (typeof cells[0] === 'string' ? cells[0] : JSON.stringify(cells[0], null, 2)) : cells.map(String).join('\n');
  return { ok: true, output, format, analyzed: analyze, generic, serverVersionNum };
}

/** In the caller's transaction: a savepoint, always rolled back to (runExplain makes it read-only). */
async function inSavepoint<T>(db: Database, work: (db: Database) => Promise<T>): Promise<T> {
  await db.exec('SAVEPOINT pglens_explain');
  try {
    return await work(db);
  } finally {
    await db.exec('ROLLBACK TO SAVEPOINT pglens_explain').catch(() => undefined);
  }
}

function describeError(error: DatabaseError, timeoutMs: number): string {
  if (error.code === '57014') return `EXPLAIN was stopped after ${(timeoutMs / 1000).toFixed(1)} s (statement_timeout); raise pglens.explain.timeoutMs to wait longer.`;
  if (error.code === '55P03') return `EXPLAIN could not get a lock within ${(timeoutMs / 1000).toFixed(1)} s: ${error.message}`;
  if (error.code === '25006') return `The statement tried to write, so pglens stopped it (EXPLAIN runs read-only): ${error.message}`;
  return [error.message, error.detail, error.hint && `Hint: ${error.hint}`].filter(Boolean).join('\n');
}
