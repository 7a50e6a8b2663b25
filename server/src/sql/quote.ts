/**
 * The one module that quotes names and literals into SQL: what pglens runs on a database (EXPLAIN,
 * catalog and hypopg queries), the migration generator's statements, and names in fixes, completion
 * and hover. Names are unquoted catalog names. SQL that pglens runs or generates quotes every name
 * (reserved words, mixed case, spaces, quotes and unicode round-trip); text people read or edit uses
 * `quoteIdentIfNeeded`, PostgreSQL's own quote_ident(). Expressions taken from the catalog
 * (pg_get_*def, defaults, checks, format_type) are already SQL and are used verbatim, never built here.
 */
import { scanSync } from 'libpg-query';
import { quoteIdent, quoteLiteral } from '../../../protocol/sql-quote';

// The two primitives live in protocol/ so that the webviews' SQL templates (RLS policies) use them too.
export { quoteIdent, quoteLiteral } from '../../../protocol/sql-quote';

/** libpg-query's keyword kind of an unreserved keyword (0: not a keyword; 2–4 must be quoted). */
const UNRESERVED_KEYWORD = 1;
/** What quote_ident() leaves bare, keywords aside: lower-case letters, digits, `_` and `$`, not first a digit or `$`. */
const SIMPLE_IDENTIFIER = /^[a-z_][a-z0-9_$]*$/;
const keywordKinds = new Map<string, number>();

/**
 * `name` as PostgreSQL's quote_ident() writes it: bare when PostgreSQL reads it back unchanged, else
 * double-quoted: upper case, spaces, non-ASCII, a leading digit, or a keyword other than an
 * unreserved one (`order`, `user`, `left`, `int`). Needs the parser loaded (loadParser).
 */
export function quoteIdentIfNeeded(name: string): string {
  if (SIMPLE_IDENTIFIER.test(name)) {
    const kind = keywordKindOf(name);
    if (kind === 0 || kind === UNRESERVED_KEYWORD) return name;
  }
  return quoteIdent(name);
}

/** Looks up many names' keyword kinds in one scanner call (one call per name costs ~20 µs), before quoteIdentIfNeeded on each. */
export function primeQuoting(names: Iterable<string>): void {
  const unknown = [...new Set(names)].filter((name) => SIMPLE_IDENTIFIER.test(name) && !keywordKinds.has(name));
  if (unknown.length === 0) return;
  const tokens = scanSync(unknown.join(' ')).tokens;
  if (tokens.length !== unknown.length) return; // cannot happen for simple names; single lookups then
  unknown.forEach((name, k) => remember(name, tokens[k].keywordKind));
}

function keywordKindOf(name: string): number {
  let kind = keywordKinds.get(name);
  if (kind === undefined) {
    const tokens = scanSync(name).tokens;
    kind = tokens.length === 1 ? tokens[0].keywordKind : 0;
    remember(name, kind);
  }
  return kind;
}

function remember(name: string, kind: number): void {
  if (keywordKinds.size > 200_000) keywordKinds.clear();
  keywordKinds.set(name, kind);
}

/** `"schema"."name"` */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** `"a", "b"` */
export function identList(names: readonly string[]): string {
  return names.map(quoteIdent).join(', ');
}

/** `'a', 'b'` */
export function literalList(values: readonly string[]): string {
  return values.map(quoteLiteral).join(', ');
}

/** A comment literal, or NULL to remove it: `COMMENT ON … IS <this>`. */
export function commentLiteral(comment: string | undefined): string {
  return comment === undefined ? 'NULL' : quoteLiteral(comment);
}

/** A role in GRANT / policy role lists: `PUBLIC` (the pseudo-role) or a quoted name. */
export function roleName(name: string): string {
  return name === 'public' || name === 'PUBLIC' ? 'PUBLIC' : quoteIdent(name);
}

/** A string array literal: `'{"a","b c"}'`, for text[] values. */
export function textArrayLiteral(values: readonly string[]): string {
  const items = values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
  return quoteLiteral(`{${items.join(',')}}`);
}

/** A display name (not SQL): `schema.name`, unquoted, for messages and change lists. */
export function displayName(...parts: string[]): string {
  return parts.join('.');
}
