import * as pgQuery from 'libpg-query';
import type { Node } from 'libpg-query';

/**
 * The one door to libpg-query (PostgreSQL 18's own parser, compiled to WASM). Its synchronous
 * functions need the module loaded once: call `loadParser()` before anything else.
 */

let loading: Promise<void> | undefined;
let loaded = false;

export function loadParser(): Promise<void> {
  loading ??= pgQuery.loadModule().then(() => {
    loaded = true;
  });
  return loading;
}

export function isParserLoaded(): boolean {
  return loaded;
}

export interface ParseError {
  message: string;
  /** 0-based code point offset into the parsed text, when PostgreSQL gave one. */
  cursor?: number;
}

export type ParseOutcome = { ok: true; stmt: Node | undefined } | { ok: false; error: ParseError };

/** Parses one statement's text. Never throws. */
export function parseStatement(sql: string): ParseOutcome {
  if (!loaded) throw new Error('libpg-query is not loaded: await loadParser() first');
  let outcome: ParseOutcome;
  try {
    const result = pgQuery.parseSync(sql);
    outcome = { ok: true, stmt: result.stmts?.[0]?.stmt };
  } catch (error) {
    outcome = { ok: false, error: toParseError(error) };
  }
  // Every outcome gets the memo slot at birth, so that all have one shape (lookups stay fast).
  Object.defineProperty(outcome, MEMO, { value: undefined, writable: true, enumerable: false });
  return outcome;
}

/**
 * How many statements PostgreSQL's parser finds in `sql`, or undefined when it does not parse. Text
 * sent to a user's database is checked to be exactly one statement with this, whatever the splitter said.
 */
export function statementCount(sql: string): number | undefined {
  if (!loaded) throw new Error('libpg-query is not loaded: await loadParser() first');
  try {
    return pgQuery.parseSync(sql).stmts?.length ?? 0;
  } catch {
    return undefined;
  }
}

const MEMO = Symbol('pglens.parseMemo');
type WithMemo = { [MEMO]?: Map<symbol, unknown> };

/**
 * A value derived from a statement's text alone, computed once per parse. A parse outlives edits
 * that leave its statement's text alone (analyzeDocument reuses it), so rules keep here what they
 * would otherwise recompute over every statement at every keystroke. Not enumerable: the outcome
 * stays plain data to anything that compares or copies it.
 */
export function memoOnParse<T>(outcome: ParseOutcome, key: symbol, compute: () => T): T {
  const host = outcome as WithMemo;
  let memo = host[MEMO];
  if (!memo) {
    memo = new Map();
    if (MEMO in host) host[MEMO] = memo;
    else Object.defineProperty(host, MEMO, { value: memo, writable: true, enumerable: false });
  }
  if (memo.has(key)) return memo.get(key) as T;
  const value = compute();
  memo.set(key, value);
  return value;
}

/** Parses a CREATE FUNCTION or DO statement's PL/pgSQL body. Never throws. */
export function parsePlPgSql(sql: string): ParseError | undefined {
  try {
    pgQuery.parsePlPgSQLSync(sql);
    return undefined;
  } catch (error) {
    const problem = toParseError(error);
    // Without a catalog the PL/pgSQL parser takes a variable of a user-defined type (an enum, a domain)
    // for a row: "x is not a scalar variable" then says nothing about the body. PostgreSQL knows the type.
    return / is not a scalar variable$/.test(problem.message) ? undefined : problem;
  }
}

function toParseError(error: unknown): ParseError {
  if (pgQuery.hasSqlDetails(error)) {
    const cursor = error.sqlDetails?.cursorPosition;
    return { message: error.message, cursor: typeof cursor === 'number' && cursor >= 0 ? cursor : undefined };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: message || 'the parser failed on this statement' };
}
