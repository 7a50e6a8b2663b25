import { asArray, qualifiedName, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import { tokensOf } from '../helpers';
import type { Rule, RuleFinding } from '../types';

/** `timestamp` stores a wall-clock time without its zone: the same value means different instants to different sessions. */
export const rule: Rule = {
  name: 'prefer-timestamptz',
  summary: 'timestamp (without time zone) instead of timestamptz',
  defaultSeverity: 'information',
  scalesWithTableSize: false,
  category: 'style',
  check(statement) {
    if (!statement.outcome.ok) return [];
    const findings: RuleFinding[] = [];
    for (const typeName of columnTypes(statement.outcome.stmt)) {
      if (qualifiedName(typeName.names) !== 'pg_catalog.timestamp' || typeof typeName.location !== 'number') continue;
      const tokens = tokensOf(statement);
      const start = statement.segment.start;
      const first = tokens.findIndex((token) => token.start - start >= 0 && Buffer.byteLength(statement.segment.sql.slice(0, token.start - start)) === typeName.location);
      if (first < 0) continue;
      // `timestamp`, `timestamp(3)`, `timestamp without time zone`.
      let last = first;
      if (tokens[last + 1]?.text === '(') while (last < tokens.length - 1 && tokens[last].text !== ')') last++;
      if (tokens.slice(last + 1, last + 4).map((token) => token.text.toLowerCase()).join(' ') === 'without time zone') last += 3;
      const precision = tokens[first + 1]?.text === '(' ? `(${tokens[first + 2]?.text})` : '';
      findings.push({
        start: tokens[first].start,
        end: tokens[last].end,
        message: 'timestamp without time zone stores a wall-clock time: the same value means a different instant to sessions in other time zones. Use timestamptz.',
        fixes: [{ title: `Use timestamptz${precision}`, preferred: true, edits: [{ start: tokens[first].start, end: tokens[last].end, newText: `timestamptz${precision}` }] }],
      });
    }
    return findings;
  },
};

/** Type names of the columns a statement defines or alters: CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE. */
export function columnTypes(stmt: unknown): Fields[] {
  const unwrapped = unwrap(stmt);
  if (!unwrapped) return [];
  const [type, fields] = unwrapped;
  const types: Fields[] = [];
  const fromColumnDef = (node: unknown): void => {
    const column = unwrap(node);
    if (column?.[0] === 'ColumnDef' && column[1].typeName) types.push(column[1].typeName as Fields);
  };
  if (type === 'CreateStmt') asArray(fields.tableElts).forEach(fromColumnDef);
  if (type === 'AlterTableStmt') {
    for (const command of asArray(fields.cmds)) {
      const cmd = unwrap(command)?.[1];
      if (!cmd) continue;
      if (cmd.subtype === 'AT_AddColumn') fromColumnDef(cmd.def);
      if (cmd.subtype === 'AT_AlterColumnType') fromColumnDef(cmd.def);
    }
  }
  return types;
}
