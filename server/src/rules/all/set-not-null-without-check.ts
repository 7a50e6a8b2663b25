import type { AnalyzedStatement } from '../../document/analyze';
import { asArray, rangeVarName, stringValue, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import { nameSpanAt, statementSpan, tokensOf } from '../helpers';
import type { Fix, Rule, RuleContext, RuleFinding } from '../types';
import { spell } from './concurrently-in-transaction';
import { indentOf, makeObjectName, textOf } from './constraint-missing-not-valid';
import { quoteIdentIfNeeded } from '../../sql/quote';
import { tableKey } from './require-concurrent-index-deletion';

/**
 * SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock, unless (PostgreSQL 12+) a valid
 * `CHECK (col IS NOT NULL)` already proves it.
 */
export const rule: Rule = {
  name: 'set-not-null-without-check',
  summary: 'SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock without a validated CHECK (col IS NOT NULL)',
  defaultSeverity: 'error',
  scalesWithTableSize: true,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || unwrapped?.[0] !== 'AlterTableStmt' || unwrapped[1].objtype !== 'OBJECT_TABLE') return [];
    const table = rangeVarName(unwrapped[1].relation);
    if (!table) return [];
    const proven = context.targetVersion >= 120000 ? provenNotNull([...context.history(), ...context.earlier()], table) : new Set<string>();
    const findings: RuleFinding[] = [];
    for (const command of asArray(unwrapped[1].cmds)) {
      const cmd = unwrap(command)?.[1];
      if (cmd?.subtype !== 'AT_SetNotNull' || typeof cmd.name !== 'string' || proven.has(cmd.name)) continue;
      const span = setNotNullSpan(statement, cmd.name);
      const lock = `SET NOT NULL scans every row of ${table} under an ACCESS EXCLUSIVE lock: reads and writes wait until the scan ends.`;
      if (context.targetVersion < 120000) {
        findings.push({ ...span, table, message: `${lock} Before PostgreSQL 12 there is no way around the scan: run it at a quiet time, or keep a validated CHECK (${quoteIdentIfNeeded(cmd.name)} IS NOT NULL) constraint instead.` });
        continue;
      }
      findings.push({
        ...span,
        table,
        message: `${lock} Add CHECK (${quoteIdentIfNeeded(cmd.name)} IS NOT NULL) NOT VALID and VALIDATE it first (no blocking scan): SET NOT NULL then skips the scan.`,
        fixes: [checkFirstFix(statement, context, table, cmd.name)],
      });
    }
    return findings;
  },
};

/** ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID; VALIDATE; (the statement); DROP CONSTRAINT. */
function checkFirstFix(statement: AnalyzedStatement, context: RuleContext, table: string, column: string): Fix {
  const relation = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined)?.[1].relation as Fields | undefined;
  const tableText = textOf(statement, nameSpanAt(statement, relation?.location));
  const name = quoteIdentIfNeeded(makeObjectName(table.split('.').pop() ?? table, column, 'not_null'));
  const alter = `${spell(statement, 'ALTER TABLE')} ${tableText}`;
  const indent = indentOf(context.analysis.text, statement);
  const before = [
    `${alter} ${spell(statement, 'ADD CONSTRAINT')} ${name} ${spell(statement, 'CHECK')} (${quoteIdentIfNeeded(column)} ${spell(statement, 'IS NOT NULL')}) ${spell(statement, 'NOT VALID')};`,
    `${alter} ${spell(statement, 'VALIDATE CONSTRAINT')} ${name};`,
  ];
  const end = statementSpan(statement).end;
  return {
    title: context.transactional ? 'Prove NOT NULL with a validated CHECK first (better split over two migrations)' : 'Prove NOT NULL with a validated CHECK first',
    preferred: !context.transactional,
    edits: [
      { start: statement.segment.start, end: statement.segment.start, newText: `${before.join(`\n${indent}`)}\n${indent}` },
      { start: end, end, newText: `;\n${indent}${alter} ${spell(statement, 'DROP CONSTRAINT')} ${name}` },
    ],
  };
}

/** `ALTER COLUMN col SET NOT NULL` (or `ALTER col SET NOT NULL`) for this column. */
function setNotNullSpan(statement: AnalyzedStatement, column: string): { start: number; end: number } {
  const tokens = tokensOf(statement);
  for (let i = 0; i + 3 < tokens.length; i++) {
    if (tokens[i].text.toLowerCase() !== 'set' || tokens[i + 1].text.toLowerCase() !== 'not' || tokens[i + 2].text.toLowerCase() !== 'null') continue;
    const name = tokens[i - 1];
    if (name && identifier(name.text) === column) {
      const alter = [i - 3, i - 2].find((k) => tokens[k]?.text.toLowerCase() === 'alter');
      return { start: tokens[alter ?? i - 1].start, end: tokens[i + 2].end };
    }
  }
  return statementSpan(statement);
}

function identifier(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text.toLowerCase();
}

/**
 * Columns of `table` that a validated CHECK (col IS NOT NULL) earlier in the file proves not null:
 * one added without NOT VALID, or added NOT VALID and then validated.
 */
function provenNotNull(earlier: AnalyzedStatement[], table: string): Set<string> {
  const key = tableKey(table);
  const pending = new Map<string, string[]>();
  const proven = new Set<string>();
  for (const statement of earlier) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (unwrapped?.[0] !== 'AlterTableStmt') continue;
    const name = rangeVarName(unwrapped[1].relation);
    if (!name || tableKey(name) !== key) continue;
    for (const command of asArray(unwrapped[1].cmds)) {
      const cmd = unwrap(command)?.[1];
      if (cmd?.subtype === 'AT_ValidateConstraint' && typeof cmd.name === 'string') {
        pending.get(cmd.name)?.forEach((column) => proven.add(column));
        continue;
      }
      if (cmd?.subtype !== 'AT_AddConstraint') continue;
      const constraint = unwrap(cmd.def);
      if (constraint?.[0] !== 'Constraint' || constraint[1].contype !== 'CONSTR_CHECK') continue;
      const columns = notNullColumns(constraint[1].raw_expr);
      if (constraint[1].skip_validation !== true) columns.forEach((column) => proven.add(column));
      else if (typeof constraint[1].conname === 'string') pending.set(constraint[1].conname, columns);
    }
  }
  return proven;
}

/** `col IS NOT NULL`, possibly among others joined with AND. */
function notNullColumns(expression: unknown): string[] {
  const unwrapped = unwrap(expression);
  if (!unwrapped) return [];
  const [type, fields] = unwrapped;
  if (type === 'BoolExpr' && fields.boolop === 'AND_EXPR') return asArray(fields.args).flatMap(notNullColumns);
  if (type !== 'NullTest' || fields.nulltesttype !== 'IS_NOT_NULL') return [];
  const column = unwrap(fields.arg);
  if (column?.[0] !== 'ColumnRef') return [];
  const parts = asArray(column[1].fields);
  return parts.length === 1 ? [stringValue(parts[0]) ?? ''] : [];
}
