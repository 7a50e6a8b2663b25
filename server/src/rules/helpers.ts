import type { AnalyzedStatement } from '../document/analyze';
import type { MigrationTool } from '../migrations/discover';
import { asArray, rangeVarName, unwrap } from '../sql/ast';
import type { Fields } from '../sql/ast';
import { scanTokens, significant } from '../sql/tokens';
import type { Token } from '../sql/tokens';
import { utf8ByteToUtf16 } from '../text/offsets';
import type { TextEdit } from './types';

/** Tools for rule files: spans in document offsets from parse-tree locations and tokens. */

/** `schema.name` with `public` for a bare name (migrations are assumed to run with the default search_path). */
export function tableKey(name: string): string {
  return name.includes('.') ? name : `public.${name}`;
}

export interface Span {
  start: number;
  end: number;
}

/** Scans by statement text (most statements do not change between two edits), at most this many kept. */
const scanned = new Map<string, Token[]>();
const SCAN_CACHE_SIZE = 5000;
/** Shifted tokens kept on the statement itself (a WeakMap of thousands of statements per edit made GC the bottleneck). */
const TOKENS = Symbol('pglens.tokens');
type WithTokens = AnalyzedStatement & { [TOKENS]?: Token[] };

/** The statement's tokens (no comments), with document offsets. Scanned once per statement text. */
export function tokensOf(statement: AnalyzedStatement): Token[] {
  const known = (statement as WithTokens)[TOKENS];
  if (known) return known;
  let tokens = scanned.get(statement.segment.sql);
  if (!tokens) {
    tokens = significant(scanTokens(statement.segment.sql));
    if (scanned.size >= SCAN_CACHE_SIZE) scanned.delete(scanned.keys().next().value as string);
    scanned.set(statement.segment.sql, tokens);
  }
  const offset = statement.segment.start;
  const result = tokens.map((token) => ({ ...token, start: token.start + offset, end: token.end + offset }));
  // Not enumerable: a statement reused by the next analysis is copied with `{ ...statement }`, and its offsets may move.
  Object.defineProperty(statement, TOKENS, { value: result, enumerable: false });
  return result;
}

/** The whole statement, without its `;`. */
export function statementSpan(statement: AnalyzedStatement): Span {
  const { start, end, sql } = statement.segment;
  return { start, end: sql.endsWith(';') ? end - 1 : end };
}

/** The token at a parse-tree `location` (UTF-8 bytes into the statement), else the statement's first line. */
export function spanAt(statement: AnalyzedStatement, location: unknown): Span {
  if (typeof location !== 'number') return firstLine(statement);
  const offset = statement.segment.start + utf8ByteToUtf16(statement.segment.sql, location);
  const token = tokensOf(statement).find((candidate) => candidate.start <= offset && offset < candidate.end);
  return token ? { start: token.start, end: token.end } : { start: offset, end: offset + 1 };
}

/** From a parse-tree `location` to the end of the dotted name that starts there (`public.users`). */
export function nameSpanAt(statement: AnalyzedStatement, location: unknown): Span {
  const span = spanAt(statement, location);
  const tokens = tokensOf(statement);
  let index = tokens.findIndex((token) => token.start === span.start);
  if (index < 0) return span;
  while (tokens[index + 1]?.text === '.' && tokens[index + 2]) index += 2;
  return { start: span.start, end: tokens[index].end };
}

/** The first run of tokens spelling `words` (case-insensitive), e.g. `['ADD', 'COLUMN']`. */
export function keywordsSpan(statement: AnalyzedStatement, words: string[]): Span | undefined {
  const tokens = tokensOf(statement);
  const wanted = words.map((word) => word.toLowerCase());
  for (let i = 0; i + wanted.length <= tokens.length; i++) {
    if (wanted.every((word, k) => tokens[i + k].text.toLowerCase() === word)) return { start: tokens[i].start, end: tokens[i + wanted.length - 1].end };
  }
  return undefined;
}

export function firstLine(statement: AnalyzedStatement): Span {
  const newline = statement.segment.sql.search(/\r?\n/);
  return { start: statement.segment.start, end: statement.segment.start + (newline < 0 ? statementSpan(statement).end - statement.segment.start : newline) };
}

