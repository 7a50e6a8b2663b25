import { asArray, qualifiedName, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import type { Token } from '../../sql/tokens';
import { tokensOf } from '../helpers';
import type { Fix, Rule, RuleFinding } from '../types';
import { columnTypes } from './prefer-timestamptz';

/** char(n) of at most this many characters is usually a fixed-length code (country, currency): reported as information. */
const CODE_LENGTH = 3;

/** char(n) pads with spaces and varchar(n) puts a limit in the type that is awkward to change: text with a CHECK does both better. */
export const rule: Rule = {
  name: 'prefer-text',
  summary: 'char(n) or varchar(n) column instead of text',
  defaultSeverity: 'information',
  scalesWithTableSize: false,
  category: 'style',
  check(statement) {
    if (!statement.outcome.ok) return [];
    const stmt = statement.outcome.stmt;
    // Scanned only when a column needs reporting: most statements have none.
    let tokens: Token[] = [];
    const findings: RuleFinding[] = [];
    for (const typeName of columnTypes(stmt)) {
      const name = qualifiedName(typeName.names).replace(/^pg_catalog\./, '');
      const length = unwrap(asArray(typeName.typmods)[0])?.[1];
      const n = (length?.ival as Fields | undefined)?.ival;
      // varchar without a length is text under another name; "char" (quoted) is the one-byte internal type.
      if ((name !== 'varchar' && name !== 'bpchar') || typeof n !== 'number') continue;
      if (tokens.length === 0) tokens = tokensOf(statement);
      const span = typeSpan(tokens, typeName.location);
      if (!span) continue;
      const written = spelled(tokens, span);
      const fixes: Fix[] = [{ title: 'Use text', edits: [{ start: span.start, end: span.end, newText: 'text' }] }];
      let message: string;
      let severity: RuleFinding['severity'];
      if (name === 'varchar') {
        message = `${written} puts the length limit in the type: changing it is an ALTER COLUMN … TYPE (blocked by dependent views, a table scan or rewrite when lowered), and it is no faster than text. Use text, with CHECK (char_length(…) <= ${n}) if the limit matters.`;
        const column = owningColumn(stmt, typeName);
        const next = tokens[span.last + 1]?.text.toLowerCase();
        if (column && asArray(typeName.arrayBounds).length === 0 && next !== 'storage' && next !== 'compression') {
          const columnToken = tokens.find((token) => token.byte === column.location);
          const columnText = columnToken ? columnToken.text : String(column.colname);
          fixes.push({
            title: `Use text CHECK (char_length(${columnText}) <= ${n})`,
            preferred: true,
            edits: [{ start: span.start, end: span.end, newText: `text CHECK (char_length(${columnText}) <= ${n})` }],
          });
        }
      } else {
        message = `${written} pads every value with spaces to ${n} characters and ignores trailing spaces when comparing; it is no faster than text. Use text.`;
        if (n <= CODE_LENGTH) {
          severity = 'information';
          message += ` (Harmless for codes that always have exactly ${n} characters, such as ISO country or currency codes.)`;
        }
      }
      findings.push({ start: span.start, end: span.end, message, ...(severity ? { severity } : {}), fixes });
    }
    return findings;
  },
};

interface TypeSpan {
  start: number;
  end: number;
  /** Indexes of the type's first and last tokens (the last is the `)` of its length). */
  first: number;
  last: number;
}

/** The tokens spelling a type name and its modifiers (`character varying(20)`, `pg_catalog.bpchar(2)`), without array brackets. */
function typeSpan(tokens: Token[], location: unknown): TypeSpan | undefined {
  const first = tokens.findIndex((token) => token.byte === location);
  if (first < 0) return undefined;
  let last = first;
  for (;;) {
    const next = tokens[last + 1]?.text.toLowerCase();
    if (next === '.' && tokens[last + 2]) last += 2;
    else if (next === 'character' || next === 'char' || next === 'varying') last += 1;
    else break;
  }
  if (tokens[last + 1]?.text === '(') {
    let depth = 0;
    for (let i = last + 1; i < tokens.length; i++) {
      if (tokens[i].text === '(') depth++;
      if (tokens[i].text === ')' && --depth === 0) {
        last = i;
        break;
      }
    }
  }
  return { start: tokens[first].start, end: tokens[last].end, first, last };
}

/** The type as the author wrote it, on one line: `character varying(20)`. */
function spelled(tokens: Token[], span: TypeSpan): string {
  return tokens
    .slice(span.first, span.last + 1)
    .map((token) => token.text)
    .join(' ')
    .replace(/ ?([().]) ?/g, '$1')
    .replace(/\)(?=\S)/g, ') ');
}

/** The ColumnDef of CREATE TABLE or ADD COLUMN whose type is `typeName` (not ALTER COLUMN TYPE, where a CHECK cannot go). */
function owningColumn(stmt: unknown, typeName: Fields): Fields | undefined {
  const unwrapped = unwrap(stmt);
  if (!unwrapped) return undefined;
  const [type, fields] = unwrapped;
  const elements =
    type === 'CreateStmt'
      ? asArray(fields.tableElts)
      : type === 'AlterTableStmt'
        ? asArray(fields.cmds).flatMap((command) => {
            const cmd = unwrap(command)?.[1];
            return cmd?.subtype === 'AT_AddColumn' ? [cmd.def] : [];
          })
        : [];
  for (const element of elements) {
    const column = unwrap(element);
    if (column?.[0] === 'ColumnDef' && column[1].typeName === typeName) return column[1];
  }
  return undefined;
}
