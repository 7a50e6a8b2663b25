/**
 * Where each object of the schema comes from: replaying the migrations' DDL in order (by parse tree,
 * no database), the statement that created each schema, table, view, index, type, function and
 * column, and the last one that altered a column. Renames carry an object's origin to its new name;
 * drops remove it. Unqualified names are taken to be in `public` (a `SET search_path` in a migration
 * is not followed).
 */
import type { AnalyzedStatement, DocumentAnalysis } from '../document/analyze';
import { identValue, isName, scanTokens, significant } from '../sql/tokens';
import type { Token } from '../sql/tokens';
import { asArray, stringValue, unwrap } from '../sql/ast';
import type { Fields } from '../sql/ast';

/** The key of an object in maps by name: schema and name, which may themselves hold dots. */
export function objectKey(schema: string, name: string): string {
  return `${schema}\u0000${name}`;
}

export interface Origin {
  path: string;
  /** UTF-16 offsets of the object's name in the file. */
  start: number;
  end: number;
  /** UTF-16 offsets of the whole statement. */
  statement: { start: number; end: number };
}

export interface ObjectOrigin {
  created: Origin;
  /** The last statement that changed it: ALTER COLUMN or RENAME COLUMN for a column, OR REPLACE for a view or function, RENAME or ALTER TYPE for others. */
  altered?: Origin;
}

export interface RelationOrigin extends ObjectOrigin {
  kind: 'table' | 'view' | 'materialized view';
  /** By column name. */
  columns: Map<string, ObjectOrigin>;
}

export interface IndexOrigin extends ObjectOrigin {
  /** `objectKey` of the indexed table. */
  table: string;
}

export interface FunctionOrigin extends ObjectOrigin {
  /** Input argument types as the parser names them (`int4`, `text[]`), to tell overloads apart. */
  args: string[];
}

/** Maps keyed by `objectKey(schema, name)` (from features/definition), schemas by name. */
export interface ObjectOrigins {
  schemas: Map<string, ObjectOrigin>;
  relations: Map<string, RelationOrigin>;
  indexes: Map<string, IndexOrigin>;
  types: Map<string, ObjectOrigin>;
  /** Overloads of each function name. */
  functions: Map<string, FunctionOrigin[]>;
}

export interface MigrationInput {
  path: string;
  analysis: DocumentAnalysis;
  /** The parts of the file that run on "up" (`MigrationFile.up`); statements outside them are skipped. All of it when absent. */
  up?: ReadonlyArray<{ start: number; end: number }>;
}

export function emptyOrigins(): ObjectOrigins {
  return { schemas: new Map(), relations: new Map(), indexes: new Map(), types: new Map(), functions: new Map() };
}

/** Replays the migrations, in the order given (apply order). */
export function buildOrigins(migrations: readonly MigrationInput[]): ObjectOrigins {
  const origins = emptyOrigins();
  for (const migration of migrations) {
    for (const statement of migration.analysis.statements) {
      if (!statement.outcome.ok || !statement.outcome.stmt) continue;
      const start = statement.segment.start;
      if (migration.up && !migration.up.some((range) => start >= range.start && start < range.end)) continue;
      apply(origins, statement.outcome.stmt, new StatementNames(migration.path, statement));
    }
  }
  return origins;
}

/** Finds names in one statement's tokens (scanned on first use). */
class StatementNames {
  private scanned?: Token[];

  constructor(
    private readonly path: string,
    private readonly statement: AnalyzedStatement,
  ) {}

  /** The last part of the dotted name that starts at `location` (a parse-tree byte offset). */
  at(location: unknown): Origin {
    const tokens = this.tokens();
    let k = tokens.findIndex((token) => token.byte === location);
    if (k < 0) return this.origin(undefined);
    while (tokens[k + 1]?.text === '.' && isName(tokens[k + 2])) k += 2;
    return this.origin(tokens[k]);
  }

  /** The first name token spelling `name` after byte offset `after`. */
  find(name: string, after = -1): Origin {
    return this.origin(this.tokens().find((token) => token.byte > after && isName(token) && identValue(token.text) === name));
  }

