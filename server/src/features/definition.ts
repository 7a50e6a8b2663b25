/**
 * What the identifier under the cursor designates, shared by go-to-definition, hover and completion,
 * and `definitionAt`, which answers with where the migrations created it.
 *
 * Tokens come from PostgreSQL's own scanner (libpg-query `scanSync`) run on one statement's text, so
 * quoting, comments and dollar quotes are read as the server reads them; nothing here scans the whole
 * document. The scanner and parse-tree locations are UTF-8 byte offsets into the statement; tokens
 * carry both those and UTF-16 offsets, converted in one pass per scan.
 */
import type { Node } from 'libpg-query';
import type { FunctionInfo, IndexInfo, SchemaInfo, SchemaSnapshot, TableInfo, TypeInfo, ViewInfo } from '../../../protocol/schema';
import type { AnalyzedStatement, DocumentAnalysis } from '../document/analyze';
import { objectKey } from '../schema/origins';
import type { ObjectOrigin, ObjectOrigins, Origin } from '../schema/origins';
import { asArray, stringValue, unwrap } from '../sql/ast';
import type { Fields } from '../sql/ast';
import { RESERVED_KEYWORD, identValue, isName, scanTokens, significant, word } from '../sql/tokens';
import type { Token } from '../sql/tokens';


// ---------------------------------------------------------------------------------------------
// Statements and names under the cursor

