import { scanSync } from 'libpg-query';
import type { Finding } from '../../../protocol/findings';
import type { Database, DatabaseError } from '../db/port';
import { asDatabaseError } from '../db/port';
import type { AnalyzedStatement } from '../document/analyze';
import { unwrap } from '../sql/ast';
import { statementCount } from '../sql/parser';
import type { LineIndex } from '../text/offsets';
import { utf8ByteToUtf16 } from '../text/offsets';
import { locateError } from './locate';
import type { Span } from './locate';

/** PostgreSQL rejected a statement: the error, and where it points inside the statement. */
export interface SchemaProblem {
  statement: AnalyzedStatement;
  error: DatabaseError;
  span: Span;
}

/**
 * Statements the shadow does not run: transaction control (pglens owns the transaction), and what
 * touches files, other databases, the network or the cluster rather than the schema.
 */
const NOT_REPLAYED = new Set([
  'TransactionStmt',
  'VacuumStmt',
  'CreatedbStmt',
  'DropdbStmt',
  'AlterDatabaseStmt',
  'AlterDatabaseSetStmt',
  'AlterSystemStmt',
  'CopyStmt',
  'CheckPointStmt',
  'LoadStmt',
  'ListenStmt',
  'UnlistenStmt',
  'NotifyStmt',
  'ExplainStmt',
  'ClusterStmt',
  'CreateTableSpaceStmt',
  'DropTableSpaceStmt',
  'CreateSubscriptionStmt',
  'AlterSubscriptionStmt',
  'DropSubscriptionStmt',
  'DeallocateStmt',
  'ExecuteStmt',
  'PrepareStmt',
  'DiscardStmt',
]);

/** Statements PostgreSQL can analyse without running them: `PREPARE x AS …` checks names and types. */
const PREPARABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

export function isReplayed(statement: AnalyzedStatement): boolean {
  if (!statement.outcome.ok) return false;
  const type = unwrap(statement.outcome.stmt)?.[0];
  return type !== undefined && !NOT_REPLAYED.has(type);
}

export function isPreparable(statement: AnalyzedStatement): boolean {
  if (!statement.outcome.ok) return false;
  const unwrapped = unwrap(statement.outcome.stmt);
  return unwrapped !== undefined && PREPARABLE.has(unwrapped[0]) && !unwrapped[1].intoClause;
}

export type RunMode =
  /** Each statement in its own transaction, kept: a migration tool that does not wrap files. */
  | 'apply-autocommit'
  /** One transaction for the file, a savepoint per statement, committed: a tool that wraps files. */
  | 'apply-transaction'
  /** One transaction, a savepoint per statement, always rolled back: checking an edited file. */
  | 'check'
  /** A savepoint per statement inside the caller's transaction, which the caller rolls back. */
  | 'nested';

/**
 * Runs a migration file's statements in the shadow database, one at a time, and returns
 * PostgreSQL's errors. An error in one statement does not stop the statements after it.
 * Only ever called on pglens's own shadow database, never on a user's.
 */
export async function runStatements(
  db: Database,
  statements: AnalyzedStatement[],
  mode: RunMode,
  /** Called before (`start`) and after (`end`) each statement runs: a watchdog times statements with it. */
  onStatement?: (statement: AnalyzedStatement, phase: 'start' | 'end') => void,
): Promise<SchemaProblem[]> {
  const problems: SchemaProblem[] = [];
  const ownTransaction = mode === 'apply-transaction' || mode === 'check';
  if (ownTransaction) await db.exec('BEGIN');
  try {
    for (const statement of statements) {
      if (!isReplayed(statement)) continue;
      onStatement?.(statement, 'start');
      const error = mode === 'apply-autocommit' ? await tryExec(db, statement.segment.sql) : await runInSavepoint(db, statement.segment.sql);
      onStatement?.(statement, 'end');
      if (error) problems.push({ statement, error, span: locateError(statement.segment.sql, error) });
    }
  } finally {
    if (ownTransaction) await db.exec(mode === 'check' ? 'ROLLBACK' : 'COMMIT').catch(() => db.exec('ROLLBACK').catch(() => undefined));
  }
  return problems;
}

