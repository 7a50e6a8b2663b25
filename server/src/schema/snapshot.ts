/**
 * Loads a SchemaSnapshot from the catalog: one bulk query per object kind for the whole database
 * (queries/*.sql, embedded through queries.generated.ts), run one after another on the port's single
 * connection inside one read-only transaction, then grouped and sorted here: never a query per table.
 *
 * The queries run with `search_path = pg_catalog`, so every name pg_get_*def / format_type /
 * pg_get_expr print outside pg_catalog is schema-qualified (`public.mood`, `nextval('public.s'::regclass)`),
 * whatever the connection's search path, and with TimeZone UTC and DateStyle ISO: the same database
 * gives the same snapshot on any connection.
 */
import type {
  ColumnInfo,
  ConstraintInfo,
  ConstraintKind,
  DefaultPrivilegesInfo,
  ExtensionInfo,
  FunctionInfo,
  IndexInfo,
  PolicyInfo,
  RelationKind,
  RoleInfo,
  RuleInfo,
  SchemaInfo,
  SchemaSnapshot,
  SequenceInfo,
  StatisticsInfo,
  TableInfo,
  TriggerInfo,
  TypeInfo,
  TypeKind,
  ViewInfo,
} from '../../../protocol/schema';
import type { Database } from '../db/port';
import { quoteLiteral } from '../sql/quote';
import { QUERIES } from './queries';
import type { QueryName } from './queries';

/** Oids come back as numbers from both drivers. */
type Oid = number | string;
/** `int8` is a string from `pg` and a number from PGlite. */
type Int8 = number | string | bigint;

interface VersionRow {
  server_version_num: number;
  server_version: string;
}
interface FingerprintRow {
  fingerprint: string;
}
interface SchemaRow {
  name: string;
  owner: string;
  comment: string | null;
  acl: unknown;
}
interface TableRow {
  oid: Oid;
  schema: string;
  name: string;
  kind: 'r' | 'p' | 'f';
  owner: string;
  row_estimate: number;
  exact_sizes: boolean;
  total_bytes: Int8 | null;
  comment: string | null;
  rls_enabled: boolean;
  rls_forced: boolean;
  parent_schema: string | null;
  parent_name: string | null;
  partition_bound: string | null;
  partition_key: string | null;
  acl: unknown;
  inherits_schemas: unknown;
  inherits_names: unknown;
  persistence: string;
  options: unknown;
  replica_identity: string;
  replica_index: string | null;
}
interface ViewRow {
  oid: Oid;
  schema: string;
  name: string;
  materialized: boolean;
  definition: string | null;
  owner: string;
  comment: string | null;
  options: unknown;
  acl: unknown;
  depends_schemas: unknown;
  depends_names: unknown;
}
interface ColumnRow {
  rel: Oid;
  name: string;
  position: number;
  type: string;
  nullable: boolean;
  default_expr: string | null;
  identity: string | null;
  generated_kind: string | null;
  generated_expr: string | null;
  collation: string | null;
  comment: string | null;
  storage: string | null;
  type_storage: string;
  statistics_target: number | null;
  compression: string | null;
  acl: unknown;
}
interface ConstraintRow {
  rel: Oid;
  name: string;
  kind: string;
  /** conkey: column numbers. */
  key: unknown;
  definition: string;
  validated: boolean;
  ref_schema: string | null;
  ref_table: string | null;
  ref_rel: Oid | null;
  ref_key: unknown;
  /** Only for a referenced table outside the snapshot. */
  ref_column_names: unknown;
  on_delete: string | null;
  on_update: string | null;
  inherited: boolean;
  comment: string | null;
}
interface IndexRow {
  rel: Oid;
  name: string;
  /** indkey as text: `1 0 3`, 0 for an expression. */
  key: string;
  key_count: number;
  /** pg_get_indexdef of each key column, when the index has expressions. */
  expressions: unknown;
  is_unique: boolean;
  is_primary: boolean;
  valid: boolean;
  method: string;
  predicate: string | null;
  definition: string;
  bytes: Int8 | null;
  inherited: boolean;
  comment: string | null;
}
interface TriggerRow {
  rel: Oid;
  name: string;
  definition: string;
  function_schema: string;
  function_name: string;
  enabled: boolean;
  comment: string | null;
  inherited: boolean;
}
interface PolicyRow {
  rel: Oid;
  name: string;
  command: string;
  permissive: boolean;
  roles: unknown;
  using_expr: string | null;
  with_check: string | null;
  comment: string | null;
}
interface TypeRow {
  schema: string;
  name: string;
  kind: 'e' | 'd' | 'c' | 'r';
  enum_values: unknown;
  base_type: string | null;
  not_null: boolean | null;
  default_expr: string | null;
  checks: unknown;
  check_names: unknown;
  collation: string | null;
  attributes: unknown;
  subtype: string | null;
  comment: string | null;
  acl: unknown;
}
interface StatisticsRow {
  schema: string;
  name: string;
  table_schema: string;
  table_name: string;
  definition: string;
  statistics_target: number | null;
  comment: string | null;
}
interface RuleRow {
  schema: string;
  table_name: string;
  name: string;
  definition: string;
  enabled: RuleInfo['enabled'];
}
interface DefaultPrivilegesRow {
  role: string;
  schema: string | null;
  object_type: string;
  acl: unknown;
}
interface FunctionRow {
  schema: string;
  name: string;
  kind: 'f' | 'p' | 'a' | 'w';
  arguments: string;
  returns: string | null;
  language: string;
  volatility: 'i' | 's' | 'v';
  security_definer: boolean;
  config: unknown;
  comment: string | null;
  definition: string | null;
  acl: unknown;
}
interface SequenceRow {
  schema: string;
  name: string;
  data_type: string;
  owner_schema: string | null;
  owner_table: string | null;
  owner_column: string | null;
  identity: boolean | null;
  start_value: Int8;
  increment: Int8;
  min_value: Int8;
  max_value: Int8;
  cache: Int8;
  cycle: boolean;
  comment: string | null;
  acl: unknown;
}
interface ExtensionRow {
  name: string;
  schema: string;
  version: string;
}
interface RoleRow {
  name: string;
  superuser: boolean;
  can_login: boolean;
  bypass_rls: boolean;
}