/** An edit inserting `text` right after the token at `after` (a span end). */
export function insertAt(offset: number, text: string): TextEdit {
  return { start: offset, end: offset, newText: text };
}

/** An edit inserting a line before the statement's line, with the statement's indentation. */
export function insertLineBefore(documentText: string, statement: AnalyzedStatement, line: string): TextEdit {
  const lineStart = documentText.lastIndexOf('\n', statement.segment.start - 1) + 1;
  const indent = /^[ \t]*/.exec(documentText.slice(lineStart))?.[0] ?? '';
  return { start: lineStart, end: lineStart, newText: `${indent}${line}\n` };
}

/**
 * Edits that make a migration file run outside a transaction, in its tool's own way; undefined when
 * the tool has no such switch (the user must split the migration). The document's text is read only
 * for the tools that mark it (pass a function: a rule that reads the document is re-run at every edit).
 */
export function nonTransactionalEdits(tool: MigrationTool | undefined, document: string | (() => string)): TextEdit[] | undefined {
  const text = (): string => (typeof document === 'string' ? document : document());
  switch (tool) {
    case 'dbmate': {
      const marker = /^--\s*migrate:up\b[^\n]*/m.exec(text());
      if (!marker) return undefined;
      if (/transaction:false/.test(marker[0])) return [];
      const end = (marker.index ?? 0) + marker[0].length;
      return [{ start: end, end, newText: ' transaction:false' }];
    }
    case 'goose':
      if (/^--\s*\+goose NO TRANSACTION/im.test(text())) return [];
      return [{ start: 0, end: 0, newText: '-- +goose NO TRANSACTION\n' }];
    case undefined:
    case 'plain':
    case 'prisma':
    case 'sqitch':
      return [];
    default:
      return undefined;
  }
}

/** The tokens of each ALTER TABLE command after the table name, split at top-level commas (in the order of `cmds`). */
export function commandTokens(statement: AnalyzedStatement, relation: unknown): Token[][] {
  const tokens = tokensOf(statement);
  let index = tokens.findIndex((token) => token.byte === (relation as Fields | undefined)?.location);
  if (index < 0) return [];
  while (tokens[index + 1]?.text === '.' && tokens[index + 2]) index += 2;
  const commands: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens.slice(index + 1)) {
    if (token.text === ';') break;
    if (token.text === '(' || token.text === '[') depth++;
    if (token.text === ')' || token.text === ']') depth--;
    if (token.text === ',' && depth === 0) commands.push([]);
    else commands[commands.length - 1].push(token);
  }
  return commands.filter((command) => command.length > 0);
}

export function isNullConstant(expression: unknown): boolean {
  let node = unwrap(expression);
  while (node?.[0] === 'TypeCast') node = unwrap(node[1].arg);
  return node?.[0] === 'A_Const' && node[1].isnull === true;
}

/** Byte locations where a column definition's clauses (constraints, COLLATE) start. */
export function clauseBounds(constraints: Fields[], def: Fields): number[] {
  const collation = (def.collClause as Fields | undefined)?.location;
  return [...constraints.map((constraint) => constraint.location), collation].filter((location): location is number => typeof location === 'number');
}

/** The tokens of the clause that starts at `location`: up to the next clause or the end of the command. */
export function clauseTokens(tokens: Token[], location: unknown, bounds: number[]): Token[] | undefined {
  if (typeof location !== 'number') return undefined;
  const first = tokens.findIndex((token) => token.byte === location);
  if (first < 0) return undefined;
  const next = Math.min(...bounds.filter((bound) => bound > location), Infinity);
  return tokens.slice(first).filter((token) => token.byte < next);
}

/** Columns added to `table` by the file's earlier statements: no running code knows them yet. */
export function columnsAddedBefore(statements: AnalyzedStatement[], table: string): Set<string> {
  const columns = new Set<string>();
  for (const statement of statements) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (unwrapped?.[0] !== 'AlterTableStmt' || tableKey(rangeVarName(unwrapped[1].relation) ?? '') !== tableKey(table)) continue;
    for (const command of asArray(unwrapped[1].cmds)) {
      const cmd = unwrap(command)?.[1] ?? {};
      const column = cmd.subtype === 'AT_AddColumn' ? unwrap(cmd.def)?.[1] : undefined;
      if (typeof column?.colname === 'string') columns.add(column.colname);
    }
  }
  return columns;
}