/** The last statement that starts at or before `offset`, by binary search. */
export function statementBefore(analysis: DocumentAnalysis, offset: number): AnalyzedStatement | undefined {
  const statements = analysis.statements;
  let low = 0;
  let high = statements.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (statements[mid].segment.start <= offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return statements[found];
}

/** The statement whose text holds `offset` (its end included). */
export function statementAt(analysis: DocumentAnalysis, offset: number): AnalyzedStatement | undefined {
  const statement = statementBefore(analysis, offset);
  return statement && offset <= statement.segment.end ? statement : undefined;
}

/** A dotted name (`schema.table.column`), and which of its parts holds the cursor. */
export interface NameChain {
  tokens: Token[];
  parts: string[];
  index: number;
}

/** The dotted name around the name token at `offset` (offset relative to the scanned text). */
export function chainAt(tokens: readonly Token[], offset: number): NameChain | undefined {
  let at = -1;
  for (let k = 0; k < tokens.length && tokens[k].start <= offset; k++) {
    if (offset <= tokens[k].end && isName(tokens[k])) at = k;
  }
  if (at < 0) return undefined;
  let first = at;
  while (first >= 2 && tokens[first - 1].text === '.' && isName(tokens[first - 2])) first -= 2;
  let last = at;
  while (last + 2 < tokens.length && tokens[last + 1].text === '.' && isName(tokens[last + 2])) last += 2;
  const chain: Token[] = [];
  for (let k = first; k <= last; k += 2) chain.push(tokens[k]);
  return { tokens: chain, parts: chain.map((token) => identValue(token.text)), index: (at - first) / 2 };
}

export interface QualifiedName {
  schema?: string;
  name: string;
}

/** A relation a statement reads or writes, with the alias it goes by there. */
export interface ScopeEntry extends QualifiedName {
  alias?: string;
}

/** What a name designates, before looking it up. */
export type NameTarget =
  | { kind: 'schema'; schema: string }
  | { kind: 'relation' | 'index' | 'function' | 'type'; name: QualifiedName }
  | { kind: 'column'; column: string; candidates: QualifiedName[] }
  | { kind: 'unknown'; parts: string[]; index: number; scope: ScopeEntry[] };

export interface TargetAt {
  target: NameTarget;
  /** UTF-16 document offsets of the name part under the cursor. */
  start: number;
  end: number;
}

/**
 * The name under the cursor and its role in the statement, read from the statement's parse tree
 * (nodes whose `location` is where the dotted name starts; names the tree keeps without a location,
 * such as index columns or aliases, by value), or from tokens alone when the statement does not parse.
 */
export function targetAt(analysis: DocumentAnalysis, offset: number): TargetAt | undefined {
  const statement = statementAt(analysis, offset);
  if (!statement) return undefined;
  const base = statement.segment.start;
  const tokens = significant(scanTokens(statement.segment.sql));
  const chain = chainAt(tokens, offset - base);
  if (!chain) return undefined;
  const token = chain.tokens[chain.index];
  const span = { start: base + token.start, end: base + token.end };
  const tree = statement.outcome.ok && statement.outcome.stmt ? collectNames(statement.outcome.stmt) : undefined;
  const site = tree?.sites.get(chain.tokens[0].byte);
  const fromSite = site && tree ? siteTarget(site, chain, tree.scope) : undefined;
  if (fromSite) return { target: fromSite, ...span };
  if (site?.kind === 'relation' && site.role === 'cte') return undefined;
  if (chain.parts.length === 1 && tree) {
    const named = tree.named.find((entry) => entry.name === chain.parts[0]);
    if (named) return { target: named.target, ...span };
  }
  if (chain.parts.length === 1 && token.kind === 'keyword' && token.keyword === RESERVED_KEYWORD) return undefined;
  const scope = tree?.scope ?? scopeFromTokens(tokens);
  return { target: { kind: 'unknown', parts: chain.parts, index: chain.index, scope }, ...span };
}

type Site =
  | { kind: 'relation'; parts: string[]; role: 'relation' | 'index' | 'cte' }
  | { kind: 'column-ref'; fields: string[] }
  | { kind: 'function' | 'type'; parts: string[] }
  | { kind: 'column'; name: string; relation?: QualifiedName };

interface TreeNames {
  /** Name-bearing nodes by the byte offset where their name starts. */
  sites: Map<number, Site>;
  /** Names the tree holds without a location, in tree order. */
  named: Array<{ name: string; target: NameTarget }>;
  /** Relations of the statement, in tree order. */
  scope: ScopeEntry[];
}

function siteTarget(site: Site, chain: NameChain, scope: ScopeEntry[]): NameTarget | undefined {
  const fromEnd = chain.parts.length - 1 - chain.index;
  switch (site.kind) {
    case 'relation':
      if (fromEnd === 1) return { kind: 'schema', schema: chain.parts[chain.index] };
      if (fromEnd > 1 || site.role === 'cte') return undefined;
      return { kind: site.role, name: nameOf(site.parts) };
    case 'function':
    case 'type':
      if (fromEnd === 1) return { kind: 'schema', schema: chain.parts[chain.index] };
      return fromEnd === 0 ? { kind: site.kind, name: nameOf(site.parts) } : undefined;
    case 'column':
      return { kind: 'column', column: site.name, candidates: site.relation ? [site.relation] : scope };
    case 'column-ref':
      return columnRefTarget(site.fields, chain.index, scope);
  }
}

/** `col`, `alias.col`, `table.col`, `schema.table.col`, with the cursor on part `index`. */
function columnRefTarget(fields: string[], index: number, scope: ScopeEntry[]): NameTarget | undefined {
  const n = fields.length;
  if (fields[index] === '*' || index >= n) return undefined;
  if (index === n - 1) {
    if (n === 1) return { kind: 'column', column: fields[0], candidates: scope };
    if (n === 2) return { kind: 'column', column: fields[1], candidates: scopeMatch(scope, fields[0]) };
    return { kind: 'column', column: fields[n - 1], candidates: [{ schema: fields[n - 3], name: fields[n - 2] }] };
  }
  if (index === n - 2) return { kind: 'relation', name: n === 2 ? scopeMatch(scope, fields[0])[0] : { schema: fields[n - 3], name: fields[n - 2] } };
  return { kind: 'schema', schema: fields[index] };
}

/** The relations `qualifier` (an alias, or a table's own name) stands for in a statement. */
export function scopeMatch(scope: readonly ScopeEntry[], qualifier: string): QualifiedName[] {
  const byAlias = scope.filter((entry) => entry.alias === qualifier);
  if (byAlias.length > 0) return byAlias.map(({ schema, name }) => ({ schema, name }));
  const byName = scope.filter((entry) => entry.name === qualifier);
  if (byName.length > 0) return byName.map(({ schema, name }) => ({ schema, name }));
  return [{ name: qualifier }];
}

function nameOf(parts: readonly string[]): QualifiedName {
  const name = parts[parts.length - 1];
  return parts.length > 1 ? { schema: parts[parts.length - 2], name } : { name };
}

function stringsOf(list: unknown): string[] {
  return asArray(list).map((item) => stringValue(item) ?? '*');
}

function relationOf(rangeVar: unknown): QualifiedName | undefined {
  const fields = rangeVar as Fields | undefined;
  if (!fields || typeof fields.relname !== 'string') return undefined;
  return typeof fields.schemaname === 'string' ? { schema: fields.schemaname, name: fields.relname } : { name: fields.relname };
}

/** ALTER TABLE sub-commands whose `name` is a column. */
const COLUMN_COMMANDS = new Set([
  'AT_AlterColumnType',
  'AT_ColumnDefault',
  'AT_CookedColumnDefault',
  'AT_DropNotNull',
  'AT_SetNotNull',
  'AT_SetExpression',
  'AT_DropExpression',
  'AT_SetStatistics',
  'AT_SetOptions',
  'AT_ResetOptions',
  'AT_SetStorage',
  'AT_SetCompression',
  'AT_DropColumn',
  'AT_AddIdentity',
  'AT_SetIdentity',
  'AT_DropIdentity',
  'AT_AlterColumnGenericOptions',
]);

function collectNames(stmt: Node): TreeNames {
  const out: TreeNames = { sites: new Map(), named: [], scope: [] };
  const ctes = new Set<string>();
  findCtes(stmt, ctes);
  const site = (location: unknown, entry: Site): void => {
    if (typeof location === 'number' && !out.sites.has(location)) out.sites.set(location, entry);
  };
  const column = (name: unknown, relation: QualifiedName | undefined): void => {
    if (typeof name === 'string') out.named.push({ name, target: { kind: 'column', column: name, candidates: relation ? [relation] : out.scope } });
  };
  const rangeVar = (value: unknown, role: 'relation' | 'index' = 'relation'): QualifiedName | undefined => {
    const relation = relationOf(value);
    if (!relation) return undefined;
    const fields = value as Fields;
    const cte = relation.schema === undefined && ctes.has(relation.name);
    site(fields.location, { kind: 'relation', parts: relation.schema ? [relation.schema, relation.name] : [relation.name], role: cte ? 'cte' : role });
    if (cte || role !== 'relation') return relation;
    const alias = (fields.alias as Fields | undefined)?.aliasname;
    out.scope.push(typeof alias === 'string' ? { ...relation, alias } : relation);
    if (typeof alias === 'string') out.named.push({ name: alias, target: { kind: 'relation', name: relation } });
    return relation;
  };
  const targets = (list: unknown, relation: QualifiedName | undefined, ctx: Context): void => {
    for (const item of asArray(list)) {
      const target = unwrap(item);
      if (target?.[0] !== 'ResTarget') continue;
      if (typeof target[1].name === 'string') site(target[1].location, { kind: 'column', name: target[1].name, relation });
      visit(target[1].val, ctx);
      visit(target[1].indirection, ctx);
    }
  };
  const visitExcept = (fields: Fields, ctx: Context, skip: readonly string[]): void => {
    for (const [key, value] of Object.entries(fields)) if (!skip.includes(key)) visit(value, ctx);
  };

  const node = (type: string, fields: Fields, ctx: Context): void => {
    switch (type) {
      case 'RangeVar':
        rangeVar(fields);
        return;
      case 'ColumnRef':
        site(fields.location, { kind: 'column-ref', fields: stringsOf(fields.fields) });
        return;
      case 'FuncCall':
        site(fields.location, { kind: 'function', parts: stringsOf(fields.funcname) });
        visitExcept(fields, ctx, ['funcname']);
        return;
      case 'TypeName':
        site(fields.location, fields.pct_type ? { kind: 'column-ref', fields: stringsOf(fields.names) } : { kind: 'type', parts: stringsOf(fields.names) });
        return;
      case 'ColumnDef':
        if (typeof fields.colname === 'string') site(fields.location, { kind: 'column', name: fields.colname, relation: ctx.relation });
        visitExcept(fields, ctx, []);
        return;
      case 'CreateStmt': {
        const relation = rangeVar(fields.relation);
        visitExcept(fields, { relation }, ['relation']);
        return;
      }
      case 'AlterTableStmt': {
        const relation = rangeVar(fields.relation, fields.objtype === 'OBJECT_INDEX' ? 'index' : 'relation');
        for (const command of asArray(fields.cmds)) {
          const cmd = unwrap(command)?.[1];
          if (!cmd) continue;
          if (COLUMN_COMMANDS.has(String(cmd.subtype))) column(cmd.name, relation);
          visit(cmd.def, { relation });
        }
        return;
      }
      case 'IndexStmt': {
        const relation = rangeVar(fields.relation);
        if (typeof fields.idxname === 'string') out.named.push({ name: fields.idxname, target: { kind: 'index', name: { schema: relation?.schema, name: fields.idxname } } });
        visitExcept(fields, { relation }, ['relation']);
        return;
      }
      case 'IndexElem':
        column(fields.name, ctx.relation);
        visit(fields.expr, ctx);
        return;
      case 'Constraint': {
        for (const key of ['keys', 'fk_attrs', 'including']) for (const name of stringsOf(fields[key])) column(name, ctx.relation);
        const referenced = rangeVar(fields.pktable);
        for (const name of stringsOf(fields.pk_attrs)) column(name, referenced);
        visitExcept(fields, ctx, ['keys', 'fk_attrs', 'including', 'pk_attrs', 'pktable']);
        return;
      }
      case 'InsertStmt': {
        const relation = rangeVar(fields.relation);
        targets(fields.cols, relation, { relation });
        visitExcept(fields, { relation }, ['relation', 'cols']);
        return;
      }
      case 'UpdateStmt': {
        const relation = rangeVar(fields.relation);
        targets(fields.targetList, relation, { relation });
        visitExcept(fields, { relation }, ['relation', 'targetList']);
        return;
      }
      case 'OnConflictClause':
        targets(fields.targetList, ctx.relation, ctx);
        visitExcept(fields, ctx, ['targetList']);
        return;
      case 'RenameStmt': {
        const relation = rangeVar(fields.relation, fields.renameType === 'OBJECT_INDEX' ? 'index' : 'relation');
        if (fields.renameType === 'OBJECT_COLUMN') {
          column(fields.subname, relation);
          column(fields.newname, relation);
        }
        return;
      }
      default:
        visitExcept(fields, ctx, []);
    }
  };
  const visit = (value: unknown, ctx: Context): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, ctx);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const keys = Object.keys(value);
    if (keys.length === 1 && /^[A-Z]/.test(keys[0])) {
      const fields = (value as Fields)[keys[0]];
      node(keys[0], fields && typeof fields === 'object' ? (fields as Fields) : {}, ctx);
      return;
    }
    // Some fields hold a node's body without its `{ Type: … }` wrapper.
    const fields = value as Fields;
    if (typeof fields.relname === 'string') node('RangeVar', fields, ctx);
    else if (Array.isArray(fields.names) && ('typemod' in fields || 'location' in fields)) node('TypeName', fields, ctx);
    else visitExcept(fields, ctx, []);
  };
  visit(stmt, {});
  return out;
}

