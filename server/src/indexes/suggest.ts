/**
 * An index suggestion as SQL: names and columns go through sql/quote.ts; expressions and partial
 * predicates are PostgreSQL's own text from the plan, with the table's alias removed.
 */
import type { IndexKeySpec, IndexSuggestion } from '../../../protocol/plan';
import { qualified, quoteIdent } from '../sql/quote';

export interface IndexStatements {
  /** The index's name: `<table>_<what it covers>_idx`, cut to PostgreSQL's 63 bytes. */
  name: string;
  /** For the migration: `CREATE INDEX CONCURRENTLY name ON …` (no lock on writes). No IF NOT EXISTS: a name taken by another index must fail, not pass silently. */
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
  const name = suggestion.name ?? indexName(suggestion);
  const table = suggestion.schema ? qualified(suggestion.schema, suggestion.table) : quoteIdent(suggestion.table);
  const qualifiedName = suggestion.schema ? qualified(suggestion.schema, name) : quoteIdent(name);
  const on = `${table}${indexBody(suggestion)}`;
  return {
    name,
    create: `CREATE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${on}`,
    drop: `DROP INDEX CONCURRENTLY IF EXISTS ${qualifiedName}`,
    hypothetical: `CREATE INDEX ON ${on}`,
    label: indexLabel(suggestion),
  };
}

/** What follows the table: ` USING gin (…) INCLUDE (…) WHERE …`. */
export function indexBody(suggestion: IndexSuggestion): string {
  const using = suggestion.method && suggestion.method !== 'btree' ? ` USING ${suggestion.method}` : '';
  const keys = keysOf(suggestion).map(renderKey).join(', ');
  const include = suggestion.include?.length ? ` INCLUDE (${suggestion.include.map(quoteIdent).join(', ')})` : '';
  return `${using} (${keys})${include}${suggestion.predicate ? ` WHERE ${suggestion.predicate}` : ''}`;
}

/** `issues (project_id, created_at DESC) WHERE status = 'open'`, for titles. */
export function indexLabel(suggestion: IndexSuggestion): string {
  const using = suggestion.method && suggestion.method !== 'btree' ? ` USING ${suggestion.method}` : '';
  const keys = keysOf(suggestion)
    .map((key) => `${key.column ?? key.expression}${key.opclass ? ` ${key.opclass}` : ''}${key.descending ? ' DESC' : ''}`)
    .join(', ');
  const include = suggestion.include?.length ? ` INCLUDE (${suggestion.include.join(', ')})` : '';
  return `${suggestion.table}${using} (${keys})${include}${suggestion.predicate ? ` WHERE ${suggestion.predicate}` : ''}`;
}

/** A name that says what the index covers: `issues_project_id_created_at_desc_open_idx`. */
export function indexName(suggestion: IndexSuggestion): string {
  const parts = [suggestion.table, ...keysOf(suggestion).map((key) => [words(key.column ?? key.expression ?? ''), key.opclass === 'gin_trgm_ops' ? 'trgm' : '', key.descending ? 'desc' : ''].filter(Boolean).join('_'))];
  if (suggestion.include?.length) parts.push('incl', ...suggestion.include.map(words));
  if (suggestion.predicate) parts.push('where', words(suggestion.predicate));
  return truncateBytes(`${parts.join('_')}`, MAX_IDENTIFIER_BYTES - 4) + '_idx';
}

function keysOf(suggestion: IndexSuggestion): IndexKeySpec[] {
  return suggestion.keys ?? suggestion.columns.map((column) => ({ column }));
}

function renderKey(key: IndexKeySpec): string {
  const target = key.column !== undefined ? quoteIdent(key.column) : `(${key.expression ?? ''})`;
  return `${target}${key.opclass ? ` ${key.opclass}` : ''}${key.descending ? ' DESC' : ''}`;
}

/** `lower(email)` → `lower_email`; `status = 'open'::text` → `status_open`. */
function words(text: string): string {
  const parts = text
    .replace(/::[\w ."[\]]+/g, '')
    .toLowerCase()
    .replace(/\bis not null\b/g, 'notnull')
    .replace(/\bis null\b/g, 'null')
    .split(/[^a-z0-9]+/)
    .filter((part) => part !== '' && part !== 'and');
  return parts.join('_') || 'expr';
}

/** Cuts to at most `max` UTF-8 bytes without splitting a character. */
function truncateBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let out = '';
  for (const char of text) {
    if (Buffer.byteLength(out + char) > max) break;
    out += char;
  }
  return out.replace(/_+$/, '');
}
