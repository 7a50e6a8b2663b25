import type { AnalyzedStatement } from '../../document/analyze';
import { asArray, rangeVarName, stringValue, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import { nameSpanAt, statementSpan, tokensOf } from '../helpers';
import type { Fix, Rule, RuleContext, RuleFinding } from '../types';
import { outsideTransactionEdits, spell } from './concurrently-in-transaction';
import { constraintSpan, indentOf, makeObjectName, textOf } from './constraint-missing-not-valid';
import { quoteIdentIfNeeded } from '../../sql/quote';

/**
 * ADD CONSTRAINT … UNIQUE / PRIMARY KEY builds its index while holding ACCESS EXCLUSIVE on the table.
 * Building the index CONCURRENTLY first and attaching it with USING INDEX avoids the long lock.
 */
export const rule: Rule = {
  name: 'unique-without-using-index',
  summary: 'ADD UNIQUE / PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock',
  defaultSeverity: 'error',
  scalesWithTableSize: true,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || unwrapped?.[0] !== 'AlterTableStmt' || unwrapped[1].objtype !== 'OBJECT_TABLE') return [];
    const relation = unwrapped[1].relation as Fields | undefined;
    const table = rangeVarName(relation);
    if (!table) return [];
    const commands = asArray(unwrapped[1].cmds);
    const findings: RuleFinding[] = [];
    for (const command of commands) {
      const cmd = unwrap(command)?.[1];
      if (cmd?.subtype !== 'AT_AddConstraint') continue;
      const constraint = unwrap(cmd.def);
      if (constraint?.[0] !== 'Constraint') continue;
      const fields = constraint[1];
      const primary = fields.contype === 'CONSTR_PRIMARY';
      if ((!primary && fields.contype !== 'CONSTR_UNIQUE') || typeof fields.indexname === 'string') continue;
      const span = constraintSpan(statement, fields.location);
      if (!span) continue;
      const kind = primary ? 'PRIMARY KEY' : 'UNIQUE';
      const fixes: Fix[] = [];
      const fix = commands.length === 1 && relation?.inh !== false ? usingIndexFix(statement, context, table, fields) : undefined;
      if (fix) fixes.push(fix);
      findings.push({
        start: span.start,
        end: kindEnd(statement, span),
        table,
        message: `ADD ${kind} builds its unique index on ${table} under an ACCESS EXCLUSIVE lock: reads and writes wait until the whole table is indexed. Build the index with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … ${kind} USING INDEX (instant).`,
        fixes,
      });
    }
    return findings;
  },
};

function usingIndexFix(statement: AnalyzedStatement, context: RuleContext, table: string, fields: Fields): Fix | undefined {
  // Storage parameters and tablespaces are not carried over: leave those to the author.
  if (asArray(fields.options).length > 0 || typeof fields.indexspace === 'string') return undefined;
  const outside = outsideTransactionEdits(context);
  if (!outside) return undefined;
  const primary = fields.contype === 'CONSTR_PRIMARY';
  const keys = asArray(fields.keys).map((key) => stringValue(key) ?? '');
  const including = asArray(fields.including).map((key) => stringValue(key) ?? '');
  const relname = table.split('.').pop() ?? table;
  const name = typeof fields.conname === 'string' ? fields.conname : primary ? makeObjectName(relname, undefined, 'pkey') : makeObjectName(relname, keys.join('_'), 'key');
  const index = quoteIdentIfNeeded(makeObjectName(name, undefined, 'idx'));
  const relation = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined)?.[1].relation as Fields | undefined;
  const tableText = textOf(statement, nameSpanAt(statement, relation?.location));
  const list = (names: string[]): string => names.map(quoteIdentIfNeeded).join(', ');
  const create = [
    `${spell(statement, 'CREATE UNIQUE INDEX CONCURRENTLY')} ${index} ${spell(statement, 'ON')} ${tableText} (${list(keys)})`,
    including.length > 0 ? ` ${spell(statement, 'INCLUDE')} (${list(including)})` : '',
    fields.nulls_not_distinct === true ? ` ${spell(statement, 'NULLS NOT DISTINCT')}` : '',
  ].join('');
  const attributes = [fields.deferrable === true ? ' DEFERRABLE' : '', fields.initdeferred === true ? ' INITIALLY DEFERRED' : ''].join('');
  const add = `${spell(statement, 'ALTER TABLE')} ${tableText} ${spell(statement, 'ADD CONSTRAINT')} ${quoteIdentIfNeeded(name)} ${spell(statement, primary ? 'PRIMARY KEY' : 'UNIQUE')} ${spell(statement, 'USING INDEX')} ${index}${spell(statement, attributes)}`;
  const span = statementSpan(statement);
  return {
    title: outside.removesBlock
      ? 'Build the index CONCURRENTLY, then add the constraint USING INDEX (and remove the BEGIN/COMMIT around it)'
      : 'Build the index CONCURRENTLY, then add the constraint USING INDEX (outside a transaction)',
    preferred: !outside.removesBlock,
    edits: [{ start: span.start, end: span.end, newText: `${create};\n${indentOf(context.analysis.text, statement)}${add}` }, ...outside.edits],
  };
}

/** The end of `[CONSTRAINT name] UNIQUE` / `PRIMARY KEY`, for a short span. */
function kindEnd(statement: AnalyzedStatement, span: { start: number; end: number }): number {
  const tokens = tokensOf(statement).filter((token) => token.start >= span.start && token.end <= span.end);
  const index = tokens.findIndex((token) => /^(unique|primary)$/i.test(token.text));
  if (index < 0) return span.end;
  return /^primary$/i.test(tokens[index].text) && tokens[index + 1] ? tokens[index + 1].end : tokens[index].end;
}