const RELATION_KINDS: Record<TableRow['kind'], RelationKind> = { r: 'table', p: 'partitioned table', f: 'foreign table' };
const CONSTRAINT_KINDS: Record<string, ConstraintKind> = {
  p: 'primary key',
  f: 'foreign key',
  u: 'unique',
  c: 'check',
  x: 'exclusion',
  n: 'not null',
};
const FK_ACTIONS: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };
const TYPE_KINDS: Record<TypeRow['kind'], TypeKind> = { e: 'enum', d: 'domain', c: 'composite', r: 'range' };
const STORAGE: Record<string, NonNullable<ColumnInfo['storage']>> = { p: 'plain', e: 'external', m: 'main', x: 'extended' };
const DEFAULT_ACL_OBJECTS: Record<string, DefaultPrivilegesInfo['objectType']> = { r: 'tables', S: 'sequences', f: 'functions', T: 'types', n: 'schemas' };
const FUNCTION_KINDS: Record<FunctionRow['kind'], FunctionInfo['kind']> = { f: 'function', p: 'procedure', a: 'aggregate', w: 'window' };
const VOLATILITY: Record<FunctionRow['volatility'], FunctionInfo['volatility']> = { i: 'immutable', s: 'stable', v: 'volatile' };

const SESSION_SETTINGS = {
  search_path: 'pg_catalog',
  TimeZone: 'UTC',
  DateStyle: 'ISO',
  IntervalStyle: 'postgres',
  max_parallel_workers_per_gather: '0',
};

/**
 * Reads the whole schema of the database behind `db`, in one read-only transaction (`db.readOnly`).
 * Queries run in READ COMMITTED: no SET TRANSACTION, so this also works when the caller's connection
 * is already inside a transaction (the shadow's). Schema changes committed while it runs can make it
 * mix states; the fingerprint is read first, so the next fingerprint poll sees the change and reloads.
 */
export interface SnapshotOptions {
  /**
   * Also read what only the migration generator needs (function definitions, sequence options, view
   * options, domain check names and collation, privileges). Off by default: pg_get_functiondef for
   * every function costs time, and most features never look at these.
   */
  details?: boolean;
}