interface Context {
  /** The table a CREATE TABLE, ALTER TABLE, CREATE INDEX or INSERT/UPDATE is about. */
  relation?: QualifiedName;
}

function findCtes(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) findCtes(item, into);
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'CommonTableExpr' && typeof (child as Fields).ctename === 'string') into.add((child as Fields).ctename as string);
    findCtes(child, into);
  }
}

/**
 * The relations a statement names after FROM, JOIN, UPDATE, INTO, USING, TABLE, ON (of CREATE
 * INDEX) and REFERENCES, and commas of a FROM list, with their aliases; CTE names are left out.
 * Token heuristics only, for statements that do not parse.
 */
export function scopeFromTokens(tokens: readonly Token[]): ScopeEntry[] {
  const scope: ScopeEntry[] = [];
  const ctes = new Set<string>();
  const fromDepths = new Set<number>();
  const indexStatement = tokens.some((token) => word(token) === 'INDEX');
  let depth = 0;
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k];
    const keyword = word(token);
    if (token.text === '(') depth++;
    else if (token.text === ')') {
      fromDepths.delete(depth);
      depth--;
    } else if (isName(token) && word(tokens[k + 1]) === 'AS' && (tokens[k + 2]?.text === '(' || /^(NOT|MATERIALIZED)$/.test(word(tokens[k + 2])))) {
      ctes.add(identValue(token.text));
    }
    if (keyword === 'FROM') fromDepths.add(depth);
    else if (/^(WHERE|GROUP|ORDER|HAVING|LIMIT|OFFSET|WINDOW|UNION|INTERSECT|EXCEPT|RETURNING|SET|VALUES|SELECT)$/.test(keyword)) fromDepths.delete(depth);
    const opens =
      /^(FROM|JOIN|UPDATE|INTO|USING|TABLE|REFERENCES)$/.test(keyword) ||
      (keyword === 'ON' && indexStatement && word(tokens[k - 1]) !== 'CONFLICT') ||
      (token.text === ',' && fromDepths.has(depth));
    if (!opens) continue;
    let at = k + 1;
    while (/^(ONLY|LATERAL|IF|NOT|EXISTS)$/.test(word(tokens[at]))) at++;
    if (!isName(tokens[at]) || tokens[at].keyword === RESERVED_KEYWORD) continue;
    const parts = [identValue(tokens[at].text)];
    while (tokens[at + 1]?.text === '.' && isName(tokens[at + 2])) {
      parts.push(identValue(tokens[at + 2].text));
      at += 2;
    }
    const entry: ScopeEntry = nameOf(parts);
    let alias: Token | undefined = tokens[at + 1];
    if (word(alias) === 'AS') alias = isName(tokens[at + 2]) ? tokens[at + 2] : undefined;
    else if (alias?.kind !== 'ident') alias = undefined;
    if (alias) entry.alias = identValue(alias.text);
    scope.push(entry);
  }
  return scope.filter((entry) => entry.schema !== undefined || !ctes.has(entry.name));
}

