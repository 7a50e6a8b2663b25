import type { AnalyzedStatement } from '../../document/analyze';
import { asArray, rangeVarName, stringValue, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import type { Token } from '../../sql/tokens';
import { clauseBounds, clauseTokens, commandTokens, isNullConstant, statementSpan, tokensOf } from '../helpers';
import type { Fix, Rule, RuleContext, RuleFinding } from '../types';

/**
 * ADD COLUMN with a volatile DEFAULT (or any non-null DEFAULT before PostgreSQL 11) writes the value
 * into every existing row: a full rewrite of the table under ACCESS EXCLUSIVE. A non-volatile default
 * is stored once in the catalog on 11+.
 */
export const rule: Rule = {
  name: 'volatile-default',
  summary: 'ADD COLUMN with a volatile DEFAULT (any DEFAULT before PostgreSQL 11) rewrites the table',
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
      const tokens = pieces.length === cmds.length ? pieces[index] : undefined;
      if (!tokens) return;
      const constraints = asArray(def.constraints).map((node) => unwrap(node)?.[1] ?? {});
      const nameToken = tokens.find((token) => token.byte === def.location);
      const typeNames = asArray((def.typeName as Fields | undefined)?.names).map((part) => stringValue(part) ?? '');
      const serial = typeNames.length === 1 && SERIAL.has(typeNames[0]);
      const identity = constraints.find((constraint) => constraint.contype === 'CONSTR_IDENTITY');
      if ((serial || identity) && nameToken) {
        findings.push({
          start: nameToken.start,
          end: (serial ? tokens.find((token) => token.byte === (def.typeName as Fields).location) : undefined)?.end ?? nameToken.end,
          table,
          message: `${name} is filled from a sequence for every existing row: ADD COLUMN rewrites ${table} under an ACCESS EXCLUSIVE lock. Add a nullable column, set its default to nextval() for new rows, and backfill existing rows in batches.`,
        });
        return;
      }
      const defaultIndex = constraints.findIndex((constraint) => constraint.contype === 'CONSTR_DEFAULT');
      if (defaultIndex < 0) return;
      const expression = constraints[defaultIndex].raw_expr;
      if (isNullConstant(expression)) return;
      const volatility = volatilityOf(expression);
      const oldVersion = context.targetVersion < 110000;
      if (!oldVersion && volatility.kind === 'stable') return;

      const bounds = clauseBounds(constraints, def);
      const clause = clauseTokens(tokens, constraints[defaultIndex].location, bounds);
      if (!clause) return;
      const keyword = clause.findIndex((token) => token.text.toLowerCase() === 'default');
      const exprTokens = clause.slice(keyword + 1);
      if (keyword < 0 || exprTokens.length === 0) return;
      const text = context.analysis.text;
      const exprText = text.slice(exprTokens[0].start, exprTokens[exprTokens.length - 1].end);
      const span = { start: clause[keyword].start, end: exprTokens[exprTokens.length - 1].end };

      let message = '';
      let severity: RuleFinding['severity'];
      const rewrite = `adding ${name} rewrites ${table} under an ACCESS EXCLUSIVE lock to store a value in every row`;
      const safe = 'Add the column without a default, SET DEFAULT for new rows, and backfill existing rows in batches.';
      if (oldVersion) {
        message = `Before PostgreSQL 11 a DEFAULT on ADD COLUMN is written into every row: ${rewrite}. ${safe}`;
      } else if (volatility.kind === 'volatile') {
        message = `${volatility.what === 'a subquery' ? 'A subquery' : volatility.what} in DEFAULT is volatile (evaluated for each row): ${rewrite}. ${safe}`;
      } else if (volatility.kind === 'unknown') {
        severity = 'warning';
        message = `${volatility.what} is not a built-in pglens knows, and functions are VOLATILE unless declared STABLE or IMMUTABLE; if it is volatile, ${rewrite}. ${safe}`;
      }
      findings.push({ ...span, table, severity, message, fixes: fixesFor(statement, context, { tokens, constraints, bounds, clause, defaultIndex, exprText, nameToken, relation: unwrapped[1].relation }) });
    });
    return findings;
  },
};

const SERIAL = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

/** Built-in (and common extension) functions that return a new value per call. */
const VOLATILE = new Set([
  'random',
  'random_normal',
  'setseed',
  'gen_random_uuid',
  'uuidv4',
  'uuidv7',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'gen_random_bytes',
  'gen_salt',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'setval',
  'currval',
  'lastval',
]);