export async function loadSnapshot(db: Database, options: SnapshotOptions = {}): Promise<SchemaSnapshot> {
  const details = options.details === true;
  const rows = await db.readOnly(async (tx) => {
    // For this transaction only, restored afterwards in case it is nested in the caller's: output that
    // depends on settings made deterministic (qualified names, see above; timestamps in partition
    // bounds and defaults in UTC and ISO style), and no parallel workers: each would start with cold
    // catalog caches and redo the deparsing lookups, slower than one process on a large catalog.
    const names = Object.keys(SESSION_SETTINGS);
    const current = names.map((name, k) => `pg_catalog.current_setting(${quoteLiteral(name)}) AS s${k}`);
    const saved = await tx.query<Record<string, string>>(`SELECT ${current.join(', ')}`);
    const wanted = Object.entries(SESSION_SETTINGS).map(([name, value]) => `pg_catalog.set_config(${quoteLiteral(name)}, ${quoteLiteral(value)}, true)`);
    // Read by functions.sql: pg_get_functiondef only when details are wanted.
    wanted.push(`pg_catalog.set_config('pglens.details', '${details ? 'on' : 'off'}', true)`);
    await tx.query(`SELECT ${wanted.join(', ')}`);
    try {
      const run = async <Row>(name: QueryName): Promise<Row[]> => (await tx.query<Row>(QUERIES[name])).rows;
      return {
        version: await run<VersionRow>('version'),
        fingerprint: await run<FingerprintRow>('fingerprint'),
        schemas: await run<SchemaRow>('schemas'),
        tables: await run<TableRow>('tables'),
        views: await run<ViewRow>('views'),
        columns: await run<ColumnRow>('columns'),
        constraints: await run<ConstraintRow>('constraints'),
        indexes: await run<IndexRow>('indexes'),
        triggers: await run<TriggerRow>('triggers'),
        policies: await run<PolicyRow>('policies'),
        types: await run<TypeRow>('types'),
        functions: await run<FunctionRow>('functions'),
        sequences: await run<SequenceRow>('sequences'),
        extensions: await run<ExtensionRow>('extensions'),
        roles: await run<RoleRow>('roles'),
        // Only the migration generator reads these.
        statistics: details ? await run<StatisticsRow>('statistics') : [],
        rules: details ? await run<RuleRow>('rules') : [],
        defaultPrivileges: details ? await run<DefaultPrivilegesRow>('defaultPrivileges') : [],
      };
    } finally {
      const previous = names.map((_, k) => saved.rows[0][`s${k}`]);
      const restore = 'SELECT pg_catalog.set_config(name, value, true) FROM pg_catalog.unnest($1::text[], $2::text[]) AS s(name, value)';
      await tx.query(restore, [names, previous]).catch(() => undefined);
    }
  });
  const snapshot = buildSnapshot(db.kind, rows);
  if (!details) stripDetails(snapshot);
  return snapshot;
}

/** Removes the fields only `details` asks for, so that a plain snapshot stays as it always was. */
function stripDetails(snapshot: SchemaSnapshot): void {
  for (const schema of snapshot.schemas) delete schema.acl;
  delete snapshot.statistics;
  delete snapshot.rules;
  delete snapshot.defaultPrivileges;
  for (const table of snapshot.tables) {
    for (const key of ['acl', 'unlogged', 'options', 'replicaIdentity', 'replicaIndex'] as const) delete table[key];
    for (const column of table.columns) for (const key of ['storage', 'typeStorage', 'statisticsTarget', 'compression', 'acl'] as const) delete column[key];
    for (const constraint of table.constraints) delete constraint.inherited;
    for (const index of table.indexes) delete index.inherited;
    for (const trigger of table.triggers) delete trigger.inherited;
  }
  for (const view of snapshot.views) {
    delete view.options;
    delete view.acl;
  }
  for (const view of snapshot.views) for (const column of view.columns) delete column.acl;
  for (const type of snapshot.types) {
    delete type.acl;
    delete type.checkNames;
    delete type.collation;
  }
  for (const fn of snapshot.functions) {
    delete fn.definition;
    delete fn.acl;
  }
  for (const sequence of snapshot.sequences) {
    for (const key of ['identity', 'start', 'increment', 'minValue', 'maxValue', 'cache', 'cycle', 'comment', 'acl'] as const) delete sequence[key];
  }
}