// ---------------------------------------------------------------------------------------------
// Resolution against a catalog (a schema snapshot, or the origins of migrations)

export type Resolved =
  | { kind: 'schema'; schema: string }
  | { kind: 'relation' | 'index' | 'function' | 'type'; schema: string; name: string }
  | { kind: 'column'; schema: string; table: string; column: string };

export type CatalogKind = 'relation' | 'index' | 'function' | 'type';

/** What resolution needs to know of a catalog. */
export interface Catalog {
  hasSchema(schema: string): boolean;
  /** The schema holding the object `name` of this kind: its own, or the first of the search path that has it. */
  schemaOf(kind: CatalogKind, name: QualifiedName): string | undefined;
  hasColumn(schema: string, table: string, column: string): boolean;
}

export function resolveTarget(target: NameTarget, catalog: Catalog): Resolved | undefined {
  switch (target.kind) {
    case 'schema':
      return catalog.hasSchema(target.schema) ? target : undefined;
    case 'column':
      return columnIn(target.column, target.candidates, catalog);
    case 'unknown':
      return resolveUnknown(target, catalog);
    default: {
      const schema = catalog.schemaOf(target.kind, target.name);
      return schema === undefined ? undefined : { kind: target.kind, schema, name: target.name.name };
    }
  }
}

