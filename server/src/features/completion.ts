/**
 * Completion from the tokens before the cursor in the current statement (which rarely parses while
 * it is being typed), the relations the whole statement names, and the schema snapshot. Lists built
 * from the snapshot alone (its relations, functions, types) are built once per snapshot.
 */
import type { ColumnInfo, FunctionInfo, SchemaSnapshot, TypeInfo } from '../../../protocol/schema';
import type { DocumentAnalysis } from '../document/analyze';
import { statementBefore } from '../document/analyze';
import { objectKey } from '../schema/origins';
import { primeQuoting, quoteIdentIfNeeded } from '../sql/quote';
import { RESERVED_KEYWORD, identValue, isName, scanTokens, significant, word } from '../sql/tokens';
import type { Token } from '../sql/tokens';
import { snapshotIndex } from './snapshot-index';
import type { SnapshotIndex, SnapshotRelation } from './snapshot-index';
import { scopeFromTokens, scopeMatch } from './statement-names';
import type { QualifiedName, ScopeEntry } from './statement-names';

export type CompletionKind = 'schema' | 'table' | 'view' | 'column' | 'function' | 'type' | 'keyword';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  insertText?: string;
  sortText?: string;
}

/** `schema.name`, qualified only outside `public`. */
function reference(schema: string, name: string): string {
  return schema === 'public' ? quoteIdentIfNeeded(name) : `${quoteIdentIfNeeded(schema)}.${quoteIdentIfNeeded(name)}`;
}

