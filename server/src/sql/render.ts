/**
 * The one module that renders names and literals into generated SQL (the migration generator's
 * statements). Names are unquoted catalog names; everything is always quoted, so reserved words,
 * mixed case, spaces, quotes and unicode round-trip. Expressions taken from the catalog
 * (pg_get_*def, defaults, checks, format_type) are already SQL and are used verbatim, never built here.
 */
import { quoteIdent, quoteLiteral } from '../db/port';

export { quoteIdent, quoteLiteral };

/** `"name"` */
export const ident = quoteIdent;

/** `'text'` */
export const literal = quoteLiteral;

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
