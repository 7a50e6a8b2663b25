import { unwrap } from '../../sql/ast';
import { identValue } from '../../sql/tokens';
import { tokensOf } from '../helpers';
import type { Rule, RuleFinding } from '../types';

/** NAMEDATALEN - 1: the longest identifier PostgreSQL keeps, in bytes. */
const MAX_BYTES = 63;

/** Statements that create, alter or rename objects (not queries, whose long aliases only shorten a result's column name). */
const DDL = /^(Create\w*|Alter\w*|Drop\w*|Define|Rename|Index|View|CompositeType|Rule|Comment|Grant)Stmt$/;

/** PostgreSQL truncates identifiers longer than 63 bytes with only a NOTICE: two long names that start alike become one. */
export const rule: Rule = {
  name: 'identifier-too-long',
  summary: 'identifier longer than 63 bytes, which PostgreSQL silently truncates',
  defaultSeverity: 'error',
  scalesWithTableSize: false,
  check(statement) {
    if (!statement.outcome.ok) return [];
    const type = unwrap(statement.outcome.stmt)?.[0];
    if (!type || !DDL.test(type) || !mayHoldLongName(statement.segment.sql)) return [];
    const findings: RuleFinding[] = [];
    for (const token of tokensOf(statement)) {
      if (token.kind !== 'ident' || token.open) continue;
      const value = identValue(token.text);
      const bytes = Buffer.byteLength(value);
      if (bytes <= MAX_BYTES) continue;
      const characters = [...value].length;
      const size = characters === bytes ? `${bytes} characters` : `${bytes} bytes (${characters} characters)`;
      findings.push({
        start: token.start,
        end: token.end,
        message: `"${value}" is ${size} long: PostgreSQL silently truncates identifiers to ${MAX_BYTES} bytes ("${truncate(value)}"), so two long names that start alike collide. Shorten it.`,
      });
    }
    return findings;
  },
};

/** The identifier as PostgreSQL keeps it: its longest prefix of whole characters within 63 bytes. */
function truncate(value: string): string {
  let result = '';
  for (const character of value) {
    if (Buffer.byteLength(result + character) > MAX_BYTES) break;
    result += character;
  }
  return result;
}

/** Answers by statement text: between two edits almost every statement is unchanged. */
const mayHold = new Map<string, boolean>();

/** Cheap test before scanning: a quoted name, or a run of name characters, long enough to pass 63 bytes? */
function mayHoldLongName(sql: string): boolean {
  let answer = mayHold.get(sql);
  if (answer === undefined) {
    answer = false;
    for (const match of sql.matchAll(/"(?:[^"]|"")*"|[^\s,;()'."]{16,}/g)) if (Buffer.byteLength(match[0]) > MAX_BYTES) answer = true;
    if (mayHold.size > 20_000) mayHold.clear();
    mayHold.set(sql, answer);
  }
  return answer;
}
