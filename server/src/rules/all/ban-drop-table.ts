import type { AnalyzedStatement } from '../../document/analyze';
import { asArray, qualifiedName, stringValue, unwrap } from '../../sql/ast';
import type { Token } from '../../sql/tokens';
import { firstLine, tokensOf } from '../helpers';
import type { Span } from '../helpers';
import type { Rule, RuleFinding } from '../types';

/** DROP TABLE / SCHEMA / DATABASE in a migration: the data is gone and running code that uses it breaks. */
export const rule: Rule = {
  name: 'ban-drop-table',
  summary: 'DROP TABLE, DROP SCHEMA or DROP DATABASE loses data and breaks running code',
  defaultSeverity: 'warning',
  scalesWithTableSize: false,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || !unwrapped) return [];
    const [type, fields] = unwrapped;
    if (type === 'DropdbStmt') {
      const name = typeof fields.dbname === 'string' ? fields.dbname : 'the database';
      return [
        {
          ...(objectSpans(statement, 'database')[0] ?? firstLine(statement)),
          severity: 'error',
          message: `DROP DATABASE ${name} deletes every table in it for good: it has no place in a migration.`,
        },
      ];
    }
    if (type !== 'DropStmt') return [];
    const cascade = fields.behavior === 'DROP_CASCADE';
    const objects = asArray(fields.objects);
    const findings: RuleFinding[] = [];
    if (fields.removeType === 'OBJECT_TABLE') {
      const spans = objectSpans(statement, 'table');
      objects.forEach((object, index) => {
        const name = qualifiedName(unwrap(object)?.[1]?.items);
        if (context.table(name).newInThisDeploy) return;
        const also = cascade ? ' CASCADE also drops the views and foreign keys that depend on it.' : '';
        findings.push({
          ...(spans.length === objects.length ? spans[index] : firstLine(statement)),
          message: `DROP TABLE ${name} deletes its data for good and breaks running code that still queries it. Deploy the code that stops using it first, and keep a copy (or rename it now and drop it in a later release).${also}`,
        });
      });
    } else if (fields.removeType === 'OBJECT_SCHEMA') {
      const created = schemasCreatedBefore(context.earlier());
      const spans = objectSpans(statement, 'schema');
      objects.forEach((object, index) => {
        const name = stringValue(object) ?? qualifiedName(unwrap(object)?.[1]?.items);
        if (created.has(name)) return;
        findings.push({
          ...(spans.length === objects.length ? spans[index] : firstLine(statement)),
          severity: cascade ? 'error' : 'warning',
          message: cascade
            ? `DROP SCHEMA ${name} CASCADE deletes every table, view and function in it, with their data, and breaks running code that uses them.`
            : `DROP SCHEMA ${name} breaks running code that still uses it (it fails if the schema still holds objects). Deploy the code that stops using it first.`,
        });
      });
    }
    return findings;
  },
};

/** Spans of the names after `DROP <kind> [IF EXISTS]`, one per comma-separated name. */
function objectSpans(statement: AnalyzedStatement, kind: string): Span[] {
  const tokens = tokensOf(statement);
  let index = tokens.findIndex((token) => token.text.toLowerCase() === kind);
  if (index < 0) return [];
  index++;
  if (tokens[index]?.text.toLowerCase() === 'if' && tokens[index + 1]?.text.toLowerCase() === 'exists') index += 2;
  const spans: Span[] = [];
  let current: Token[] = [];
  for (const token of tokens.slice(index)) {
    if (token.text === ';' || token.text === '(' || /^(cascade|restrict|with)$/i.test(token.text)) break;
    if (token.text === ',') {
      if (current.length > 0) spans.push({ start: current[0].start, end: current[current.length - 1].end });
      current = [];
    } else current.push(token);
  }
  if (current.length > 0) spans.push({ start: current[0].start, end: current[current.length - 1].end });
  return spans;
}

function schemasCreatedBefore(statements: AnalyzedStatement[]): Set<string> {
  const schemas = new Set<string>();
  for (const statement of statements) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (unwrapped?.[0] === 'CreateSchemaStmt' && typeof unwrapped[1].schemaname === 'string') schemas.add(unwrapped[1].schemaname);
  }
  return schemas;
}

// Private copy of a small helper (shared files are not edited by rules).

