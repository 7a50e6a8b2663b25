/**
 * The missing-index fix as SQL: from a plan hint's IndexSuggestion to the statements a migration
 * gets. Names and columns go through sql/quote.ts; a partial predicate is PostgreSQL's own text from the plan.
 */
import type { IndexSuggestion } from '../../../protocol/plan';
import { identList, qualified, quoteIdent } from '../sql/quote';

export interface IndexStatements {
  /** The index's name: `<table>_<columns>_idx`, cut to PostgreSQL's 63 bytes. */
  name: string;
  /** For the migration: `CREATE INDEX CONCURRENTLY IF NOT EXISTS …` (no lock on writes, safe to re-run). */
  create: string;
  /** The down script. */
  drop: string;
  /** For hypopg: a plain `CREATE INDEX ON …` (hypopg_create_index takes no CONCURRENTLY or name). */
  hypothetical: string;
  /** `orders (customer_id)` for titles. */
  label: string;
}

const MAX_IDENTIFIER_BYTES = 63;

export function indexStatements(suggestion: IndexSuggestion): IndexStatements {
  const name = truncateBytes(`${suggestion.table}_${suggestion.columns.join('_')}_idx`, MAX_IDENTIFIER_BYTES);
  const table = suggestion.schema ? qualified(suggestion.schema, suggestion.table) : quoteIdent(suggestion.table);
  const indexName = suggestion.schema ? qualified(suggestion.schema, name) : quoteIdent(name);
  const on = `${table} (${identList(suggestion.columns)})${suggestion.predicate ? ` WHERE ${suggestion.predicate}` : ''}`;
  return {
    name,
    create: `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(name)} ON ${on}`,
    drop: `DROP INDEX CONCURRENTLY IF EXISTS ${indexName}`,
    hypothetical: `CREATE INDEX ON ${on}`,
    label: `${suggestion.table} (${suggestion.columns.join(', ')})${suggestion.predicate ? ' (partial)' : ''}`,
  };
}

/** Cuts to at most `max` UTF-8 bytes without splitting a character. */
function truncateBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let out = '';
  for (const char of text) {
    if (Buffer.byteLength(out + char) > max) break;
    out += char;
  }
  return out;
}
