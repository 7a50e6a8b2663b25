import type { AnalyzedStatement } from '../../document/analyze';
import { asArray, rangeVarName, stringValue, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import type { Token } from '../../sql/tokens';
import { clauseBounds, clauseTokens, commandTokens, isNullConstant } from '../helpers';
import type { Fix, Rule, RuleContext, RuleFinding } from '../types';

/**
 * ADD COLUMN … NOT NULL without a DEFAULT: every existing row would hold NULL, so PostgreSQL refuses
 * it on a table with rows. pglens assumes a table it knows nothing about has rows.
 */
export const rule: Rule = {
  name: 'adding-not-null-column-without-default',
  summary: 'ADD COLUMN … NOT NULL without a DEFAULT fails on a table that has rows',
  defaultSeverity: 'error',
  scalesWithTableSize: true,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || unwrapped?.[0] !== 'AlterTableStmt' || unwrapped[1].objtype !== 'OBJECT_TABLE') return [];
    const table = rangeVarName(unwrapped[1].relation);
    if (!table) return [];
    const cmds = asArray(unwrapped[1].cmds).map((command) => unwrap(command)?.[1] ?? {});
    const pieces = commandTokens(statement, unwrapped[1].relation);
    const findings: RuleFinding[] = [];
    cmds.forEach((cmd, index) => {
      const column = cmd.subtype === 'AT_AddColumn' ? unwrap(cmd.def) : undefined;
      if (column?.[0] !== 'ColumnDef' || typeof column[1].colname !== 'string') return;
      const def = column[1];
      const name = def.colname as string;
      const constraints = asArray(def.constraints).map((node) => unwrap(node)?.[1] ?? {});
      const required = constraints.find((constraint) => constraint.contype === 'CONSTR_NOTNULL') ?? constraints.find((constraint) => constraint.contype === 'CONSTR_PRIMARY');
      if (!required) return;
      // Values come from somewhere: a default, an identity sequence, a generated expression, a serial type.
      const filled = constraints.some(
        (constraint) =>
          (constraint.contype === 'CONSTR_DEFAULT' && !isNullConstant(constraint.raw_expr)) || constraint.contype === 'CONSTR_IDENTITY' || constraint.contype === 'CONSTR_GENERATED',
      );
      const typeNames = asArray((def.typeName as Fields | undefined)?.names).map((part) => stringValue(part) ?? '');
      if (filled || (typeNames.length === 1 && SERIAL.has(typeNames[0]))) return;

      const tokens = pieces.length === cmds.length ? pieces[index] : undefined;
      const clause = tokens ? clauseTokens(tokens, required.location, clauseBounds(constraints, def)) : undefined;
      const nameToken = tokens?.find((token) => token.byte === def.location);
      const spanTokens = clause ?? (nameToken ? [nameToken] : undefined);
      if (!spanTokens) return;
      const primary = required.contype === 'CONSTR_PRIMARY';
      findings.push({
        start: spanTokens[0].start,
        end: spanTokens[spanTokens.length - 1].end,
        table,
        message: primary
          ? `Adding ${name} as a PRIMARY KEY without a DEFAULT fails on a table with rows (every row would hold NULL). Add it nullable, backfill it, build a unique index CONCURRENTLY, then ADD PRIMARY KEY USING INDEX.`
          : `Adding ${name} NOT NULL without a DEFAULT fails on a table with rows ("column contains null values"). Add it nullable, backfill it, then add a CHECK (${nameToken?.text ?? name} IS NOT NULL) NOT VALID, VALIDATE it, and SET NOT NULL.`,
        fixes: !constraints.some((constraint) => constraint.contype === 'CONSTR_PRIMARY') && tokens && clause && nameToken ? fixesFor(statement, context, tokens, clause, nameToken) : [],
      });
    });
    return findings;
  },
};

const SERIAL = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

/** Remove NOT NULL and leave a TODO for the backfill and the CHECK-based SET NOT NULL after the statement. */
function fixesFor(statement: AnalyzedStatement, context: RuleContext, tokens: Token[], clause: Token[], nameToken: Token): Fix[] {
  const before = tokens[tokens.indexOf(clause[0]) - 1];
  if (!before) return [];
  const text = context.analysis.text;
  const lineStart = text.lastIndexOf('\n', statement.segment.start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  let lineEnd = text.indexOf('\n', statement.segment.end);
  if (lineEnd < 0) lineEnd = text.length;
  const crlf = lineEnd > 0 && text[lineEnd - 1] === '\r';
  const at = crlf ? lineEnd - 1 : lineEnd;
  return [
    {
      title: `Add ${nameToken.text} nullable (backfill it, then SET NOT NULL via a validated CHECK)`,
      preferred: false,
      edits: [
        { start: before.end, end: clause[clause.length - 1].end, newText: '' },
        { start: at, end: at, newText: `${crlf ? '\r\n' : '\n'}${indent}-- TODO: backfill ${nameToken.text}, then SET NOT NULL via a validated CHECK` },
      ],
    },
  ];
}