/** An item whose insertText is left out when it equals the label. */
function item(label: string, kind: CompletionKind, insertText: string, sortText: string, detail?: string, documentation?: string): CompletionItem {
  const result: CompletionItem = { label, kind, sortText: `${sortText}${label}` };
  if (insertText !== label) result.insertText = insertText;
  if (detail !== undefined) result.detail = detail;
  if (documentation) result.documentation = documentation;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Items built once per snapshot

interface SnapshotItems {
  /** Tables and views (qualified outside `public`), then schemas. */
  relations: CompletionItem[];
  functions: CompletionItem[];
  types: CompletionItem[];
  /** Members of each schema, with bare names. */
  members: Map<string, { relations: CompletionItem[]; functions: CompletionItem[]; types: CompletionItem[] }>;
}

const itemCache = new WeakMap<SchemaSnapshot, SnapshotItems>();

function snapshotItems(snapshot: SchemaSnapshot, index: SnapshotIndex): SnapshotItems {
  const cached = itemCache.get(snapshot);
  if (cached) return cached;
  const names: string[] = [...index.searchPath];
  for (const relation of index.relations.values()) names.push(relation.info.name);
  for (const fn of snapshot.functions) names.push(fn.name);
  for (const type of snapshot.types) names.push(type.name);
  primeQuoting(names);

  const members: SnapshotItems['members'] = new Map();
  const member = (schema: string): NonNullable<ReturnType<SnapshotItems['members']['get']>> => {
    let entry = members.get(schema);
    if (!entry) members.set(schema, (entry = { relations: [], functions: [], types: [] }));
    return entry;
  };
  const relations: CompletionItem[] = [];
  for (const relation of index.relations.values()) {
    const { schema, name } = relation.info;
    const kind = relation.kind === 'table' ? 'table' : 'view';
    const detail = relationDetail(relation);
    const sort = schema === 'public' ? '1' : '2';
    relations.push(item(name, kind, reference(schema, name), sort, detail, relation.info.comment));
    member(schema).relations.push(item(name, kind, quoteIdentIfNeeded(name), '1', detail, relation.info.comment));
  }
  for (const schema of index.searchPath) {
    relations.push(item(schema, 'schema', quoteIdentIfNeeded(schema), '3', 'schema', index.schemas.get(schema)?.comment));
  }
  const functions: CompletionItem[] = [];
  for (const overloads of index.functions.values()) {
    const { schema, name } = overloads[0];
    const detail = signature(overloads[0]) + (overloads.length > 1 ? ` (+${overloads.length - 1} overloads)` : '');
    const documentation = overloads.map((fn) => signature(fn) + (fn.comment ? `\n${fn.comment}` : '')).join('\n\n');
    functions.push(item(name, 'function', reference(schema, name), '3', detail, documentation));
    member(schema).functions.push(item(name, 'function', quoteIdentIfNeeded(name), '2', detail, documentation));
  }
  const types: CompletionItem[] = BUILTIN_TYPES.map((name) => item(name, 'type', name, '2', 'built-in type'));
  for (const type of snapshot.types) {
    const detail = typeDetail(type);
    types.unshift(item(type.name, 'type', reference(type.schema, type.name), '1', detail, type.comment));
    member(type.schema).types.push(item(type.name, 'type', quoteIdentIfNeeded(type.name), '1', detail, type.comment));
  }
  const built = { relations, functions, types, members };
  itemCache.set(snapshot, built);
  return built;
}

function relationDetail(relation: SnapshotRelation): string {
  const name = `${relation.info.schema}.${relation.info.name}`;
  if (relation.kind === 'view') return `${relation.info.materialized ? 'materialized view' : 'view'} ${name}`;
  return `${relation.info.kind} ${name}`;
}

function signature(fn: FunctionInfo): string {
  return `${fn.name}(${fn.arguments})${fn.kind === 'procedure' ? '' : ` → ${fn.returns}`}`;
}

function typeDetail(type: TypeInfo): string {
  if (type.kind === 'enum') return `enum (${(type.values ?? []).join(', ')})`;
  if (type.kind === 'domain') return `domain over ${type.baseType ?? '?'}`;
  return `${type.kind} type`;
}

function columnItems(index: SnapshotIndex, relation: QualifiedName): CompletionItem[] {
  const found = findRelation(index, relation);
  if (!found) return [];
  return found.info.columns.map((column: ColumnInfo) =>
    item(column.name, 'column', quoteIdentIfNeeded(column.name), '0', `${column.type}${column.nullable ? '' : ' not null'} · ${found.info.name}`, column.comment),
  );
}

function findRelation(index: SnapshotIndex, name: QualifiedName): SnapshotRelation | undefined {
  const schema = index.catalog.schemaOf('relation', name);
  return schema === undefined ? undefined : index.relations.get(objectKey(schema, name.name));
}

// ---------------------------------------------------------------------------------------------
// Keywords

const BUILTIN_TYPES = [
  'bigint', 'bigserial', 'boolean', 'bytea', 'char', 'character varying', 'cidr', 'date', 'double precision', 'inet',
  'integer', 'interval', 'json', 'jsonb', 'macaddr', 'money', 'numeric', 'real', 'serial', 'smallint', 'text', 'time',
  'timestamp', 'timestamptz', 'timetz', 'tsquery', 'tsvector', 'uuid', 'varchar', 'xml',
]; // prettier-ignore

const STATEMENT_KEYWORDS = [
  'SELECT', 'INSERT INTO', 'UPDATE', 'DELETE FROM', 'WITH', 'CREATE TABLE', 'CREATE INDEX', 'CREATE UNIQUE INDEX',
  'CREATE VIEW', 'CREATE MATERIALIZED VIEW', 'CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION', 'CREATE TYPE', 'CREATE SCHEMA',
  'CREATE EXTENSION', 'CREATE TRIGGER', 'CREATE POLICY', 'CREATE SEQUENCE', 'ALTER TABLE', 'ALTER TYPE', 'DROP TABLE',
  'DROP INDEX', 'DROP VIEW', 'DROP FUNCTION', 'TRUNCATE', 'COMMENT ON', 'GRANT', 'REVOKE', 'BEGIN', 'COMMIT', 'ROLLBACK',
  'EXPLAIN', 'EXPLAIN ANALYZE', 'VACUUM', 'ANALYZE', 'SET', 'COPY', 'DO', 'MERGE INTO', 'REFRESH MATERIALIZED VIEW',
]; // prettier-ignore

const EXPRESSION_KEYWORDS = [
  'AND', 'OR', 'NOT', 'NULL', 'IS NULL', 'IS NOT NULL', 'IN', 'EXISTS', 'BETWEEN', 'LIKE', 'ILIKE', 'CASE', 'WHEN', 'THEN',
  'ELSE', 'END', 'TRUE', 'FALSE', 'DISTINCT', 'AS', 'CAST', 'COALESCE', 'FROM', 'WHERE', 'GROUP BY', 'ORDER BY', 'HAVING',
  'LIMIT', 'RETURNING',
]; // prettier-ignore

const AFTER_RELATION_KEYWORDS = [
  'AS', 'WHERE', 'JOIN', 'LEFT JOIN', 'INNER JOIN', 'CROSS JOIN', 'FULL JOIN', 'ON', 'USING', 'GROUP BY', 'ORDER BY',
  'HAVING', 'LIMIT', 'OFFSET', 'SET', 'VALUES', 'RETURNING', 'UNION',
]; // prettier-ignore

const COLUMN_DEFINITION_KEYWORDS = ['NOT NULL', 'NULL', 'DEFAULT', 'PRIMARY KEY', 'UNIQUE', 'REFERENCES', 'CHECK', 'GENERATED ALWAYS AS IDENTITY', 'GENERATED ALWAYS AS', 'COLLATE', 'CONSTRAINT'];

const ALTER_TABLE_KEYWORDS = ['ADD COLUMN', 'ALTER COLUMN', 'DROP COLUMN', 'RENAME COLUMN', 'RENAME TO', 'ADD CONSTRAINT', 'DROP CONSTRAINT', 'VALIDATE CONSTRAINT', 'ENABLE ROW LEVEL SECURITY', 'OWNER TO', 'SET SCHEMA'];

const TABLE_ELEMENT_KEYWORDS = ['CONSTRAINT', 'PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY', 'CHECK', 'EXCLUDE', 'LIKE'];

function keywords(list: readonly string[]): CompletionItem[] {
  return list.map((keyword) => ({ label: keyword, kind: 'keyword', sortText: `9${keyword}` }));
}

// ---------------------------------------------------------------------------------------------
// Context

type Opener =
  | { kind: 'statement' | 'params' | 'cast' | 'query' | 'expr' }
  | { kind: 'columns'; relation?: QualifiedName }
  | { kind: 'definitions'; relation?: QualifiedName };

interface Frame {
  opener: Opener;
  /** The last clause keyword seen at this depth. */
  clause: string;
  /** Index of the first token after the parenthesis. */
  start: number;
}

/** Words that, at the start of a clause, decide what may follow. */
const CLAUSES = new Set(['SELECT', 'FROM', 'JOIN', 'ON', 'WHERE', 'GROUP', 'ORDER', 'HAVING', 'SET', 'RETURNING', 'VALUES', 'USING', 'LIMIT', 'OFFSET', 'WINDOW', 'INTO', 'UPDATE', 'UNION', 'INTERSECT', 'EXCEPT']);

/** Words that may stand between CREATE and TABLE/VIEW/INDEX, or before a new object's name. */
const CREATE_PREFIX = new Set(['CREATE', 'OR', 'REPLACE', 'TEMP', 'TEMPORARY', 'UNLOGGED', 'GLOBAL', 'LOCAL', 'TABLE', 'VIEW', 'MATERIALIZED', 'RECURSIVE', 'IF', 'NOT', 'EXISTS']);

class Context {
  readonly frames: Frame[] = [{ opener: { kind: 'statement' }, clause: '', start: 0 }];

  constructor(
    /** Significant tokens before the word being completed. */
    readonly tokens: readonly Token[],
    /** The relations the whole statement names. */
    readonly scope: readonly ScopeEntry[],
    /** The table a CREATE/ALTER TABLE or CREATE INDEX is about. */
    readonly target: QualifiedName | undefined,
  ) {
    tokens.forEach((token, k) => {
      const top = this.frames[this.frames.length - 1];
      if (token.text === '(') this.frames.push({ opener: this.openerAt(k), clause: '', start: k + 1 });
      else if (token.text === ')') {
        if (this.frames.length > 1) this.frames.pop();
      } else if (CLAUSES.has(word(token))) top.clause = word(token);
    });
  }

  get top(): Frame {
    return this.frames[this.frames.length - 1];
  }

  get first(): string {
    return word(this.tokens[0]);
  }

  /** Upper-cased keyword of token `k`. */
  w(k: number): string {
    return word(this.tokens[k]);
  }

  /** Index of the first token of the dotted name ending at `end` (inclusive). */
  chainStart(end: number): number {
    let k = end;
    while (k >= 2 && this.tokens[k - 1].text === '.' && isName(this.tokens[k - 2])) k -= 2;
    return k;
  }

  chainName(from: number, to: number): QualifiedName {
    const parts: string[] = [];
    for (let k = from; k <= to; k += 2) parts.push(identValue(this.tokens[k].text));
    return parts.length > 1 ? { schema: parts[parts.length - 2], name: parts[parts.length - 1] } : { name: parts[0] };
  }

  private openerAt(paren: number): Opener {
    let before = paren - 1;
    if (this.w(before - 1) === 'USING' && isName(this.tokens[before])) before -= 2; // CREATE INDEX … ON t USING gin (
    const previous = this.w(paren - 1);
    if (isName(this.tokens[before]) && this.tokens[before].keyword !== RESERVED_KEYWORD) {
      const start = this.chainStart(before);
      const relation = this.chainName(start, before);
      const lead = this.w(start - 1);
      if (lead === 'INTO' || lead === 'REFERENCES' || (lead === 'ON' && this.tokens.slice(0, start).some((token) => word(token) === 'INDEX'))) return { kind: 'columns', relation };
      if (this.first === 'CREATE' && this.tokens.slice(0, start).every((token) => CREATE_PREFIX.has(word(token))) && this.tokens.slice(0, start).some((token) => word(token) === 'TABLE')) {
        return { kind: 'definitions', relation };
      }
      if (lead === 'FUNCTION' || lead === 'PROCEDURE') return { kind: 'params' };
    }
    if (previous === 'KEY' || previous === 'UNIQUE' || previous === 'INCLUDE') return { kind: 'columns', relation: this.target };
    if (previous === 'CAST') return { kind: 'cast' };
    if (previous === 'AS') return this.first === 'CREATE' && this.w(1) === 'TYPE' ? { kind: 'definitions' } : { kind: 'query' };
    return { kind: 'expr' };
  }

  /** Tokens at the current depth since the last `(` or `,`. */
  sinceSeparator(): number {
    let k = this.tokens.length;
    let depth = 0;
    while (k > this.top.start) {
      const text = this.tokens[k - 1].text;
      if (text === ')') depth++;
      else if (text === '(') depth--;
      else if (text === ',' && depth === 0) break;
      k--;
    }
    return this.tokens.length - k;
  }

  /** Is token `k`'s end a place for a relation name (a table or view)? */
  relationAt(k: number): boolean | 'new' {
    const previous = this.w(k - 1);
    if (/^(TABLE|VIEW|EXISTS)$/.test(previous) && this.first === 'CREATE' && this.tokens.slice(0, k).every((token) => CREATE_PREFIX.has(word(token)))) return 'new';
    if (/^(FROM|JOIN|INTO|UPDATE|TABLE|REFERENCES|TRUNCATE|ONLY|VIEW|COPY)$/.test(previous)) return true;
    if (previous === 'EXISTS' && /^(TABLE|VIEW)$/.test(this.w(k - 3))) return true;
    if (previous === 'USING' && this.first === 'DELETE') return true;
    if (previous === 'ON' && /^(CREATE|GRANT|REVOKE)$/.test(this.first) && this.frames.length === 1) return true;
    if ((previous === 'ANALYZE' || previous === 'VACUUM') && k === 1) return true;
    return this.tokens[k - 1]?.text === ',' && this.top.clause === 'FROM';
  }

  /** Is token `k`'s end a place for a type name? */
  typeAt(k: number): boolean | 'new' {
    const previous = this.w(k - 1);
    const token = this.tokens[k - 1];
    if (token?.text === '::') return true;
    if (previous === 'TYPE') return this.w(k - 2) === 'CREATE' ? 'new' : true;
    if (previous === 'RETURNS' || previous === 'SETOF') return true;
    if (previous === 'AS' && this.first === 'CREATE' && this.w(1) === 'DOMAIN') return true;
    if (previous === 'AS' && this.top.opener.kind === 'cast') return true;
    // ALTER TABLE … ADD [COLUMN] [IF NOT EXISTS] name |
    if (this.first === 'ALTER' && isName(token) && token.keyword !== RESERVED_KEYWORD) {
      const lead = this.w(k - 2) === 'EXISTS' && this.w(k - 3) === 'NOT' && this.w(k - 4) === 'IF' ? k - 5 : k - 2;
      if (this.w(lead) === 'ADD' || (this.w(lead) === 'COLUMN' && this.w(lead - 1) === 'ADD')) return true;
    }
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Completion

/**
 * Completions at `offset` (UTF-16, in `analysis.text`), unfiltered by the word being typed (the editor
 * filters). Items built from the snapshot are shared between calls: treat them as read-only.
 */
export function completionsAt(analysis: DocumentAnalysis, offset: number, snapshot: SchemaSnapshot): CompletionItem[] {
  const { prefix, statementSql } = currentStatement(analysis, offset);
  const all = scanTokens(prefix);
  const last = all[all.length - 1];
  let before = all;
  if (last && last.end >= prefix.length) {
    if (last.kind === 'comment' && (last.open || last.text.startsWith('--'))) return [];
    if (last.kind === 'string' || last.kind === 'number' || last.kind === 'param') return [];
    if (isName(last)) before = all.slice(0, -1);
  }
  const tokens = significant(before);
  if (tokens.length === 0) return keywords(STATEMENT_KEYWORDS);

  const index = snapshotIndex(snapshot);
  const items = snapshotItems(snapshot, index);
  const fullTokens = significant(scanTokens(statementSql));
  const scope = scopeFromTokens(fullTokens);
  const context = new Context(tokens, scope, mainTarget(fullTokens));
  const n = tokens.length;
  const top = context.top;

  if (top.opener.kind === 'query' && top.start === n) return keywords(['SELECT', 'INSERT INTO', 'UPDATE', 'DELETE FROM', 'VALUES', 'WITH']);
  if (tokens[n - 1].text === '.') return qualified(context, index, items);

  const type = context.typeAt(n);
  if (type === 'new') return [];
  if (type) return [...items.types];
  const relation = context.relationAt(n);
  if (relation === 'new') return [];
  if (relation) return [...items.relations];

  if (top.opener.kind === 'columns') return top.opener.relation ? columnItems(index, top.opener.relation) : [];
  if (top.opener.kind === 'definitions') {
    const since = context.sinceSeparator();
    if (since === 0) return keywords(TABLE_ELEMENT_KEYWORDS);
    if (since === 1 && tokens[n - 1].keyword !== RESERVED_KEYWORD) return [...items.types];
    return keywords(COLUMN_DEFINITION_KEYWORDS);
  }
  if (top.opener.kind === 'params') return context.sinceSeparator() <= 2 ? [...items.types] : [];

  const previous = context.w(n - 1);
  // ALTER TABLE t ALTER|DROP|RENAME [COLUMN] [IF EXISTS] |
  if (context.first === 'ALTER' && context.target) {
    const lead = previous === 'EXISTS' && context.w(n - 2) === 'IF' ? n - 3 : n - 1;
    const verb = context.w(lead) === 'COLUMN' ? context.w(lead - 1) : context.w(lead);
    if (verb === 'ALTER' || verb === 'DROP' || verb === 'RENAME') {
      const columns = columnItems(index, context.target);
      return context.w(lead) === 'COLUMN' ? columns : [...columns, ...keywords(['COLUMN', 'CONSTRAINT'])];
    }
    if (verb === 'ADD') return context.w(lead) === 'COLUMN' ? [] : keywords(['COLUMN', 'CONSTRAINT', 'PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY', 'CHECK']);
    if (context.w(1) === 'TABLE' && tokens.slice(2).every((token) => token.text === '.' || isName(token))) return keywords(ALTER_TABLE_KEYWORDS);
  }
  // UPDATE t SET col = …, col = …: the column being assigned.
  if (context.first === 'UPDATE' && top.clause === 'SET' && context.frames.length === 1 && (previous === 'SET' || tokens[n - 1].text === ',')) {
    return scope[0] ? columnItems(index, scope[0]) : [];
  }
  // After a relation (and its alias) in FROM or JOIN, or a table name elsewhere: clause keywords.
  if ((top.clause === 'FROM' || top.clause === 'JOIN' || top.clause === 'UPDATE' || top.clause === 'INTO') && (isName(tokens[n - 1]) || tokens[n - 1].text === ')')) {
    return keywords(AFTER_RELATION_KEYWORDS);
  }
  return [...scopeColumns(index, scope), ...items.functions, ...keywords(EXPRESSION_KEYWORDS)];
}

/** The text of the current statement up to the cursor, and the whole statement's text. */
function currentStatement(analysis: DocumentAnalysis, offset: number): { prefix: string; statementSql: string } {
  const segment = statementBefore(analysis, offset)?.segment;
  if (!segment) return { prefix: '', statementSql: '' };
  if (offset <= segment.end && !(offset === segment.end && segment.sql.endsWith(';'))) {
    return { prefix: segment.sql.slice(0, offset - segment.start), statementSql: segment.sql };
  }
  // Past the statement's last token: still in it while only blanks and comments follow it (no `;`).
  const gap = analysis.text.slice(segment.end, offset);
  if (segment.sql.endsWith(';') || gap.includes(';')) return { prefix: '', statementSql: '' };
  return { prefix: segment.sql + gap, statementSql: segment.sql };
}

/** After `x.` or `x.y.`: columns of the relation x (an alias or a table), or the members of schema x. */
function qualified(context: Context, index: SnapshotIndex, items: SnapshotItems): CompletionItem[] {
  const { tokens } = context;
  const dot = tokens.length - 1;
  if (!isName(tokens[dot - 1])) return [];
  const start = context.chainStart(dot - 1);
  const name = context.chainName(start, dot - 1);
  const members = name.schema === undefined ? items.members.get(name.name) : undefined;
  if (context.relationAt(start)) return [...(members?.relations ?? [])];
  if (context.typeAt(start)) return [...(members?.types ?? [])];
  if (name.schema !== undefined) return columnItems(index, name);
  const byAlias = context.scope.some((entry) => entry.alias === name.name || entry.name === name.name);
  const columns = byAlias ? scopeMatch(context.scope, name.name).flatMap((relation) => columnItems(index, relation)) : [];
  if (columns.length > 0) return columns;
  if (members) return [...members.relations, ...members.functions];
  return columnItems(index, name);
}

/** Columns of every relation the statement names, each once. */
function scopeColumns(index: SnapshotIndex, scope: readonly ScopeEntry[]): CompletionItem[] {
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const entry of scope) {
    const key = objectKey(entry.schema ?? '', entry.name);
    if (seen.has(key)) continue;
    seen.add(key);
    items.push(...columnItems(index, entry));
  }
  return items;
}

/** The table of CREATE TABLE, ALTER TABLE or CREATE INDEX … ON. */
function mainTarget(tokens: readonly Token[]): QualifiedName | undefined {
  const first = word(tokens[0]);
  if (first !== 'CREATE' && first !== 'ALTER') return undefined;
  const isIndex = tokens.some((token) => word(token) === 'INDEX');
  let k = tokens.findIndex((token) => word(token) === (isIndex && first === 'CREATE' ? 'ON' : 'TABLE'));
  if (k < 0) return undefined;
  k++;
  while (/^(IF|NOT|EXISTS|ONLY)$/.test(word(tokens[k]))) k++;
  if (!isName(tokens[k])) return undefined;
  const parts = [identValue(tokens[k].text)];
  while (tokens[k + 1]?.text === '.' && isName(tokens[k + 2])) {
    parts.push(identValue(tokens[k + 2].text));
    k += 2;
  }
  return parts.length > 1 ? { schema: parts[parts.length - 2], name: parts[parts.length - 1] } : { name: parts[0] };
}