interface SnapshotRows {
  version: VersionRow[];
  fingerprint: FingerprintRow[];
  schemas: SchemaRow[];
  tables: TableRow[];
  views: ViewRow[];
  columns: ColumnRow[];
  constraints: ConstraintRow[];
  indexes: IndexRow[];
  triggers: TriggerRow[];
  policies: PolicyRow[];
  types: TypeRow[];
  functions: FunctionRow[];
  sequences: SequenceRow[];
  extensions: ExtensionRow[];
  roles: RoleRow[];
  statistics: StatisticsRow[];
  rules: RuleRow[];
  defaultPrivileges: DefaultPrivilegesRow[];
}

/** Groups the rows of the catalog queries into a snapshot, sorted by schema and name throughout. */
function buildSnapshot(source: SchemaSnapshot['source'], rows: SnapshotRows): SchemaSnapshot {
  const [version] = rows.version;
  const [{ fingerprint }] = rows.fingerprint;
  const { tables: tableRows, views: viewRows, columns: columnRows, constraints: constraintRows, indexes: indexRows } = rows;
  const { triggers: triggerRows, policies: policyRows, schemas: schemaRows, types: typeRows, functions: functionRows } = rows;
  const { sequences: sequenceRows, extensions: extensionRows, roles: roleRows } = rows;

  // Keyed by oid as the driver returns it (a number from both; the same type throughout one load).
  const tables = new Map<Oid, TableInfo>();
  for (const row of tableRows) tables.set(row.oid, tableFrom(row));
  const views = new Map<Oid, ViewInfo>();
  for (const row of viewRows) views.set(row.oid, viewFrom(row));

  // Column names by relation and attribute number, to name constraint and index columns.
  const attnames = new Map<Oid, string[]>();
  for (const row of columnRows) {
    (tables.get(row.rel) ?? views.get(row.rel))?.columns.push(columnFrom(row));
    let names = attnames.get(row.rel);
    if (!names) attnames.set(row.rel, (names = []));
    names[Number(row.position)] = row.name;
  }
  const nameColumns = (rel: Oid | null, numbers: number[]): string[] => {
    const names = rel === null ? undefined : attnames.get(rel);
    const result: string[] = [];
    for (const n of numbers) {
      const name = names?.[n];
      if (name !== undefined) result.push(name);
    }
    return result;
  };
  for (const row of constraintRows) tables.get(row.rel)?.constraints.push(constraintFrom(row, nameColumns));
  for (const row of indexRows) (tables.get(row.rel)?.indexes ?? views.get(row.rel)?.indexes)?.push(indexFrom(row, attnames.get(row.rel) ?? []));
  for (const row of triggerRows) (tables.get(row.rel)?.triggers ?? views.get(row.rel)?.triggers)?.push(triggerFrom(row));
  for (const row of policyRows) tables.get(row.rel)?.policies.push(policyFrom(row));

  for (const table of tables.values()) {
    table.columns.sort((a, b) => a.position - b.position);
    table.constraints.sort(byName);
    table.indexes.sort(byName);
    table.triggers.sort(byName);
    table.policies.sort(byName);
  }
  for (const view of views.values()) {
    view.columns.sort((a, b) => a.position - b.position);
    view.indexes?.sort(byName);
    view.triggers?.sort(byName);
  }

  return {
    serverVersionNum: Number(version.server_version_num),
    serverVersion: version.server_version,
    source,
    fingerprint,
    ...(tableRows.length > 0 && !tableRows[0].exact_sizes ? { sizesEstimated: true } : {}),
    schemas: schemaRows.map(schemaFrom).sort(byName),
    tables: [...tables.values()].sort(bySchemaAndName),
    views: [...views.values()].sort(bySchemaAndName),
    types: typeRows.map(typeFrom).sort(bySchemaAndName),
    functions: functionRows
      .map(functionFrom)
      .sort((a, b) => bySchemaAndName(a, b) || compare(a.arguments, b.arguments) || compare(a.kind, b.kind)),
    sequences: sequenceRows.map(sequenceFrom).sort(bySchemaAndName),
    extensions: extensionRows.map((row): ExtensionInfo => ({ name: row.name, schema: row.schema, version: row.version })).sort(byName),
    roles: roleRows
      .map((row): RoleInfo => ({ name: row.name, superuser: row.superuser, canLogin: row.can_login, bypassRls: row.bypass_rls }))
      .sort(byName),
    statistics: rows.statistics
      .map((row): StatisticsInfo => ({
        schema: row.schema,
        name: row.name,
        table: `${row.table_schema}.${row.table_name}`,
        definition: row.definition,
        ...(row.statistics_target !== null ? { statisticsTarget: Number(row.statistics_target) } : {}),
        ...opt('comment', row.comment),
      }))
      .sort(bySchemaAndName),
    rules: rows.rules
      .map((row): RuleInfo => ({ schema: row.schema, table: row.table_name, name: row.name, definition: row.definition, enabled: row.enabled }))
      .sort((a, b) => compare(a.schema, b.schema) || compare(a.table, b.table) || compare(a.name, b.name)),
    defaultPrivileges: rows.defaultPrivileges
      .map((row): DefaultPrivilegesInfo => ({
        role: row.role,
        ...(row.schema !== null ? { schema: row.schema } : {}),
        objectType: DEFAULT_ACL_OBJECTS[row.object_type] ?? 'tables',
        acl: textArray(row.acl).sort(),
      }))
      .sort((a, b) => compare(a.role, b.role) || compare(a.schema ?? '', b.schema ?? '') || compare(a.objectType, b.objectType)),
  };
}

