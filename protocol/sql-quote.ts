/**
 * Quoting for SQL text pglens writes: every identifier goes through quoteIdent, every string literal
 * through quoteLiteral. Here in protocol/ so that the server and the webviews (policy templates) share them.
 */

/** Quotes an identifier for PostgreSQL. Every identifier pglens puts into SQL goes through here. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a string literal (standard_conforming_strings on, as in every supported version). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