  findLast(name: string): Origin {
    const tokens = this.tokens();
    for (let k = tokens.length - 1; k >= 0; k--) if (isName(tokens[k]) && identValue(tokens[k].text) === name) return this.origin(tokens[k]);
    return this.origin(undefined);
  }

  /** The last token of the first dotted name spelled exactly `parts`. */
  findChain(parts: readonly string[]): Origin {
    const tokens = this.tokens();
    for (let k = 0; k + 2 * (parts.length - 1) < tokens.length; k++) {
      if (parts.every((part, p) => isName(tokens[k + 2 * p]) && identValue(tokens[k + 2 * p].text) === part && (p === 0 || tokens[k + 2 * p - 1].text === '.'))) {
        return this.origin(tokens[k + 2 * (parts.length - 1)]);
      }
    }
    return this.origin(undefined);
  }

  private tokens(): Token[] {
    this.scanned ??= significant(scanTokens(this.statement.segment.sql));
    return this.scanned;
  }

  /** Where `token` is in the file; the whole statement when the name was not found. */
  private origin(token: Token | undefined): Origin {
    const { start, end } = this.statement.segment;
    const statement = { start, end };
    return token ? { path: this.path, start: start + token.start, end: start + token.end, statement } : { path: this.path, start, end, statement };
  }
}

interface Named {
  schema: string;
  name: string;
}

function relationName(rangeVar: unknown): Named | undefined {
  const fields = rangeVar as Fields | undefined;
  if (!fields || typeof fields.relname !== 'string') return undefined;
  return { schema: typeof fields.schemaname === 'string' ? fields.schemaname : 'public', name: fields.relname };
}

/** `[schema, name]` or `[name]` string nodes → the name, in `public` when unqualified. */
function listName(list: unknown): Named | undefined {
  const parts = asArray(list).map((part) => stringValue(part) ?? '');
  if (parts.length === 0) return undefined;
  return { schema: parts.length > 1 ? parts[parts.length - 2] : 'public', name: parts[parts.length - 1] };
}

function parts(list: unknown): string[] {
  return asArray(list).map((part) => stringValue(part) ?? '');
}

const key = (named: Named): string => objectKey(named.schema, named.name);

/** A TypeName as the parser spells it, for overload matching: `int4`, `text[]`. */
function typeKey(typeName: unknown): string {
  const fields = (unwrap(typeName)?.[0] === 'TypeName' ? unwrap(typeName)?.[1] : typeName) as Fields | undefined;
  const names = parts(fields?.names);
  return `${names[names.length - 1] ?? ''}${'[]'.repeat(asArray(fields?.arrayBounds).length)}`;
}

/** Input argument types of CREATE FUNCTION parameters (OUT and TABLE columns are not part of the signature). */
function inputArgs(parameters: unknown): string[] {
  const args: string[] = [];
  for (const parameter of asArray(parameters)) {
    const fields = unwrap(parameter)?.[1];
    if (!fields || fields.mode === 'FUNC_PARAM_OUT' || fields.mode === 'FUNC_PARAM_TABLE') continue;
    args.push(typeKey(fields.argType));
  }
  return args;
}

/** The overloads an ObjectWithArgs designates (all of them when it gives no argument list). */
function overloadsOf(objectWithArgs: unknown): { key: string; matches: (origin: FunctionOrigin) => boolean } | undefined {
  const fields = unwrap(objectWithArgs)?.[1] ?? (objectWithArgs as Fields | undefined);
  const named = listName(fields?.objname);
  if (!fields || !named) return undefined;
  const args = asArray(fields.objargs).map(typeKey);
  const all = fields.args_unspecified === true;
  return { key: key(named), matches: (origin) => all || (origin.args.length === args.length && origin.args.every((arg, k) => arg === args[k])) };
}

