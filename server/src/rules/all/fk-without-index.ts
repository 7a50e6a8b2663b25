import type { AnalyzedStatement, DocumentAnalysis } from '../../document/analyze';
import { asArray, rangeVarName, stringValue, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import { memoOnParse } from '../../sql/parser';
import { quoteIdentIfNeeded } from '../../sql/quote';
import { nameSpanAt, nonTransactionalEdits, spanAt, tableKey } from '../helpers';
import type { Span } from '../helpers';
import type { Fix, Rule, RuleContext, RuleFinding, TextEdit } from '../types';

/** A foreign key without an index on its columns: each delete or key update of a referenced row scans the referencing table. */
export const rule: Rule = {
  name: 'fk-without-index',
  summary: 'foreign key whose columns are not the leading columns of any index in the file',
  defaultSeverity: 'warning',
  scalesWithTableSize: false,
  check(statement, context) {
    const foreignKeys = foreignKeysOf(statement);
    if (foreignKeys.length === 0) return [];
    const analysis = context.analysis;
    const indexes = indexesIn(analysis);
    const offset = statement.segment.start;
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const foreignKey of foreignKeys) {
      if (seen.has(foreignKey.id)) continue;
      seen.add(foreignKey.id);
      if (indexes.get(foreignKey.key)?.some((columns) => covers(columns, foreignKey.columns))) continue;
      // The fix is built only when asked for; what it needs of this point in the file is read now.
      const index = context.index;
      const createdHere = foreignKey.createdHere || context.table(foreignKey.table).newInThisDeploy;
      findings.push({
        start: foreignKey.span.start + offset,
        end: foreignKey.span.end + offset,
        message: foreignKey.message,
        fixes: () => [indexFix(statement, context, foreignKey, createdHere, index)],
      });
    }
    return findings;
  },
};

function indexFix(statement: AnalyzedStatement, context: RuleContext, foreignKey: ForeignKey, createdHere: boolean, index: number): Fix {
  const text = context.analysis.text;
  const columns = foreignKey.columns.map(quoteIdentIfNeeded).join(', ');
  const bare = foreignKey.table.slice(foreignKey.table.lastIndexOf('.') + 1);
  const name = quoteIdentIfNeeded(indexName(bare, foreignKey.columns));
  const outside = createdHere || context.memo('fk-without-index:open-transaction', () => openTransactionBefore(context.analysis.statements))[index] ? undefined : nonTransactionalEdits(context.tool, text);
  const concurrently = outside !== undefined && !(context.transactional && outside.length === 0);
  const create = `CREATE INDEX${concurrently ? ' CONCURRENTLY' : ''} ${name} ON ${foreignKey.tableText} (${columns});`;
  const edits: TextEdit[] = [insertAfter(text, statement, create), ...(concurrently ? (outside ?? []) : [])];
  return { title: `Create an index on ${foreignKey.tableText} (${columns})${concurrently ? ' CONCURRENTLY' : ''}`, edits };
}

interface ForeignKey {
  /** `schema.name` or `name`, as written. */
  table: string;
  /** `schema.name`. */
  key: string;
  /** The table and the sorted columns: one finding per key and statement. */
  id: string;
  message: string;
  /** The table's name as spelled in the statement (quotes kept), for the fix. */
  tableText: string;
  columns: string[];
  references: string;
  /** Relative to the statement. */
  span: Span;
  /** The statement creates the table. */
  createdHere: boolean;
}

const FOREIGN_KEYS = Symbol('pglens.foreignKeys');
const INDEXES = Symbol('pglens.indexes');

/** The foreign keys a statement adds, with spans relative to the statement. */
function foreignKeysOf(statement: AnalyzedStatement): ForeignKey[] {
  return memoOnParse(statement.outcome, FOREIGN_KEYS, () => findForeignKeys(statement));
}

