import { findOption, rangeVarName, unwrap } from '../../sql/ast';
import { tokensOf } from '../helpers';
import type { Fix, Rule } from '../types';
import { outsideTransactionEdits, spell } from './concurrently-in-transaction';
import { indexTable } from './require-concurrent-index-deletion';

const KINDS: Record<string, string> = {
  REINDEX_OBJECT_TABLE: 'table',
  REINDEX_OBJECT_INDEX: 'index',
  REINDEX_OBJECT_SCHEMA: 'schema',
  REINDEX_OBJECT_DATABASE: 'database',
};

/** REINDEX without CONCURRENTLY blocks writes to the table and the queries that need the index being rebuilt. */
export const rule: Rule = {
  name: 'require-concurrent-reindex',
  summary: 'REINDEX without CONCURRENTLY blocks writes, and reads that use the index, while it rebuilds',
  defaultSeverity: 'error',
  scalesWithTableSize: true,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || unwrapped?.[0] !== 'ReindexStmt') return [];
    const fields = unwrapped[1];
    const kind = typeof fields.kind === 'string' ? KINDS[fields.kind] : undefined;
    // REINDEX SYSTEM has no concurrent form.
    if (!kind || findOption(fields.params, 'concurrently')) return [];
    const tokens = tokensOf(statement);
    const kindToken = tokens.find((token, index) => index > 0 && token.text.toLowerCase() === kind && depthAt(tokens, index) === 0);
    if (!kindToken) return [];
    const span = { start: tokens[0].start, end: kindToken.end };

    const relation = rangeVarName(fields.relation);
    const table = kind === 'table' ? relation : kind === 'index' && relation ? indexTable(context, relation) : undefined;
    const what =
      kind === 'table' ? `the indexes of ${relation}` : kind === 'index' ? `index ${relation}` : kind === 'schema' ? `every index in schema ${String(fields.name)}` : 'every index in the database';
    const lock = `REINDEX rebuilds ${what} under a SHARE lock on ${kind === 'table' || kind === 'index' ? 'the table' : 'each table'} and an ACCESS EXCLUSIVE lock on each index: writes wait, and so do the queries that plan with those indexes, until it finishes.`;

    if (context.targetVersion < 120000) {
      return [
        {
          ...span,
          table,
          message: `${lock} REINDEX CONCURRENTLY needs PostgreSQL 12: upgrade, or build a copy with CREATE INDEX CONCURRENTLY, then drop the old index CONCURRENTLY and rename the new one.`,
        },
      ];
    }

    const fixes: Fix[] = [];
    const outside = outsideTransactionEdits(context);
    if (outside) {
      const concurrently = spell(statement, 'CONCURRENTLY');
      fixes.push({
        title: outside.removesBlock ? 'Reindex CONCURRENTLY (and remove the BEGIN/COMMIT around it)' : 'Reindex CONCURRENTLY (outside a transaction)',
        preferred: !outside.removesBlock,
        edits: [{ start: kindToken.end, end: kindToken.end, newText: ` ${concurrently}` }, ...outside.edits],
      });
    }
    return [{ ...span, table, message: `${lock} Use REINDEX … CONCURRENTLY, outside a transaction.`, fixes }];
  },
};

/** Parenthesis depth before token `index` (skips the `(VERBOSE, TABLESPACE x)` option list). */
function depthAt(tokens: { text: string }[], index: number): number {
  let depth = 0;
  for (let i = 0; i < index; i++) {
    if (tokens[i].text === '(') depth++;
    if (tokens[i].text === ')') depth--;
  }
  return depth;
}