const ALTERED_COLUMN_COMMANDS = new Set([
  'AT_AlterColumnType',
  'AT_ColumnDefault',
  'AT_DropNotNull',
  'AT_SetNotNull',
  'AT_SetExpression',
  'AT_DropExpression',
  'AT_SetStatistics',
  'AT_SetOptions',
  'AT_ResetOptions',
  'AT_SetStorage',
  'AT_SetCompression',
  'AT_AddIdentity',
  'AT_SetIdentity',
  'AT_DropIdentity',
]);

const RELATION_TYPES: Record<string, RelationOrigin['kind']> = {
  OBJECT_TABLE: 'table',
  OBJECT_FOREIGN_TABLE: 'table',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'materialized view',
};

function apply(origins: ObjectOrigins, stmt: unknown, names: StatementNames): void {
  const node = unwrap(stmt);
  if (!node) return;
  const [type, fields] = node;
  switch (type) {
    case 'CreateSchemaStmt': {
      if (typeof fields.schemaname !== 'string') return;
      if (!origins.schemas.has(fields.schemaname)) origins.schemas.set(fields.schemaname, { created: names.find(fields.schemaname) });
      for (const element of asArray(fields.schemaElts)) apply(origins, element, names);
      return;
    }
    case 'CreateStmt':
    case 'CreateForeignTableStmt': {
      const body = (type === 'CreateForeignTableStmt' ? (fields.base as Fields | undefined) : fields) ?? {};
      const named = relationName(body.relation);
      if (!named || origins.relations.has(key(named))) return;
      const columns = new Map<string, ObjectOrigin>();
      for (const element of asArray(body.tableElts)) {
        const column = unwrap(element);
        if (column?.[0] === 'ColumnDef' && typeof column[1].colname === 'string') columns.set(column[1].colname, { created: names.at(column[1].location) });
      }
      origins.relations.set(key(named), { kind: 'table', created: names.at((body.relation as Fields).location), columns });
      return;
    }
    case 'CreateTableAsStmt': {
      const into = fields.into as Fields | undefined;
      const named = relationName(into?.rel);
      if (!named || origins.relations.has(key(named))) return;
      const kind = fields.objtype === 'OBJECT_MATVIEW' ? 'materialized view' : 'table';
      origins.relations.set(key(named), { kind, created: names.at((into?.rel as Fields).location), columns: new Map() });
      return;
    }
    case 'ViewStmt': {
      const named = relationName(fields.view);
      if (!named) return;
      const origin = names.at((fields.view as Fields).location);
      const existing = origins.relations.get(key(named));
      if (existing) existing.altered = origin;
      else origins.relations.set(key(named), { kind: 'view', created: origin, columns: new Map() });
      return;
    }
    case 'IndexStmt': {
      const table = relationName(fields.relation);
      if (!table || typeof fields.idxname !== 'string') return;
      const index = { schema: table.schema, name: fields.idxname };
      if (!origins.indexes.has(key(index))) origins.indexes.set(key(index), { created: names.find(fields.idxname), table: key(table) });
      return;
    }
    case 'AlterTableStmt': {
      const named = relationName(fields.relation);
      const relation = named && origins.relations.get(key(named));
      if (!relation) return;
      const after = (fields.relation as Fields).location as number;
      for (const command of asArray(fields.cmds)) {
        const cmd = unwrap(command)?.[1];
        if (!cmd) continue;
        const column = typeof cmd.name === 'string' ? cmd.name : undefined;
        if (cmd.subtype === 'AT_AddColumn') {
          const def = unwrap(cmd.def)?.[1];
          if (def && typeof def.colname === 'string' && !relation.columns.has(def.colname)) relation.columns.set(def.colname, { created: names.at(def.location) });
        } else if (cmd.subtype === 'AT_DropColumn' && column) relation.columns.delete(column);
        else if (ALTERED_COLUMN_COMMANDS.has(String(cmd.subtype)) && column) {
          const existing = relation.columns.get(column);
          if (existing) existing.altered = names.find(column, after);
        }
      }
      return;
    }
    case 'RenameStmt':
      rename(origins, fields, names);
      return;
    case 'AlterObjectSchemaStmt':
      setSchema(origins, fields);
      return;
    case 'DropStmt':
      drop(origins, fields);
      return;
    case 'CreateEnumStmt':
    case 'CreateRangeStmt':
    case 'CreateDomainStmt': {
      const list = type === 'CreateDomainStmt' ? fields.domainname : fields.typeName;
      const named = listName(list);
      if (named && !origins.types.has(key(named))) origins.types.set(key(named), { created: names.findChain(parts(list)) });
      return;
    }
    case 'CompositeTypeStmt': {
      const named = relationName(fields.typevar);
      if (named && !origins.types.has(key(named))) origins.types.set(key(named), { created: names.at((fields.typevar as Fields).location) });
      return;
    }
    case 'AlterEnumStmt':
    case 'AlterDomainStmt': {
      const named = listName(fields.typeName);
      const existing = named && origins.types.get(key(named));
      if (existing) existing.altered = names.findChain(parts(fields.typeName));
      return;
    }
    case 'CreateFunctionStmt': {
      const named = listName(fields.funcname);
      if (!named) return;
      const args = inputArgs(fields.parameters);
      const origin = names.findChain(parts(fields.funcname));
      const overloads = origins.functions.get(key(named)) ?? [];
      const existing = overloads.find((overload) => overload.args.length === args.length && overload.args.every((arg, k) => arg === args[k]));
      if (existing) existing.altered = origin;
      else origins.functions.set(key(named), [...overloads, { created: origin, args }]);
      return;
    }
  }
}