/**
 * The catalog fingerprint alone (fingerprint.sql): equal to `snapshot.fingerprint` while no DDL has
 * run since the snapshot was loaded. One plain statement, no transaction of its own.
 */
export async function readFingerprint(db: Database): Promise<string> {
  const { rows } = await db.query<FingerprintRow>(QUERIES.fingerprint);
  return rows[0].fingerprint;
}

function schemaFrom(row: SchemaRow): SchemaInfo {
  return { name: row.name, owner: row.owner, ...opt('comment', row.comment), ...optArray('acl', row.acl) };
}

// The per-row builders below run for every table, column, constraint and index (100,000s of rows):
// plain objects with optional fields set only when present, no spreading of temporary objects.

function tableFrom(row: TableRow): TableInfo {
  const table: TableInfo = {
    schema: row.schema,
    name: row.name,
    kind: RELATION_KINDS[row.kind],
    owner: row.owner,
    rowEstimate: Number(row.row_estimate),
    totalBytes: Number(row.total_bytes ?? 0),
    rlsEnabled: row.rls_enabled,
    rlsForced: row.rls_forced,
    columns: [],
    constraints: [],
    indexes: [],
    triggers: [],
    policies: [],
  };
  if (row.comment !== null) table.comment = row.comment;
  if (row.parent_name !== null) table.partitionOf = `${row.parent_schema}.${row.parent_name}`;
  if (row.partition_bound !== null) table.partitionBound = row.partition_bound;
  if (row.partition_key !== null) table.partitionKey = row.partition_key;
  if (row.acl !== null && row.acl !== undefined) table.acl = textArray(row.acl);
  const inherits = relationNames(row.inherits_schemas, row.inherits_names);
  if (inherits.length > 0) table.inherits = inherits;
  if (row.persistence === 'u') table.unlogged = true;
  if (row.options !== null && row.options !== undefined) table.options = textArray(row.options).sort();
  if (row.replica_identity === 'f') table.replicaIdentity = 'full';
  else if (row.replica_identity === 'n') table.replicaIdentity = 'nothing';
  else if (row.replica_identity === 'i' && row.replica_index !== null) {
    table.replicaIdentity = 'index';
    table.replicaIndex = row.replica_index;
  }
  return table;
}

function viewFrom(row: ViewRow): ViewInfo {
  const view: ViewInfo = {
    schema: row.schema,
    name: row.name,
    materialized: row.materialized,
    definition: row.definition ?? '',
    owner: row.owner,
    columns: [],
    triggers: [],
  };
  if (row.comment !== null) view.comment = row.comment;
  if (row.options !== null && row.options !== undefined) view.options = textArray(row.options);
  if (row.acl !== null && row.acl !== undefined) view.acl = textArray(row.acl);
  if (row.materialized) view.indexes = [];
  const dependsOn = relationNames(row.depends_schemas, row.depends_names);
  if (dependsOn.length > 0) view.dependsOn = dependsOn;
  return view;
}

