import type { Node } from 'libpg-query';
import { asArray, findOption, stringValue, unwrap } from './ast';
import { parsePlPgSql } from './parser';

/** A PL/pgSQL error placed inside the statement: offsets are UTF-16, relative to the statement text. */
export interface PlPgSqlProblem {
  message: string;
  start: number;
  end: number;
}

interface Body {
  text: string;
  /** Offset of the body's first character in the statement, or -1 when it cannot be found verbatim. */
  offset: number;
}

/**
 * Checks the PL/pgSQL body of a CREATE FUNCTION/PROCEDURE … LANGUAGE plpgsql or a DO block, as
 * PostgreSQL's validator does at creation time. libpg-query reports no position for these errors,
 * so the error is placed on the first whole-word occurrence in the body of the token or name the
 * message quotes, else on the body's first line.
 */
export function checkPlPgSql(stmt: Node | undefined, sql: string): PlPgSqlProblem | undefined {
  const body = plpgsqlBody(stmt, sql);
  if (!body) return undefined;
  const error = parsePlPgSql(sql);
  if (!error) return undefined;
  const message = error.message.replace(/^PL\/pgSQL:\s*/, '');
  if (body.offset < 0) return { message, start: 0, end: firstLineEnd(sql, 0) };

  const quoted = /"([^"]*)"/.exec(message)?.[1];
  const local = quoted ? findWord(body.text, quoted) : -1;
  if (local >= 0) return { message, start: body.offset + local, end: body.offset + local + quoted!.length };
  if (/at end of input/.test(message)) {
    const lastToken = body.text.trimEnd().length;
    return { message, start: body.offset + Math.max(0, lastToken - 1), end: body.offset + lastToken };
  }
  const first = body.text.search(/\S/);
  const start = body.offset + Math.max(0, first);
  return { message, start, end: firstLineEnd(sql, start) };
}

function plpgsqlBody(stmt: Node | undefined, sql: string): Body | undefined {
  const unwrapped = unwrap(stmt);
  if (!unwrapped) return undefined;
  const [type, fields] = unwrapped;
  let language: string | undefined;
  let bodyNode: unknown;
  if (type === 'CreateFunctionStmt') {
    language = stringValue(findOption(fields.options, 'language')?.arg)?.toLowerCase();
    const as = findOption(fields.options, 'as')?.arg;
    const list = unwrap(as);
    bodyNode = list?.[0] === 'List' ? asArray(list[1].items)[0] : undefined;
  } else if (type === 'DoStmt') {
    language = stringValue(findOption(fields.args, 'language')?.arg)?.toLowerCase() ?? 'plpgsql';
    bodyNode = findOption(fields.args, 'as')?.arg;
  }
  if (language !== 'plpgsql') return undefined;
  const text = stringValue(bodyNode);
  if (text === undefined) return undefined;
  return { text, offset: sql.indexOf(text) };
}

function findWord(haystack: string, word: string): number {
  if (!word) return -1;
  const lowerHaystack = haystack.toLowerCase();
  const lowerWord = word.toLowerCase();
  let from = 0;
  for (;;) {
    const index = lowerHaystack.indexOf(lowerWord, from);
    if (index < 0) return -1;
    const before = index === 0 ? '' : haystack[index - 1];
    const after = haystack[index + word.length] ?? '';
    const wordChar = /[\p{L}\p{N}_$]/u;
    const startsWord = /^[\p{L}\p{N}_$]/u.test(word);
    const endsWord = /[\p{L}\p{N}_$]$/u.test(word);
    if ((!startsWord || !wordChar.test(before)) && (!endsWord || !wordChar.test(after))) return index;
    from = index + 1;
  }
}

function firstLineEnd(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline < 0 ? text.length : newline;
}