function moveEntry<T>(map: Map<string, T>, from: string, to: string): T | undefined {
  const value = map.get(from);
  if (value === undefined || from === to) return value;
  map.delete(from);
  map.set(to, value);
  return value;
}

/** Moves a table to a new key, its indexes following it. */
function moveRelation(origins: ObjectOrigins, from: string, to: string): RelationOrigin | undefined {
  const moved = moveEntry(origins.relations, from, to);
  if (moved) for (const index of origins.indexes.values()) if (index.table === from) index.table = to;
  return moved;
}

function rename(origins: ObjectOrigins, fields: Fields, names: StatementNames): void {
  const newname = typeof fields.newname === 'string' ? fields.newname : undefined;
  if (!newname) return;
  const relation = relationName(fields.relation);
  const renamedTo = (): Origin => names.findLast(newname);
  switch (fields.renameType) {
    case 'OBJECT_TABLE':
    case 'OBJECT_FOREIGN_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW': {
      if (!relation) return;
      const moved = moveRelation(origins, key(relation), objectKey(relation.schema, newname));
      if (moved) moved.altered = renamedTo();
      return;
    }
    case 'OBJECT_COLUMN': {
      const table = relation && origins.relations.get(key(relation));
      const column = table && typeof fields.subname === 'string' ? moveEntry(table.columns, fields.subname, newname) : undefined;
      if (column) column.altered = renamedTo();
      return;
    }
    case 'OBJECT_INDEX': {
      if (!relation) return;
      const moved = moveEntry(origins.indexes, key(relation), objectKey(relation.schema, newname));
      if (moved) moved.altered = renamedTo();
      return;
    }
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const named = listName(unwrap(fields.object)?.[1]?.items ?? fields.object);
      const moved = named && moveEntry(origins.types, key(named), objectKey(named.schema, newname));
      if (moved) moved.altered = renamedTo();
      return;
    }
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
    case 'OBJECT_ROUTINE': {
      const target = overloadsOf(fields.object);
      const named = listName((unwrap(fields.object)?.[1] ?? {}).objname);
      if (!target || !named) return;
      moveOverloads(origins, target, objectKey(named.schema, newname), renamedTo());
      return;
    }
    case 'OBJECT_SCHEMA': {
      if (typeof fields.subname === 'string') renameSchema(origins, fields.subname, newname);
      return;
    }
  }
}

