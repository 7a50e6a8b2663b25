import type { Node } from 'libpg-query';
import { asArray, unwrap } from '../sql/ast';
import type { Fields } from '../sql/ast';
import { parseStatement, statementCount } from '../sql/parser';
import { splitStatements } from '../sql/splitter';

/** What EXPLAIN may be asked about: one statement PostgreSQL can plan, and what running it would do. */
export interface ExplainableStatement {
  /** The statement's text without its trailing semicolon. */
  sql: string;
  /** INSERT/UPDATE/DELETE/MERGE, CREATE TABLE AS, or a query with a data-modifying CTE: EXPLAIN ANALYZE would change data. */
  writes: boolean;
  /** Highest `$n` the statement uses (0 when none): it is planned generically. */
  parameters: number;
  /** PostgreSQL's parse tree of the statement. */
  tree: Node | undefined;
}

export type StatementCheck = { ok: true; statement: ExplainableStatement } | { ok: false; message: string };

/** Statement kinds EXPLAIN accepts (see the EXPLAIN reference: SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES, CREATE TABLE AS, DECLARE). */
const PLANNABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CreateTableAsStmt', 'DeclareCursorStmt']);
const WRITING = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CreateTableAsStmt']);

/**
 * Checks that `text` is exactly one plannable statement, with PostgreSQL's own parser, before anything
 * reaches a database: text with several statements, DDL, CALL, COPY or DO is refused with a clear reason.
 */
export function explainableStatement(text: string): StatementCheck {
  const segments = splitStatements(text).filter((segment) => segment.kind === 'statement' && segment.sql.trim() !== '');
  if (segments.some((segment) => segment.kind !== 'statement')) return { ok: false, message: 'EXPLAIN takes SQL, not psql meta-commands.' };
  if (segments.length === 0) return { ok: false, message: 'There is no statement to explain.' };
  if (segments.length > 1) return { ok: false, message: `EXPLAIN takes exactly one statement; this text holds ${segments.length}.` };
  const sql = segments[0].sql.replace(/;\s*$/, '');
  const outcome = parseStatement(sql);
  if (!outcome.ok) return { ok: false, message: `The statement does not parse: ${outcome.error.message}` };
  // The splitter's verdict, checked by PostgreSQL's parser: one statement, nothing smuggled after it.
  if (statementCount(sql) !== 1) return { ok: false, message: 'EXPLAIN takes exactly one statement; PostgreSQL reads several in this text.' };
  const unwrapped = unwrap(outcome.stmt);
  if (!unwrapped) return { ok: false, message: 'There is no statement to explain.' };
  const [kind, fields] = unwrapped;
  if (kind === 'ExplainStmt') return { ok: false, message: 'The statement is already an EXPLAIN; pglens adds EXPLAIN itself.' };
  if (!PLANNABLE.has(kind)) return { ok: false, message: `EXPLAIN plans queries and data changes (SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES); not ${describeKind(kind)}.` };
  const writes = WRITING.has(kind) || hasModifyingCte(fields) || (kind === 'SelectStmt' && fields.intoClause !== undefined);
  return { ok: true, statement: { sql, writes, parameters: maxParameter(outcome.stmt), tree: outcome.stmt } };
}

function hasModifyingCte(fields: Fields): boolean {
  // The WITH clause comes bare (`{ ctes: [...] }`), not wrapped in a node-type key.
  const withClause = fields.withClause as Fields | undefined;
  for (const cte of asArray(withClause?.ctes)) {
    const query = unwrap(cte)?.[1].ctequery;
    const kind = unwrap(query)?.[0];
    if (kind && WRITING.has(kind)) return true;
    if (kind === 'SelectStmt' && hasModifyingCte(unwrap(query)![1])) return true;
  }
  return false;
}

/** The highest `$n` anywhere in the tree. */
function maxParameter(node: Node | undefined): number {
  let max = 0;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!value || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value as Fields)) {
      if (key === 'ParamRef') max = Math.max(max, Number((child as Fields).number ?? 0));
      else visit(child);
    }
  };
  visit(node);
  return max;
}

function describeKind(kind: string): string {
  const names: Record<string, string> = {
    CallStmt: 'CALL',
    CopyStmt: 'COPY',
    DoStmt: 'DO',
    TransactionStmt: 'transaction control',
    VariableSetStmt: 'SET',
  };
  return names[kind] ?? `${kind.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase()} (DDL and utility statements are not planned)`;
}