/** The foreign keys a statement adds: in CREATE TABLE, ALTER TABLE … ADD CONSTRAINT and ADD COLUMN … REFERENCES. */
function findForeignKeys(statement: AnalyzedStatement): ForeignKey[] {
  const unwrapped = statement.outcome.ok ? unwrap(statement.outcome.stmt) : undefined;
  if (!unwrapped || (unwrapped[0] !== 'CreateStmt' && unwrapped[0] !== 'AlterTableStmt')) return [];
  const [type, fields] = unwrapped;
  const table = rangeVarName(fields.relation);
  if (!table) return [];
  const relation = fields.relation as Fields;
  const tableSpan = nameSpanAt(statement, relation.location);
  const tableText = statement.segment.sql.slice(tableSpan.start - statement.segment.start, tableSpan.end - statement.segment.start);
  const result: ForeignKey[] = [];
  const add = (constraint: Fields, columns: string[], from: unknown): void => {
    const references = rangeVarName(constraint.pktable);
    if (!references || columns.length === 0) return;
    const start = spanAt(statement, from).start - statement.segment.start;
    const end = nameSpanAt(statement, (constraint.pktable as Fields).location).end - statement.segment.start;
    const key = tableKey(table);
    const quoted = columns.map(quoteIdentIfNeeded).join(', ');
    result.push({
      table,
      key,
      id: `${key} ${[...columns].sort().join(',')}`,
      tableText,
      columns,
      references,
      span: { start, end: Math.max(end, start + 1) },
      createdHere: type === 'CreateStmt',
      message: `No index in this file starts with the foreign key columns ${tableText} (${quoted}): each DELETE or key UPDATE on ${references} scans ${tableText} for referencing rows, and joins on the key are slow. Create an index on ${tableText} (${quoted}).`,
    });
  };
  const fromColumn = (node: unknown): void => {
    const column = unwrap(node);
    if (column?.[0] !== 'ColumnDef') return;
    for (const constraint of constraintsOf(column[1].constraints)) {
      if (constraint.contype === 'CONSTR_FOREIGN') add(constraint, [String(column[1].colname)], column[1].location);
    }
  };
  const fromConstraint = (node: unknown): void => {
    const constraint = unwrap(node);
    if (constraint?.[0] === 'Constraint' && constraint[1].contype === 'CONSTR_FOREIGN') add(constraint[1], names(constraint[1].fk_attrs), constraint[1].location);
  };
  if (type === 'CreateStmt') {
    for (const element of asArray(fields.tableElts)) {
      fromColumn(element);
      fromConstraint(element);
    }
  } else {
    for (const command of asArray(fields.cmds)) {
      const cmd = unwrap(command)?.[1];
      if (cmd?.subtype === 'AT_AddColumn') fromColumn(cmd.def);
      if (cmd?.subtype === 'AT_AddConstraint') fromConstraint(cmd.def);
    }
  }
  return result;
}

interface Index {
  table: string;
  /** Leading plain columns (up to the first expression). */
  columns: string[];
}

/** The leading columns of every index of the file by table (`schema.name`), once per analysis (a long migration has thousands of statements). */
const indexCache = new WeakMap<DocumentAnalysis, Map<string, string[][]>>();
function indexesIn(analysis: DocumentAnalysis): Map<string, string[][]> {
  let indexes = indexCache.get(analysis);
  if (!indexes) {
    indexes = new Map();
    for (const statement of analysis.statements) {
      for (const index of memoOnParse(statement.outcome, INDEXES, () => indexesOf(statement))) {
        const list = indexes.get(index.table);
        if (list) list.push(index.columns);
        else indexes.set(index.table, [index.columns]);
      }
    }
    indexCache.set(analysis, indexes);
  }
  return indexes;
}

