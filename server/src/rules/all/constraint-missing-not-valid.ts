import type { AnalyzedStatement } from '../../document/analyze';
import { asArray, rangeVarName, stringValue, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import { quoteIdentIfNeeded } from '../../sql/quote';
import { nameSpanAt, spanAt, statementSpan, tokensOf } from '../helpers';
import type { Span } from '../helpers';
import type { Fix, Rule, RuleContext, RuleFinding } from '../types';
import { spell } from './concurrently-in-transaction';

/**
 * ADD CONSTRAINT … FOREIGN KEY / CHECK validates every existing row while holding a lock that blocks
 * writes (a foreign key: on both tables; a CHECK: ACCESS EXCLUSIVE). NOT VALID + VALIDATE splits it.
 */
export const rule: Rule = {
  name: 'constraint-missing-not-valid',
  summary: 'ADD CONSTRAINT FOREIGN KEY / CHECK without NOT VALID scans the table under a lock',
  defaultSeverity: 'error',
  scalesWithTableSize: true,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || unwrapped?.[0] !== 'AlterTableStmt' || unwrapped[1].objtype !== 'OBJECT_TABLE') return [];
    const table = rangeVarName(unwrapped[1].relation);
    if (!table) return [];
    const findings: RuleFinding[] = [];
    for (const command of asArray(unwrapped[1].cmds)) {
      const cmd = unwrap(command)?.[1];
      if (cmd?.subtype !== 'AT_AddConstraint') continue;
      const constraint = unwrap(cmd.def);
      if (constraint?.[0] !== 'Constraint') continue;
      const fields = constraint[1];
      const foreign = fields.contype === 'CONSTR_FOREIGN';
      if ((!foreign && fields.contype !== 'CONSTR_CHECK') || fields.skip_validation === true || fields.is_enforced === false) continue;
      const span = constraintSpan(statement, fields.location);
      if (!span) continue;
      const name = typeof fields.conname === 'string' ? fields.conname : generatedName(table, fields);
      const referenced = foreign ? rangeVarName(fields.pktable) : undefined;
      const message = foreign
        ? `Adding this foreign key checks every row of ${table} while holding SHARE ROW EXCLUSIVE locks on ${table} and ${referenced ?? 'the referenced table'}: writes to both wait until the scan ends.`
        : `Adding this CHECK constraint scans every row of ${table} under an ACCESS EXCLUSIVE lock: reads and writes wait until it ends.`;
      const later = context.transactional ? ' in a later migration (this one runs in a transaction, which would keep the first lock)' : '';
      findings.push({
        start: span.start,
        end: keywordEnd(statement, span),
        table,
        message: `${message} Add it NOT VALID (instant), then VALIDATE CONSTRAINT${later}, which allows reads and writes while it scans.`,
        fixes: [notValidFix(statement, context, span, name, typeof fields.conname !== 'string')],
      });
    }
    return findings;
  },
};

function notValidFix(statement: AnalyzedStatement, context: RuleContext, span: Span, name: string, unnamed: boolean): Fix {
  const relation = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined)?.[1].relation as Fields | undefined;
  const tableText = textOf(statement, nameSpanAt(statement, relation?.location));
  const quoted = quoteIdentIfNeeded(name);
  const end = statementSpan(statement).end;
  const indent = indentOf(context.analysis.text, statement);
  const notValid = ` ${spell(statement, 'NOT VALID')}`;
  return {
    title: context.transactional ? 'Add the constraint NOT VALID, then VALIDATE it (move VALIDATE to a later migration)' : 'Add the constraint NOT VALID, then VALIDATE it',
    preferred: !context.transactional,
    edits: [
      ...(unnamed ? [{ start: span.start, end: span.start, newText: `${spell(statement, 'CONSTRAINT')} ${quoted} ` }] : []),
      // One edit when the constraint ends the statement: two inserts at one offset have no agreed order.
      ...(span.end === end ? [] : [{ start: span.end, end: span.end, newText: notValid }]),
      { start: end, end, newText: `${span.end === end ? notValid : ''};\n${indent}${spell(statement, 'ALTER TABLE')} ${tableText} ${spell(statement, 'VALIDATE CONSTRAINT')} ${quoted}` },
    ],
  };
}

