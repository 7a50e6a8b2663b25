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
  /** The token as written. */
  raw: string;
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
    const index = tokens.findIndex((candidate) => candidate.start <= offset && offset < candidate.end);
    // `t.column` as a whole, but a missing schema is only the schema's name.
    if (index >= 0) return error.code === '3F000' ? { start: tokens[index].start, end: tokens[index].end } : qualifiedSpan(tokens, index);
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
  const special = specialSpan(tokens, error);
  if (special) return special;
  for (const name of namesIn(error)) {
    const span = findName(tokens, name);
    if (span) return span;
  }
  const firstLine = sql.search(/\r?\n/);
  return { start: 0, end: firstLine < 0 ? sql.length : firstLine };
}

/** The token at `index`, extended over a dotted name (`t.column`, `schema.table.column`) that starts there. */
function qualifiedSpan(tokens: Token[], index: number): Span {
  let last = index;
  while (last + 2 < tokens.length && tokens[last + 1].value === '.' && tokens[last + 1].start === tokens[last].end && isName(tokens[last + 2])) last += 2;
  return { start: tokens[index].start, end: tokens[last].end };
}

function isName(token: Token): boolean {
  return /^[\p{L}_"]/u.test(token.raw);
}

/** Errors whose object is not the first thing they name. */
function specialSpan(tokens: Token[], error: DatabaseError): Span | undefined {
  const named = /"((?:[^"]|"")*)"/.exec(error.message)?.[1];
  // `column "x" specified more than once`: the second one is the mistake.
  if (named && /specified more than once/.test(error.message)) {
    const occurrences = tokens.filter((token) => token.value === named || token.value.toLowerCase() === named);
    const second = occurrences[1];
    if (second) return { start: second.start, end: second.end };
  }
  // A default of the wrong type or an invalid literal in a DEFAULT: the expression after DEFAULT.
  if ((/default expression/.test(error.message) || error.code.startsWith('22')) && tokens.some((token) => token.value === 'default')) {
    return defaultExpression(tokens, named);
  }
  // `foreign key constraint "x" cannot be implemented`: DETAIL names the column.
  if (/cannot be implemented/.test(error.message)) {
    const column = /"((?:[^"]|"")*)"/.exec(error.detail ?? '')?.[1];
    if (column) return findName(tokens, column);
  }
  return undefined;
}

const DEFAULT_ENDS = new Set([',', ')', ';', 'not', 'null', 'check', 'references', 'constraint', 'primary', 'unique', 'generated', 'collate']);

/** The DEFAULT expression of `column` (or the first DEFAULT), up to the next comma or constraint keyword at its depth. */
function defaultExpression(tokens: Token[], column: string | undefined): Span | undefined {
  const columnAt = column ? tokens.findIndex((token) => token.value === column) : -1;
  const start = tokens.findIndex((token, index) => index > columnAt && token.value === 'default');
  if (start < 0 || start + 1 >= tokens.length) return undefined;
  let depth = 0;
  let end = start + 1;
  for (let index = start + 1; index < tokens.length; index++) {
    const value = tokens[index].value;
    if (depth === 0 && DEFAULT_ENDS.has(value) && index > start + 1) break;
    if (value === '(') depth++;
    if (value === ')') {
      if (depth === 0) break;
      depth--;
    }
    end = index;
  }
  return { start: tokens[start + 1].start, end: tokens[end].end };
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
  let index = tokens.findIndex((candidate) => candidate.value === name);
  if (index < 0) index = tokens.findIndex((candidate) => candidate.value === last);
  if (index < 0) return undefined;
  // Written qualified (`app."Settings"`) though the message names it bare: underline all of it.
  let first = index;
  while (first >= 2 && tokens[first - 1].value === '.' && tokens[first - 1].start === tokens[first - 2].end && tokens[first].start === tokens[first - 1].end && isName(tokens[first - 2])) first -= 2;
  return { start: tokens[first].start, end: tokens[index].end };
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
    const raw = sql.slice(start, end);
    tokens.push({ start, end, value: normalize(raw), raw });
  }
  return tokens;
}

function normalize(text: string): string {
  if (text.startsWith('"')) return text.slice(1, -1).replace(/""/g, '"');
  if (text.startsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  if (/^[eE]'/.test(text)) return text.slice(2, -1);
  return text.toLowerCase();
}
