import { qualifiedName } from '../../sql/ast';
import { tokensOf } from '../helpers';
import type { Rule, RuleFinding } from '../types';
import { columnTypes } from './prefer-timestamptz';

/** `json` is stored as text: reparsed on every access, not indexable, and it keeps duplicate keys. */
export const rule: Rule = {
  name: 'prefer-jsonb',
  summary: 'json column instead of jsonb',
  defaultSeverity: 'information',
  scalesWithTableSize: false,
  category: 'style',
  check(statement) {
    if (!statement.outcome.ok) return [];
    // Scanned only when a column needs reporting: most statements have none.
    let scanned: ReturnType<typeof tokensOf> | undefined;
    const tokens = (): ReturnType<typeof tokensOf> => (scanned ??= tokensOf(statement));
    const findings: RuleFinding[] = [];
    for (const typeName of columnTypes(statement.outcome.stmt)) {
      const name = qualifiedName(typeName.names);
      if (name !== 'pg_catalog.json' && name !== 'json') continue;
      const first = tokens().findIndex((token) => token.byte === typeName.location);
      if (first < 0) continue;
      let last = first;
      while (tokens()[last + 1]?.text === '.' && tokens()[last + 2]) last += 2; // pg_catalog.json
      findings.push({
        start: tokens()[first].start,
        end: tokens()[last].end,
        message: 'json is stored as text: it is reparsed on every access, cannot be indexed with GIN, has no equality operator, and keeps duplicate keys and whitespace. Use jsonb.',
        fixes: [{ title: 'Use jsonb', preferred: true, edits: [{ start: tokens()[first].start, end: tokens()[last].end, newText: 'jsonb' }] }],
      });
    }
    return findings;
  },
};
