import { scanSync } from 'libpg-query';
import type { DatabaseError } from '../db/port';
import { codePointToUtf16, utf8ByteToUtf16 } from '../text/offsets';

/** A span inside a statement's text, UTF-16 offsets relative to the statement start. */
export interface Span {
  start: number;
  end: number;
}

interface Token extends Span {
  /** The token's value as PostgreSQL sees it: unquoted identifiers folded to lower case, quotes removed. */
  value: string;
}

/**
 * Where in `sql` PostgreSQL's error points. PostgreSQL gives a cursor position for errors inside
 * expressions but none for most DDL errors (`relation "x" does not exist` from ALTER TABLE, a
 * duplicate column, a missing index…): then the object the message names is looked up among the
 * statement's tokens, and only when it is not there does the whole first line get the error.
 *
 * `prefixLength` is the number of characters pglens put before the user's text when it sent the
 * statement (e.g. `PREPARE x AS `), to subtract from PostgreSQL's position.
 */
export function locateError(sql: string, error: DatabaseError, prefixLength = 0): Span {
  const tokens = tokenize(sql);
  if (error.position !== undefined && error.position > 0) {
    const offset = codePointToUtf16(sql, error.position - 1 - prefixLength);
    const token = tokens.find((candidate) => candidate.start <= offset && offset < candidate.end);
    if (token) return { start: token.start, end: token.end };
    if (offset < sql.length) return { start: offset, end: offset + 1 };
  }
  if (error.internalQuery && error.internalPosition !== undefined) {
    const body = sql.indexOf(error.internalQuery);
    if (body >= 0) {
      const offset = body + codePointToUtf16(error.internalQuery, error.internalPosition - 1);
      const token = tokens.find((candidate) => candidate.start <= offset && offset < candidate.end);
      return token ? { start: token.start, end: token.end } : { start: offset, end: offset + 1 };
    }
  }
  for (const name of namesIn(error)) {
    const span = findName(tokens, name);
    if (span) return span;
  }
  const firstLine = sql.search(/\r?\n/);
  return { start: 0, end: firstLine < 0 ? sql.length : firstLine };
}

/** Object names an error mentions, most specific first. */
export function namesIn(error: DatabaseError): string[] {
  const names: string[] = [];
  const quoted = (text: string | undefined): void => {
    for (const match of (text ?? '').matchAll(/"((?:[^"]|"")*)"/g)) names.push(match[1]);
  };
  quoted(error.message);
  const fn = /^(?:function|procedure) ([^\s(]+)\(/.exec(error.message);
  if (fn) names.push(fn[1]);
  for (const field of [error.column, error.constraint, error.table, error.dataType]) if (field) names.push(field);
  quoted(error.detail);
  return [...new Set(names)];
}

function findName(tokens: Token[], name: string): Span | undefined {
  const parts = name.split('.');
  if (parts.length > 1) {
    // schema.table: three tokens in a row; fall back to the last part alone.
    for (let i = 0; i + 2 * (parts.length - 1) < tokens.length; i++) {
      const matches = parts.every((part, k) => tokens[i + 2 * k].value === part && (k === 0 || tokens[i + 2 * k - 1].value === '.'));
      if (matches) return { start: tokens[i].start, end: tokens[i + 2 * (parts.length - 1)].end };
    }
  }
  const last = parts[parts.length - 1];
  const token = tokens.find((candidate) => candidate.value === name) ?? tokens.find((candidate) => candidate.value === last);
  return token && { start: token.start, end: token.end };
}

function tokenize(sql: string): Token[] {
  let raw;
  try {
    raw = scanSync(sql).tokens;
  } catch {
    return [];
  }
  // Byte offsets → UTF-16, walking forward once (tokens come in order).
  const tokens: Token[] = [];
  let byte = 0;
  let unit = 0;
  const toUnit = (target: number): number => {
    unit += utf8ByteToUtf16(sql.slice(unit), target - byte);
    byte = target;
    return unit;
  };
  for (const token of raw) {
    if (token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT') continue;
    const start = toUnit(token.start);
    const end = toUnit(token.end);
    tokens.push({ start, end, value: normalize(sql.slice(start, end)) });
  }
  return tokens;
}

function normalize(text: string): string {
  if (text.startsWith('"')) return text.slice(1, -1).replace(/""/g, '"');
  if (text.startsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  if (/^[eE]'/.test(text)) return text.slice(2, -1);
  return text.toLowerCase();
}