async function runInSavepoint(db: Database, sql: string): Promise<DatabaseError | undefined> {
  await db.exec('SAVEPOINT pglens_statement');
  let error = await tryExec(db, sql);
  // CONCURRENTLY cannot run in a transaction block; its schema effect is the same without it.
  if (error?.code === '25001') {
    await db.exec('ROLLBACK TO SAVEPOINT pglens_statement');
    const plain = withoutConcurrently(sql);
    error = plain === sql ? undefined : await tryExec(db, plain);
  }
  await db.exec(error ? 'ROLLBACK TO SAVEPOINT pglens_statement' : 'RELEASE SAVEPOINT pglens_statement');
  return error;
}

async function tryExec(db: Database, sql: string): Promise<DatabaseError | undefined> {
  try {
    await db.exec(sql);
    return undefined;
  } catch (error) {
    const databaseError = asDatabaseError(error);
    if (!databaseError) throw error;
    return databaseError;
  }
}

/** Blanks the CONCURRENTLY keyword (same length, so error positions still line up). */
export function withoutConcurrently(sql: string): string {
  let tokens;
  try {
    tokens = scanSync(sql).tokens;
  } catch {
    return sql;
  }
  const keyword = tokens.find((token) => token.text.toLowerCase() === 'concurrently');
  if (!keyword) return sql;
  const start = utf8ByteToUtf16(sql, keyword.start);
  const end = utf8ByteToUtf16(sql, keyword.end);
  return sql.slice(0, start) + ' '.repeat(end - start) + sql.slice(end);
}

const PREPARED_NAME = 'pglens_check';
const PREPARE_PREFIX = `PREPARE ${PREPARED_NAME} AS `;

/**
 * PostgreSQL's parse analysis of a query without running it: `PREPARE` resolves every table,
 * column, function and type. Safe on a live database: the text must parse as exactly one statement,
 * it is sent through the extended protocol (which carries one statement, whatever the text holds),
 * inside a read-only transaction that is rolled back. Returns the error, if any.
 */
export async function analyzeQuery(db: Database, statement: AnalyzedStatement, options: { nested?: boolean } = {}): Promise<SchemaProblem | undefined> {
  const sql = statement.segment.sql.replace(/;\s*$/, '');
  if (statementCount(sql) !== 1) return undefined;
  const prepare = async (tx: Database): Promise<SchemaProblem | undefined> => {
    try {
      await tx.query(PREPARE_PREFIX + sql);
    } catch (error) {
      const databaseError = asDatabaseError(error);
      if (!databaseError) throw error;
      // "could not determine data type of parameter $1": the query is fine, its parameters need casts to be prepared.
      if (databaseError.code === '42P18') return undefined;
      return { statement, error: databaseError, span: locateError(statement.segment.sql, databaseError, PREPARE_PREFIX.length) };
    }
    // Prepared statements belong to the session, not the transaction: the rollback would keep it.
    await tx.query(`DEALLOCATE ${PREPARED_NAME}`);
    return undefined;
  };
  if (!options.nested) return db.readOnly(prepare);
  // Inside the caller's transaction (the shadow's): a savepoint keeps a failed PREPARE from aborting it.
  await db.exec('SAVEPOINT pglens_prepare');
  try {
    return await prepare(db);
  } finally {
    await db.exec('ROLLBACK TO SAVEPOINT pglens_prepare');
  }
}

/** A problem as a finding: SQLSTATE as its code, detail and hint appended to the message. */
export function toFinding(problem: SchemaProblem, lineIndex: LineIndex): Finding {
  const { error, span, statement } = problem;
  const offset = statement.segment.start;
  const message = [error.message, error.detail, error.hint && `Hint: ${error.hint}`].filter(Boolean).join('\n');
  return { range: lineIndex.rangeOf(offset + span.start, offset + span.end), severity: 'error', code: error.code, message };
}