/** `<table>_<cols>_fkey` / `<table>_<col>_check`, as PostgreSQL names an unnamed constraint. */
function generatedName(table: string, fields: Fields): string {
  const relname = table.split('.').pop() ?? table;
  if (fields.contype === 'CONSTR_FOREIGN') {
    const columns = asArray(fields.fk_attrs).map((column) => stringValue(column) ?? '');
    return makeObjectName(relname, columns.join('_'), 'fkey');
  }
  return makeObjectName(relname, firstColumn(fields.raw_expr), 'check');
}

/** The first column an expression mentions (PostgreSQL names a CHECK after it). */
function firstColumn(node: unknown): string | undefined {
  const unwrapped = unwrap(node);
  if (unwrapped?.[0] === 'ColumnRef') {
    const fields = asArray(unwrapped[1].fields);
    return stringValue(fields[fields.length - 1]);
  }
  const values = Array.isArray(node) ? node : unwrapped ? Object.values(unwrapped[1]) : [];
  for (const value of values) {
    if (!value || typeof value !== 'object') continue;
    const found = firstColumn(value);
    if (found) return found;
  }
  return undefined;
}

/**
 * PostgreSQL's makeObjectName: `name1_name2_label`, shortening the longer of name1 and name2 until it
 * fits in 63 bytes.
 */
export function makeObjectName(name1: string, name2: string | undefined, label: string): string {
  const limit = 63 - label.length - 1 - (name2 ? 1 : 0);
  let first = name1;
  let second = name2 ?? '';
  while (Buffer.byteLength(first) + Buffer.byteLength(second) > limit) {
    if (Buffer.byteLength(first) > Buffer.byteLength(second)) first = first.slice(0, -1);
    else second = second.slice(0, -1);
  }
  return name2 ? `${first}_${second}_${label}` : `${first}_${label}`;
}

/** The document text of a span of the statement. */
export function textOf(statement: AnalyzedStatement, span: Span): string {
  return statement.segment.sql.slice(span.start - statement.segment.start, span.end - statement.segment.start);
}

/** The indentation of the statement's line, when the statement starts it. */
export function indentOf(text: string, statement: AnalyzedStatement): string {
  const lineStart = text.lastIndexOf('\n', statement.segment.start - 1) + 1;
  const before = text.slice(lineStart, statement.segment.start);
  return /^[ \t]*$/.test(before) ? before : '';
}

/**
 * A table constraint inside ALTER TABLE … ADD: from its parse-tree location (`CONSTRAINT name` or the
 * constraint keyword) to its last token before the next `,` at the same depth or the end.
 */
export function constraintSpan(statement: AnalyzedStatement, location: unknown): Span | undefined {
  const startSpan = spanAt(statement, location);
  const tokens = tokensOf(statement);
  const first = tokens.findIndex((token) => token.start === startSpan.start);
  if (first < 0) return undefined;
  let depth = 0;
  let last = first;
  for (let i = first; i < tokens.length; i++) {
    const text = tokens[i].text;
    if (text === '(') depth++;
    if (text === ')') depth--;
    if (depth < 0 || (depth === 0 && (text === ',' || text === ';'))) break;
    last = i;
  }
  return { start: tokens[first].start, end: tokens[last].end };
}

/** The end of a constraint's leading keywords (`CONSTRAINT name FOREIGN KEY`, `CHECK`), for a short span. */
function keywordEnd(statement: AnalyzedStatement, span: Span): number {
  const tokens = tokensOf(statement).filter((token) => token.start >= span.start && token.end <= span.end);
  const index = tokens.findIndex((token) => /^(check|foreign|unique|primary|exclude)$/i.test(token.text));
  if (index < 0) return span.end;
  const next = tokens[index + 1];
  return next && /^key$/i.test(next.text) ? next.end : tokens[index].end;
}
