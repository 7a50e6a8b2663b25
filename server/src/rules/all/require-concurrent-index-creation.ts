import { rangeVarName, unwrap } from '../../sql/ast';
import { keywordsSpan, nonTransactionalEdits, tokensOf } from '../helpers';
import type { Fix, Rule } from '../types';

/** CREATE INDEX without CONCURRENTLY blocks every write to the table (SHARE lock) until the index is built. */
export const rule: Rule = {
  name: 'require-concurrent-index-creation',
  summary: 'CREATE INDEX without CONCURRENTLY blocks writes to the table while the index builds',
  defaultSeverity: 'error',
  scalesWithTableSize: true,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || unwrapped?.[0] !== 'IndexStmt' || unwrapped[1].concurrent) return [];
    const table = rangeVarName(unwrapped[1].relation);
    if (!table) return [];
    // Partitioned parents cannot be indexed concurrently (the index is created on each partition instead).
    if (unwrapped[1].relation && (unwrapped[1].relation as Record<string, unknown>).inh === false) return [];
    const span = keywordsSpan(statement, ['create', 'unique', 'index']) ?? keywordsSpan(statement, ['create', 'index']);
    if (!span) return [];
    const indexToken = tokensOf(statement).find((token) => token.start >= span.start && token.text.toLowerCase() === 'index');
    const fixes: Fix[] = [];
    const outside = nonTransactionalEdits(context.tool, () => context.analysis.text);
    if (indexToken && outside) {
      fixes.push({
        title: 'Create the index CONCURRENTLY (outside a transaction)',
        preferred: true,
        edits: [{ start: indexToken.end, end: indexToken.end, newText: ' CONCURRENTLY' }, ...outside],
      });
    }
    return [
      {
        ...span,
        table,
        message: `CREATE INDEX on ${table} without CONCURRENTLY blocks writes to the table until the index is built. Use CREATE INDEX CONCURRENTLY, outside a transaction.`,
        fixes,
      },
    ];
  },
};