/** Common STABLE and IMMUTABLE built-ins: evaluated once when the column is added. */
const NOT_VOLATILE = new Set([
  'now',
  'statement_timestamp',
  'transaction_timestamp',
  'current_setting',
  'txid_current',
  'pg_current_xact_id',
  'current_database',
  'current_schema',
  'lower',
  'upper',
  'initcap',
  'trim',
  'btrim',
  'ltrim',
  'rtrim',
  'lpad',
  'rpad',
  'concat',
  'concat_ws',
  'format',
  'length',
  'char_length',
  'substring',
  'substr',
  'replace',
  'left',
  'right',
  'overlay',
  'position',
  'md5',
  'sha256',
  'encode',
  'decode',
  'abs',
  'floor',
  'ceil',
  'ceiling',
  'round',
  'trunc',
  'mod',
  'power',
  'date_trunc',
  'date_part',
  'extract',
  'timezone',
  'age',
  'make_date',
  'make_time',
  'make_interval',
  'make_timestamp',
  'make_timestamptz',
  'to_timestamp',
  'to_date',
  'to_char',
  'to_number',
  'to_json',
  'to_jsonb',
  'json_build_object',
  'jsonb_build_object',
  'json_build_array',
  'jsonb_build_array',
  'array_fill',
  'string_to_array',
  'array_to_string',
  'int4range',
  'int8range',
  'numrange',
  'tsrange',
  'tstzrange',
  'daterange',
  'uuid_nil',
  'uuid_generate_v3',
  'uuid_generate_v5',
]);

type Volatility = { kind: 'stable' } | { kind: 'volatile' | 'unknown'; what: string };

/** Whether an expression calls a volatile function (a subquery counts), or one pglens does not know. */
function volatilityOf(expression: unknown): Volatility {
  let unknown: string | undefined;
  let volatile: string | undefined;
  const visit = (node: unknown): void => {
    if (volatile || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const unwrapped = unwrap(node);
    if (unwrapped?.[0] === 'SubLink') {
      volatile = 'a subquery';
      return;
    }
    if (unwrapped?.[0] === 'FuncCall') {
      const names = asArray(unwrapped[1].funcname).map((part) => stringValue(part) ?? '');
      const name = names[names.length - 1] ?? '';
      if (VOLATILE.has(name)) volatile = `${name}()`;
      else if (!NOT_VOLATILE.has(name) && !(names.length === 2 && names[0] === 'pg_catalog')) unknown ??= `${names.join('.')}()`;
    }
    Object.values(node as Fields).forEach(visit);
  };
  visit(expression);
  if (volatile) return { kind: 'volatile', what: volatile };
  if (unknown) return { kind: 'unknown', what: unknown };
  return { kind: 'stable' };
}

interface FixInput {
  tokens: Token[];
  constraints: Fields[];
  bounds: number[];
  clause: Token[];
  defaultIndex: number;
  exprText: string;
  nameToken: Token | undefined;
  relation: unknown;
}

/** Drop the DEFAULT (and a NOT NULL, which would fail without it) from ADD COLUMN, then SET DEFAULT in a second statement. */
function fixesFor(statement: AnalyzedStatement, context: RuleContext, input: FixInput): Fix[] {
  const { tokens, constraints, bounds, clause, exprText, nameToken } = input;
  if (!nameToken || constraints.some((constraint) => constraint.contype === 'CONSTR_PRIMARY')) return [];
  const text = context.analysis.text;
  const tableText = relationText(statement, input.relation);
  if (!tableText) return [];
  const removal = (clauseTokensOf: Token[]): { start: number; end: number; newText: string } | undefined => {
    const before = tokens[tokens.indexOf(clauseTokensOf[0]) - 1];
    return before ? { start: before.end, end: clauseTokensOf[clauseTokensOf.length - 1].end, newText: '' } : undefined;
  };
  const edits = [removal(clause)];
  const notNull = constraints.find((constraint) => constraint.contype === 'CONSTR_NOTNULL');
  if (notNull) {
    const notNullTokens = clauseTokens(tokens, notNull.location, bounds);
    if (!notNullTokens) return [];
    edits.push(removal(notNullTokens));
  }
  if (edits.some((edit) => edit === undefined)) return [];
  const lineStart = text.lastIndexOf('\n', statement.segment.start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  const todo = notNull ? `\n${indent}-- TODO: backfill ${nameToken.text}, then SET NOT NULL via a validated CHECK` : '';
  const end = statementSpan(statement).end;
  return [
    {
      title: 'Add the column without the default, then SET DEFAULT (new rows only: backfill existing rows separately)',
      edits: [...edits.filter((edit) => edit !== undefined), { start: end, end, newText: `;${todo}\n${indent}ALTER TABLE ${tableText} ALTER COLUMN ${nameToken.text} SET DEFAULT ${exprText}` }],
    },
  ];
}

function relationText(statement: AnalyzedStatement, relation: unknown): string | undefined {
  const tokens = tokensOf(statement);
  const first = tokens.findIndex((token) => token.byte === (relation as Fields | undefined)?.location);
  if (first < 0) return undefined;
  let last = first;
  while (tokens[last + 1]?.text === '.' && tokens[last + 2]) last += 2;
  return tokens
    .slice(first, last + 1)
    .map((token) => token.text)
    .join('');
}