/** Indexes a statement creates: CREATE INDEX (not partial), PRIMARY KEY and UNIQUE in CREATE TABLE or ALTER TABLE. */
function indexesOf(statement: AnalyzedStatement): Index[] {
  const unwrapped = statement.outcome.ok ? unwrap(statement.outcome.stmt) : undefined;
  if (!unwrapped) return [];
  const [type, fields] = unwrapped;
  const name = rangeVarName(fields.relation);
  if (!name) return [];
  const table = tableKey(name);
  if (type === 'IndexStmt') {
    if (fields.whereClause) return []; // a partial index does not serve every key
    const columns: string[] = [];
    for (const param of asArray(fields.indexParams)) {
      const column = unwrap(param)?.[1].name;
      if (typeof column !== 'string') break;
      columns.push(column);
    }
    return [{ table, columns }];
  }
  const result: Index[] = [];
  const fromConstraint = (constraint: Fields, column?: string): void => {
    if (constraint.contype !== 'CONSTR_PRIMARY' && constraint.contype !== 'CONSTR_UNIQUE') return;
    const columns = column !== undefined ? [column] : names(constraint.keys);
    if (columns.length > 0) result.push({ table, columns });
  };
  const fromColumn = (node: unknown): void => {
    const column = unwrap(node);
    if (column?.[0] === 'ColumnDef') constraintsOf(column[1].constraints).forEach((constraint) => fromConstraint(constraint, String(column[1].colname)));
  };
  if (type === 'CreateStmt') {
    for (const element of asArray(fields.tableElts)) {
      fromColumn(element);
      const constraint = unwrap(element);
      if (constraint?.[0] === 'Constraint') fromConstraint(constraint[1]);
    }
  }
  if (type === 'AlterTableStmt') {
    for (const command of asArray(fields.cmds)) {
      const cmd = unwrap(command)?.[1];
      if (cmd?.subtype === 'AT_AddColumn') fromColumn(cmd.def);
      const constraint = cmd?.subtype === 'AT_AddConstraint' ? unwrap(cmd.def) : undefined;
      if (constraint?.[0] === 'Constraint') fromConstraint(constraint[1]);
    }
  }
  return result;
}

/** The index's leading columns are the foreign key's columns, in any order. */
function covers(indexColumns: string[], foreignKeyColumns: string[]): boolean {
  const leading = new Set(indexColumns.slice(0, foreignKeyColumns.length));
  return leading.size === new Set(foreignKeyColumns).size && foreignKeyColumns.every((column) => leading.has(column));
}

function constraintsOf(list: unknown): Fields[] {
  return asArray(list).flatMap((node) => {
    const constraint = unwrap(node);
    return constraint?.[0] === 'Constraint' ? [constraint[1]] : [];
  });
}

function names(list: unknown): string[] {
  return asArray(list)
    .map(stringValue)
    .filter((name): name is string => name !== undefined);
}

/** Is a BEGIN (or START TRANSACTION) among the earlier statements still open? */
/** For each statement, whether an explicit BEGIN before it is still open. */
function openTransactionBefore(statements: readonly AnalyzedStatement[]): boolean[] {
  let open = false;
  return statements.map((statement) => {
    const before = open;
    const unwrapped = statement.outcome.ok ? unwrap(statement.outcome.stmt) : undefined;
    if (unwrapped?.[0] === 'TransactionStmt') {
      const kind = unwrapped[1].kind;
      if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') open = true;
      if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK' || kind === 'TRANS_STMT_PREPARE') open = false;
    }
    return before;
  });
}

/** `<table>_<columns>_idx`, lower-cased, within 63 bytes. */
function indexName(table: string, columns: string[]): string {
  let base = `${table}_${columns.join('_')}`.toLowerCase().replace(/[^\p{L}\p{N}_]+/gu, '_');
  while (Buffer.byteLength(`${base}_idx`) > 63) base = [...base].slice(0, -1).join('');
  return `${base}_idx`;
}

/** An edit adding `sql` on a new line after the statement (after a comment on the same line, if any). */
function insertAfter(text: string, statement: AnalyzedStatement, sql: string): TextEdit {
  const { start, end } = statement.segment;
  const terminated = statement.segment.sql.trimEnd().endsWith(';') ? '' : ';';
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  const newline = text.indexOf('\n', end);
  const lineEnd = newline < 0 ? text.length : newline;
  const rest = text.slice(end, lineEnd);
  const at = terminated === '' && /^\s*(--.*)?$/.test(rest) ? lineEnd - (rest.endsWith('\r') ? 1 : 0) : end;
  return { start: at, end: at, newText: `${terminated}\n${indent}${sql}` };
}