function columnIn(column: string, candidates: readonly QualifiedName[], catalog: Catalog): Resolved | undefined {
  for (const candidate of candidates) {
    const schema = catalog.schemaOf('relation', candidate);
    if (schema !== undefined && catalog.hasColumn(schema, candidate.name, column)) return { kind: 'column', schema, table: candidate.name, column };
  }
  return undefined;
}

function anyObject(name: QualifiedName, catalog: Catalog): Resolved | undefined {
  for (const kind of ['relation', 'function', 'type', 'index'] as const) {
    const schema = catalog.schemaOf(kind, name);
    if (schema !== undefined) return { kind, schema, name: name.name };
  }
  return undefined;
}

/** A name whose role the tree does not tell (DROP, COMMENT ON, a statement that does not parse, …). */
function resolveUnknown(target: Extract<NameTarget, { kind: 'unknown' }>, catalog: Catalog): Resolved | undefined {
  const { parts, index, scope } = target;
  const n = parts.length;
  const schemaPart = (): Resolved | undefined => (catalog.hasSchema(parts[index]) ? { kind: 'schema', schema: parts[index] } : undefined);
  if (n === 1) return columnIn(parts[0], scope, catalog) ?? anyObject({ name: parts[0] }, catalog) ?? schemaPart();
  if (index === n - 1) {
    const qualifier = parts[n - 2];
    if (n === 2) return anyObject({ schema: qualifier, name: parts[1] }, catalog) ?? columnIn(parts[1], scopeMatch(scope, qualifier), catalog);
    return columnIn(parts[n - 1], [{ schema: parts[n - 3], name: parts[n - 2] }], catalog);
  }
  if (index === n - 2) {
    const relation = n === 2 ? scopeMatch(scope, parts[0])[0] : { schema: parts[n - 3], name: parts[n - 2] };
    const schema = catalog.schemaOf('relation', relation);
    if (schema !== undefined) return { kind: 'relation', schema, name: relation.name };
  }
  return schemaPart();
}

