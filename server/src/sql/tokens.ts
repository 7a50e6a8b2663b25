/**
 * Tokens of one statement from PostgreSQL's own scanner (libpg-query `scanSync`), so quoting,
 * comments and dollar quotes are read as the server reads them. Scanner and parse-tree locations are
 * UTF-8 byte offsets into the statement; tokens carry both those and UTF-16 offsets, converted in
 * one pass per scan.
 */
import { scanSync } from 'libpg-query';
import type { ScanToken } from 'libpg-query';

export type TokenKind = 'ident' | 'keyword' | 'string' | 'number' | 'param' | 'comment' | 'operator';

export interface Token {
  /** UTF-16 offsets in the scanned text. */
  start: number;
  end: number;
  /** UTF-8 byte offset of `start`, what parse-tree `location` fields hold. */
  byte: number;
  text: string;
  kind: TokenKind;
  /** libpg-query's keyword kind: 0 none, 1 unreserved, 2 column name, 3 type or function name, 4 reserved. */
  keyword: number;
  /** A string, quoted identifier or comment left open at the end of the text (the user is typing it). */
  open?: boolean;
}

export const RESERVED_KEYWORD = 4;
export const TYPE_FUNC_NAME_KEYWORD = 3;

/**
 * The tokens of `sql`. Text the scanner rejects because a quote or comment is left open (as while
 * typing) is scanned up to that point, and the rest becomes one token marked `open`.
 */
export function scanTokens(sql: string): Token[] {
  const whole = tryScan(sql);
  if (whole) return convertTokens(sql, whole);
  const open = unterminatedStart(sql);
  const head = open === undefined ? undefined : tryScan(sql.slice(0, open));
  if (open === undefined || !head) return [];
  const tokens = convertTokens(sql, head);
  const tail = sql.slice(open);
  const kind: TokenKind = tail.startsWith('"') || /^u&"/i.test(tail) ? 'ident' : tail.startsWith('/*') ? 'comment' : 'string';
  tokens.push({ start: open, end: sql.length, byte: Buffer.byteLength(sql.slice(0, open)), text: tail, kind, keyword: 0, open: true });
  return tokens;
}

/** Tokens without comments. */
export function significant(tokens: readonly Token[]): Token[] {
  return tokens.filter((token) => token.kind !== 'comment');
}

export function isName(token: Token | undefined): token is Token {
  return token !== undefined && (token.kind === 'ident' || token.kind === 'keyword');
}

/** The keyword a token spells, upper-cased, or '' for anything else. */
export function word(token: Token | undefined): string {
  return token?.kind === 'keyword' ? token.text.toUpperCase() : '';
}

/** An identifier token's value as PostgreSQL reads it: unquoted, or folded to lower case (ASCII only). */
export function identValue(text: string): string {
  const unicode = /^u&"/i.test(text);
  if (text.startsWith('"') || unicode) {
    const body = text.slice(unicode ? 3 : 1);
    return (body.endsWith('"') ? body.slice(0, -1) : body).replace(/""/g, '"');
  }
  return text.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
}

function tryScan(sql: string): ScanToken[] | undefined {
  try {
    return scanSync(sql).tokens;
  } catch {
    return undefined;
  }
}

function convertTokens(sql: string, raw: readonly ScanToken[]): Token[] {
  // Token offsets only grow, so one walk over the text converts them all.
  let index = 0;
  let bytes = 0;
  const toUtf16 = (target: number): number => {
    while (index < sql.length && bytes < target) {
      const code = sql.charCodeAt(index);
      if (code < 0x80) bytes += 1;
      else if (code < 0x800) bytes += 2;
      else if (code >= 0xd800 && code <= 0xdbff && index + 1 < sql.length && (sql.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
        bytes += 4;
        index += 1;
      } else bytes += 3;
      index += 1;
    }
    return index;
  };
  return raw.map((token) => {
    const byte = token.start;
    const start = toUtf16(token.start);
    return { start, end: toUtf16(token.end), byte, text: token.text, kind: tokenKind(token), keyword: token.keywordKind };
  });
}

function tokenKind(token: ScanToken): TokenKind {
  switch (token.tokenName) {
    case 'IDENT':
    case 'UIDENT':
      return 'ident';
    case 'SCONST':
    case 'USCONST':
    case 'BCONST':
    case 'XCONST':
      return 'string';
    case 'ICONST':
    case 'FCONST':
      return 'number';
    case 'PARAM':
      return 'param';
    case 'SQL_COMMENT':
    case 'C_COMMENT':
      return 'comment';
  }
  if (token.keywordKind > 0) return 'keyword';
  if (/^u&"/i.test(token.text)) return 'ident';
  if (/^(e|u&|b|x|n)?'/i.test(token.text) || /^\$([A-Za-z_]\w*)?\$/.test(token.text)) return 'string';
  return 'operator';
}

/** Where a quote, dollar quote or block comment that never closes starts. */
function unterminatedStart(sql: string): number | undefined {
  const dollar = /\$([A-Za-z_][A-Za-z0-9_]*)?\$/y;
  let k = 0;
  while (k < sql.length) {
    const char = sql[k];
    if (char === '-' && sql[k + 1] === '-') {
      const newline = sql.indexOf('\n', k);
      if (newline < 0) return undefined;
      k = newline + 1;
    } else if (char === '/' && sql[k + 1] === '*') {
      let depth = 1;
      let j = k + 2;
      while (j < sql.length && depth > 0) {
        if (sql.startsWith('/*', j) || sql.startsWith('*/', j)) {
          depth += sql[j] === '/' ? 1 : -1;
          j += 2;
        } else j++;
      }
      if (depth > 0) return k;
      k = j;
    } else if (char === "'" || char === '"') {
      const backslashes = char === "'" && /[eE]/.test(sql[k - 1] ?? '') && !/[\w$]/.test(sql[k - 2] ?? '');
      let j = k + 1;
      for (;;) {
        if (j >= sql.length) return k;
        if (backslashes && sql[j] === '\\') j += 2;
        else if (sql[j] === char && sql[j + 1] === char) j += 2;
        else if (sql[j] === char) break;
        else j++;
      }
      k = j + 1;
    } else if (char === '$' && !/[\w$]/.test(sql[k - 1] ?? '')) {
      dollar.lastIndex = k;
      const match = dollar.exec(sql);
      if (!match) {
        k++;
        continue;
      }
      const close = sql.indexOf(match[0], k + match[0].length);
      if (close < 0) return k;
      k = close + match[0].length;
    } else k++;
  }
  return undefined;
}