/** Two parallel text arrays (schemas, names) as relation names. */
function relationNames(schemas: unknown, names: unknown): Array<{ schema: string; name: string }> {
  if (schemas === null || schemas === undefined || names === null || names === undefined) return [];
  const schemaList = textArray(schemas);
  return textArray(names).map((name, index) => ({ schema: schemaList[index], name }));
}

function columnFrom(row: ColumnRow): ColumnInfo {
  const column: ColumnInfo = { name: row.name, position: Number(row.position), type: row.type, nullable: row.nullable };
  if (row.default_expr !== null) column.default = row.default_expr;
  if (row.identity === 'a') column.identity = 'always';
  else if (row.identity === 'd') column.identity = 'by default';
  if (row.generated_kind === 's' || row.generated_kind === 'v') {
    if (row.generated_expr !== null) column.generated = row.generated_expr;
    column.generatedKind = row.generated_kind === 's' ? 'stored' : 'virtual';
  }
  if (row.collation !== null) column.collation = row.collation;
  if (row.comment !== null) column.comment = row.comment;
  if (row.storage !== null && row.storage in STORAGE) {
    column.storage = STORAGE[row.storage];
    column.typeStorage = STORAGE[row.type_storage];
  }
  if (row.statistics_target !== null) column.statisticsTarget = Number(row.statistics_target);
  if (row.compression !== null) column.compression = row.compression === 'l' ? 'lz4' : 'pglz';
  if (row.acl !== null && row.acl !== undefined) column.acl = textArray(row.acl);
  return column;
}

function constraintFrom(row: ConstraintRow, nameColumns: (rel: Oid | null, numbers: number[]) => string[]): ConstraintInfo {
  const constraint: ConstraintInfo = {
    name: row.name,
    kind: CONSTRAINT_KINDS[row.kind],
    columns: nameColumns(row.rel, intArray(row.key)),
    definition: row.definition,
    validated: row.validated,
  };
  if (row.kind === 'f') {
    if (row.ref_table !== null) {
      const columns = row.ref_column_names === null ? nameColumns(row.ref_rel, intArray(row.ref_key)) : textArray(row.ref_column_names);
      constraint.references = { schema: row.ref_schema ?? '', table: row.ref_table, columns };
    }
    if (row.on_delete) constraint.onDelete = FK_ACTIONS[row.on_delete];
    if (row.on_update) constraint.onUpdate = FK_ACTIONS[row.on_update];
  }
  if (row.inherited) constraint.inherited = true;
  if (row.comment !== null && row.comment !== undefined) constraint.comment = row.comment;
  return constraint;
}

function indexFrom(row: IndexRow, attnames: string[]): IndexInfo {
  const numbers = row.key.split(' ');
  const keyCount = Number(row.key_count);
  const expressions = row.expressions === null ? undefined : textArray(row.expressions);
  const columns: string[] = [];
  const include: string[] = [];
  for (let k = 0; k < numbers.length; k++) {
    const n = Number(numbers[k]);
    if (numbers[k] === '' || Number.isNaN(n)) continue;
    const name = n === 0 ? (expressions?.[k] ?? '') : (attnames[n] ?? String(n));
    (k < keyCount ? columns : include).push(name);
  }
  const index: IndexInfo = {
    name: row.name,
    columns,
    unique: row.is_unique,
    primary: row.is_primary,
    valid: row.valid,
    method: row.method,
    definition: row.definition,
    bytes: Number(row.bytes ?? 0),
  };
  if (include.length > 0) index.include = include;
  if (row.predicate !== null) index.predicate = row.predicate;
  if (row.inherited) index.inherited = true;
  if (row.comment !== null && row.comment !== undefined) index.comment = row.comment;
  return index;
}

function triggerFrom(row: TriggerRow): TriggerInfo {
  const trigger: TriggerInfo = { name: row.name, definition: row.definition, function: `${row.function_schema}.${row.function_name}`, enabled: row.enabled };
  if (row.comment !== null && row.comment !== undefined) trigger.comment = row.comment;
  if (row.inherited) trigger.inherited = true;
  return trigger;
}