/** Where a bare name is looked up: `public`, then the catalog's other schemas. */
function lookupIn(searchPath: readonly string[], name: QualifiedName, has: (schema: string, name: string) => boolean): string | undefined {
  if (name.schema !== undefined) return has(name.schema, name.name) ? name.schema : undefined;
  return searchPath.find((schema) => has(schema, name.name));
}

/** Map key of a schema-qualified object (names cannot hold NUL). */

// ---------------------------------------------------------------------------------------------
// The snapshot, indexed once

export type SnapshotRelation = { kind: 'table'; info: TableInfo } | { kind: 'view'; info: ViewInfo };

export interface SnapshotIndex {
  /** `public`, then the snapshot's other schemas, in snapshot order. */
  searchPath: string[];
  schemas: Map<string, SchemaInfo>;
  /** By `objectKey(schema, name)`. */
  relations: Map<string, SnapshotRelation>;
  indexes: Map<string, { relation: SnapshotRelation; index: IndexInfo }>;
  functions: Map<string, FunctionInfo[]>;
  types: Map<string, TypeInfo>;
  /** Foreign keys pointing at each table, by the referenced table's key; built on first use. */
  referencedBy(): Map<string, Array<{ table: TableInfo; constraint: TableInfo['constraints'][number] }>>;
  catalog: Catalog;
  /** Sizes are the planner's estimates (`SchemaSnapshot.sizesEstimated`). */
  sizesEstimated: boolean;
}

const indexCache = new WeakMap<SchemaSnapshot, SnapshotIndex>();

export function snapshotIndex(snapshot: SchemaSnapshot): SnapshotIndex {
  const cached = indexCache.get(snapshot);
  if (cached) return cached;
  const schemas = new Map(snapshot.schemas.map((schema) => [schema.name, schema]));
  const relations = new Map<string, SnapshotRelation>();
  const indexes = new Map<string, { relation: SnapshotRelation; index: IndexInfo }>();
  const functions = new Map<string, FunctionInfo[]>();
  const types = new Map<string, TypeInfo>();
  const searchPath = ['public', ...snapshot.schemas.map((schema) => schema.name).filter((name) => name !== 'public')];
  const seen = new Set(searchPath);
  const addSchema = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    searchPath.push(name);
  };
  const addRelation = (relation: SnapshotRelation): void => {
    const { schema, name } = relation.info;
    addSchema(schema);
    if (!relations.has(objectKey(schema, name))) relations.set(objectKey(schema, name), relation);
    for (const index of relation.info.indexes ?? []) indexes.set(objectKey(schema, index.name), { relation, index });
  };
  for (const info of snapshot.tables) addRelation({ kind: 'table', info });
  for (const info of snapshot.views) addRelation({ kind: 'view', info });
  for (const fn of snapshot.functions) {
    const key = objectKey(fn.schema, fn.name);
    const list = functions.get(key);
    if (list) list.push(fn);
    else functions.set(key, [fn]);
  }
  for (const type of snapshot.types) types.set(objectKey(type.schema, type.name), type);
  let inbound: ReturnType<SnapshotIndex['referencedBy']> | undefined;
  const referencedBy = (): NonNullable<typeof inbound> => {
    if (inbound) return inbound;
    inbound = new Map();
    for (const table of snapshot.tables) {
      for (const constraint of table.constraints) {
        if (constraint.kind !== 'foreign key' || !constraint.references) continue;
        const key = objectKey(constraint.references.schema, constraint.references.table);
        const list = inbound.get(key);
        if (list) list.push({ table, constraint });
        else inbound.set(key, [{ table, constraint }]);
      }
    }
    return inbound;
  };
  const maps: Record<CatalogKind, Map<string, unknown>> = { relation: relations, index: indexes, function: functions, type: types };
  const catalog: Catalog = {
    hasSchema: (schema) => schemas.has(schema) || seen.has(schema),
    schemaOf: (kind, name) => lookupIn(searchPath, name, (schema, bare) => maps[kind].has(objectKey(schema, bare))),
    hasColumn: (schema, table, column) => relations.get(objectKey(schema, table))?.info.columns.some((c) => c.name === column) ?? false,
  };
  const index: SnapshotIndex = { searchPath, schemas, relations, indexes, functions, types, referencedBy, catalog, sizesEstimated: snapshot.sizesEstimated === true };
  indexCache.set(snapshot, index);
  return index;
}