function moveOverloads(origins: ObjectOrigins, target: { key: string; matches: (origin: FunctionOrigin) => boolean }, to: string, altered?: Origin): void {
  const overloads = origins.functions.get(target.key) ?? [];
  const moving = overloads.filter(target.matches);
  if (moving.length === 0 || target.key === to) return;
  const staying = overloads.filter((overload) => !target.matches(overload));
  if (staying.length > 0) origins.functions.set(target.key, staying);
  else origins.functions.delete(target.key);
  for (const overload of moving) if (altered) overload.altered = altered;
  origins.functions.set(to, [...(origins.functions.get(to) ?? []), ...moving]);
}

function renameSchema(origins: ObjectOrigins, from: string, to: string): void {
  moveEntry(origins.schemas, from, to);
  const prefix = objectKey(from, '');
  const rekey = <T>(map: Map<string, T>): void => {
    for (const [old, value] of [...map]) {
      if (!old.startsWith(prefix)) continue;
      map.delete(old);
      map.set(objectKey(to, old.slice(prefix.length)), value);
    }
  };
  rekey(origins.relations);
  rekey(origins.indexes);
  rekey(origins.types);
  rekey(origins.functions);
  for (const index of origins.indexes.values()) if (index.table.startsWith(prefix)) index.table = objectKey(to, index.table.slice(prefix.length));
}

function setSchema(origins: ObjectOrigins, fields: Fields): void {
  const newschema = typeof fields.newschema === 'string' ? fields.newschema : undefined;
  if (!newschema) return;
  const objectType = String(fields.objectType);
  if (objectType in RELATION_TYPES) {
    const relation = relationName(fields.relation);
    if (relation) moveRelation(origins, key(relation), objectKey(newschema, relation.name));
  } else if (objectType === 'OBJECT_TYPE' || objectType === 'OBJECT_DOMAIN') {
    const named = listName(unwrap(fields.object)?.[1]?.items ?? fields.object);
    if (named) moveEntry(origins.types, key(named), objectKey(newschema, named.name));
  } else if (objectType === 'OBJECT_FUNCTION' || objectType === 'OBJECT_PROCEDURE' || objectType === 'OBJECT_ROUTINE') {
    const target = overloadsOf(fields.object);
    const named = listName((unwrap(fields.object)?.[1] ?? {}).objname);
    if (target && named) moveOverloads(origins, target, objectKey(newschema, named.name));
  }
}

function drop(origins: ObjectOrigins, fields: Fields): void {
  const removeType = String(fields.removeType);
  for (const object of asArray(fields.objects)) {
    const [kind, body] = unwrap(object) ?? ['', {}];
    if (removeType in RELATION_TYPES) {
      const named = listName(body.items);
      if (!named) continue;
      origins.relations.delete(key(named));
      for (const [name, index] of [...origins.indexes]) if (index.table === key(named)) origins.indexes.delete(name);
    } else if (removeType === 'OBJECT_INDEX') {
      const named = listName(body.items);
      if (named) origins.indexes.delete(key(named));
    } else if (removeType === 'OBJECT_TYPE' || removeType === 'OBJECT_DOMAIN') {
      const named = kind === 'TypeName' ? listName(body.names) : listName(body.items);
      if (named) origins.types.delete(key(named));
    } else if (removeType === 'OBJECT_FUNCTION' || removeType === 'OBJECT_PROCEDURE' || removeType === 'OBJECT_ROUTINE') {
      const target = overloadsOf(object);
      if (!target) continue;
      const staying = (origins.functions.get(target.key) ?? []).filter((overload) => !target.matches(overload));
      if (staying.length > 0) origins.functions.set(target.key, staying);
      else origins.functions.delete(target.key);
    } else if (removeType === 'OBJECT_SCHEMA') {
      const schema = stringValue(object);
      if (schema !== undefined) dropSchema(origins, schema);
    }
  }
}

/** DROP SCHEMA: what was in it goes too (it could only go without CASCADE if it was empty). */
function dropSchema(origins: ObjectOrigins, schema: string): void {
  origins.schemas.delete(schema);
  const prefix = objectKey(schema, '');
  for (const map of [origins.relations, origins.indexes, origins.types, origins.functions] as Array<Map<string, unknown>>) {
    for (const name of [...map.keys()]) if (name.startsWith(prefix)) map.delete(name);
  }
}
