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
  try {
    const result = pgQuery.parseSync(sql);
    return { ok: true, stmt: result.stmts?.[0]?.stmt };
  } catch (error) {
    return { ok: false, error: toParseError(error) };
  }
}

/** Parses a CREATE FUNCTION or DO statement's PL/pgSQL body. Never throws. */
export function parsePlPgSql(sql: string): ParseError | undefined {
  try {
    pgQuery.parsePlPgSQLSync(sql);
    return undefined;
  } catch (error) {
    return toParseError(error);
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