function policyFrom(row: PolicyRow): PolicyInfo {
  return {
    name: row.name,
    command: row.command,
    permissive: row.permissive,
    roles: textArray(row.roles),
    ...opt('using', row.using_expr),
    ...opt('withCheck', row.with_check),
    ...opt('comment', row.comment),
  };
}

function typeFrom(row: TypeRow): TypeInfo {
  const base = { schema: row.schema, name: row.name, kind: TYPE_KINDS[row.kind] };
  const comment = opt('comment', row.comment);
  switch (row.kind) {
    case 'e':
      return { ...base, values: textArray(row.enum_values), ...comment, ...optArray('acl', row.acl) };
    case 'd':
      return {
        ...base,
        baseType: row.base_type ?? '',
        notNull: row.not_null === true,
        ...opt('default', row.default_expr),
        checks: textArray(row.checks),
        checkNames: textArray(row.check_names),
        ...opt('collation', row.collation),
        ...comment,
        ...optArray('acl', row.acl),
      };
    case 'c':
      return { ...base, attributes: attributesFrom(row.attributes), ...comment, ...optArray('acl', row.acl) };
    case 'r':
      return { ...base, ...opt('subtype', row.subtype), ...comment, ...optArray('acl', row.acl) };
  }
}

function functionFrom(row: FunctionRow): FunctionInfo {
  return {
    schema: row.schema,
    name: row.name,
    kind: FUNCTION_KINDS[row.kind],
    arguments: row.arguments ?? '',
    // NULL for procedures.
    returns: row.returns ?? '',
    language: row.language,
    volatility: VOLATILITY[row.volatility],
    securityDefiner: row.security_definer,
    config: textArray(row.config),
    ...opt('comment', row.comment),
    ...opt('definition', row.definition),
    ...optArray('acl', row.acl),
  };
}

function sequenceFrom(row: SequenceRow): SequenceInfo {
  return {
    schema: row.schema,
    name: row.name,
    dataType: row.data_type,
    ...opt('ownedBy', row.owner_column === null ? null : `${row.owner_schema}.${row.owner_table}.${row.owner_column}`),
    ...(row.identity === true ? { identity: true } : {}),
    start: String(row.start_value),
    increment: String(row.increment),
    minValue: String(row.min_value),
    maxValue: String(row.max_value),
    cache: String(row.cache),
    cycle: row.cycle,
    ...opt('comment', row.comment),
    ...optArray('acl', row.acl),
  };
}

/** An `int2[]` value (conkey): an array from both drivers, or its text form. */
function intArray(value: unknown): number[] {
  return Array.isArray(value) ? value.map(Number) : textArray(value).map(Number);
}

function attributesFrom(value: unknown): Array<{ name: string; type: string }> {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(parsed)) return [];
  return parsed.map((item: { name: unknown; type: unknown }) => ({ name: String(item.name), type: String(item.type) }));
}

/**
 * A `text[]` value: an array from both drivers, but parsed here from its text form (`{a,"b c"}`) too,
 * in case a driver leaves it unparsed.
 */
export function textArray(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string' || !value.startsWith('{') || !value.endsWith('}')) return [String(value)];
  const items: string[] = [];
  const body = value.slice(1, -1);
  let k = 0;
  while (k < body.length) {
    let item = '';
    if (body[k] === '"') {
      k++;
      while (k < body.length && body[k] !== '"') {
        if (body[k] === '\\') k++;
        item += body[k] ?? '';
        k++;
      }
      k++;
    } else {
      while (k < body.length && body[k] !== ',') item += body[k++];
    }
    items.push(item);
    k++; // the comma
  }
  return items;
}

/** `{ [key]: value }` when the value is present, `{}` otherwise: optional fields are absent, never `undefined`. */
function opt<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return value === null || value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

/** Like `opt`, for a `text[]` column (absent when NULL). */
function optArray<K extends string>(key: K, value: unknown): { [P in K]?: string[] } {
  return value === null || value === undefined ? {} : ({ [key]: textArray(value) } as { [P in K]?: string[] });
}

/** Code-unit order, not locale order: the same on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byName(a: { name: string }, b: { name: string }): number {
  return compare(a.name, b.name);
}

function bySchemaAndName(a: { schema: string; name: string }, b: { schema: string; name: string }): number {
  return compare(a.schema, b.schema) || compare(a.name, b.name);
}