// ---------------------------------------------------------------------------------------------
// Go to definition

export interface DefinitionLocation {
  path: string;
  /** UTF-16 offsets of the name in the file. */
  start: number;
  end: number;
}

const originCatalogs = new WeakMap<ObjectOrigins, Catalog>();

/** Resolution against what the migrations create, with `public` first on the search path. */
export function originsCatalog(origins: ObjectOrigins): Catalog {
  const cached = originCatalogs.get(origins);
  if (cached) return cached;
  const maps: Record<CatalogKind, Map<string, unknown>> = { relation: origins.relations, index: origins.indexes, function: origins.functions, type: origins.types };
  const schemas = new Set<string>(['public', ...origins.schemas.keys()]);
  for (const map of Object.values(maps)) for (const key of map.keys()) schemas.add(key.slice(0, key.indexOf('\u0000')));
  const searchPath = [...schemas];
  const catalog: Catalog = {
    hasSchema: (schema) => origins.schemas.has(schema),
    schemaOf: (kind, name) => lookupIn(searchPath, name, (schema, bare) => maps[kind].has(objectKey(schema, bare))),
    hasColumn: (schema, table, column) => origins.relations.get(objectKey(schema, table))?.columns.has(column) ?? false,
  };
  originCatalogs.set(origins, catalog);
  return catalog;
}

/**
 * Where the object under the cursor was created by the migrations: the name in its CREATE statement;
 * for a column, the last statement that altered it (if any) first. Bare names resolve through the
 * snapshot when there is one (so a column finds its table among the statement's), else through the
 * migrations' own objects.
 */
export function definitionAt(analysis: DocumentAnalysis, offset: number, origins: ObjectOrigins, snapshot?: SchemaSnapshot): DefinitionLocation[] {
  const found = targetAt(analysis, offset);
  if (!found) return [];
  const catalogs = snapshot ? [snapshotIndex(snapshot).catalog, originsCatalog(origins)] : [originsCatalog(origins)];
  for (const catalog of catalogs) {
    const resolved = resolveTarget(found.target, catalog);
    const steps = resolved ? definitionSteps(origins, resolved) : [];
    if (steps.length > 0) return steps.map(({ path, start, end }) => ({ path, start, end }));
  }
  return [];
}

function definitionSteps(origins: ObjectOrigins, resolved: Resolved): Origin[] {
  if (resolved.kind === 'function') return (origins.functions.get(objectKey(resolved.schema, resolved.name)) ?? []).map((overload) => overload.created);
  const origin = originOf(origins, resolved);
  if (!origin) return [];
  return resolved.kind === 'column' && origin.altered ? [origin.altered, origin.created] : [origin.created];
}

/** The origin of a resolved object, if the migrations created it (the first overload's, for a function). */
export function originOf(origins: ObjectOrigins, resolved: Resolved): ObjectOrigin | undefined {
  switch (resolved.kind) {
    case 'schema':
      return origins.schemas.get(resolved.schema);
    case 'relation':
      return origins.relations.get(objectKey(resolved.schema, resolved.name));
    case 'index':
      return origins.indexes.get(objectKey(resolved.schema, resolved.name));
    case 'type':
      return origins.types.get(objectKey(resolved.schema, resolved.name));
    case 'function':
      return origins.functions.get(objectKey(resolved.schema, resolved.name))?.[0];
    case 'column':
      return origins.relations.get(objectKey(resolved.schema, resolved.table))?.columns.get(resolved.column);
  }
}
