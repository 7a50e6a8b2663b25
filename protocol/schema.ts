/**
 * SchemaSnapshot: what a database contains, as plain serialisable data. Built from catalog queries
 * (server/src/schema/queries/*.sql, one per object kind); shared by diagnostics, hover, completion,
 * the migration generator and the webviews. Names are unquoted, exactly as in the catalog.
 */

export interface SchemaSnapshot {
  /** `server_version_num`, e.g. 150019 or 180006. */
  serverVersionNum: number;
  /** `version()`, for display. */
  serverVersion: string;
  /** Which database this came from: `pg` (a real server) or `pglite` (the shadow). */
  source: 'pg' | 'pglite';
  /** Cheap fingerprint of the catalog, to tell when the snapshot is stale (see fingerprint.sql). */
  fingerprint: string;
  /**
   * True when `totalBytes` and index `bytes` are the planner's page counts × block size (as of the
   * last VACUUM, ANALYZE or CREATE INDEX) rather than measured: done above 1,000 tables, where measuring
   * every relation costs over a second and ~125 MB of server memory per 10,000 tables (see tables.sql).
   */
  sizesEstimated?: boolean;
  schemas: SchemaInfo[];
  tables: TableInfo[];
  /** Views and materialized views. */
  views: ViewInfo[];
  types: TypeInfo[];
  functions: FunctionInfo[];
  sequences: SequenceInfo[];
  extensions: ExtensionInfo[];
  roles: RoleInfo[];
  /** Extended statistics objects (CREATE STATISTICS); only in a snapshot loaded with details. */
  statistics?: StatisticsInfo[];
  /** Rules other than views' own; only with details. */
  rules?: RuleInfo[];
  /** ALTER DEFAULT PRIVILEGES entries; only with details. */
  defaultPrivileges?: DefaultPrivilegesInfo[];
}

export interface SchemaInfo {
  name: string;
  owner: string;
  comment?: string;
  /** Access privileges as `aclitem` text (`alice=arw/owner`); absent while the defaults apply. */
  acl?: string[];
}

export type RelationKind = 'table' | 'partitioned table' | 'foreign table';

export interface TableInfo {
  schema: string;
  name: string;
  kind: RelationKind;
  owner: string;
  /** `pg_class.reltuples`; -1 when never analyzed (PostgreSQL 14+), 0 on older versions. */
  rowEstimate: number;
  /** `pg_total_relation_size`, bytes (an estimate when `SchemaSnapshot.sizesEstimated`). */
  totalBytes: number;
  comment?: string;
  rlsEnabled: boolean;
  rlsForced: boolean;
  /** For a partition: its parent as `schema.name`, and its bound (`FOR VALUES …`). */
  partitionOf?: string;
  partitionBound?: string;
  /** For a partitioned table: `RANGE (created_at)` etc. */
  partitionKey?: string;
  /** Parents of table inheritance (`INHERITS (…)`), in declaration order; never set for partitions. */
  inherits?: Array<{ schema: string; name: string }>;
  /** Access privileges as `aclitem` text (`alice=arw/owner`); absent while the defaults apply. */
  acl?: string[];
  /** Details: an UNLOGGED table. */
  unlogged?: boolean;
  /** Details: storage parameters (`reloptions`), e.g. `fillfactor=70`. */
  options?: string[];
  /** Details: REPLICA IDENTITY when not the default (`index` names `replicaIndex`). */
  replicaIdentity?: 'full' | 'nothing' | 'index';
  replicaIndex?: string;
  columns: ColumnInfo[];
  constraints: ConstraintInfo[];
  indexes: IndexInfo[];
  triggers: TriggerInfo[];
  policies: PolicyInfo[];
}

export interface ColumnInfo {
  name: string;
  /** 1-based attribute number. */
  position: number;
  /** `format_type()` output, e.g. `character varying(20)`, `timestamp with time zone`, `public.mood[]`. */
  type: string;
  nullable: boolean;
  default?: string;
  /** `a` always / `d` by default, for identity columns. */
  identity?: 'always' | 'by default';
  /** Expression of a stored generated column. */
  generated?: string;
  /** For a generated column: `stored`, or `virtual` (PostgreSQL 18+). */
  generatedKind?: 'stored' | 'virtual';
  collation?: string;
  comment?: string;
  /** Details: storage when not the type's own: `plain`, `external`, `main` or `extended`. */
  storage?: 'plain' | 'external' | 'main' | 'extended';
  /** Details, with `storage`: the type's own storage, which the column returns to without it. */
  typeStorage?: 'plain' | 'external' | 'main' | 'extended';
  /** Details: SET STATISTICS target, when set. */
  statisticsTarget?: number;
  /** Details: SET COMPRESSION method (`pglz`, `lz4`), when set. */
  compression?: string;
  /** Details: column privileges as `aclitem` text. */
  acl?: string[];
}

export type ConstraintKind = 'primary key' | 'foreign key' | 'unique' | 'check' | 'exclusion' | 'not null';

export interface ConstraintInfo {
  name: string;
  kind: ConstraintKind;
  /** Constrained columns, in order. */
  columns: string[];
  /** `pg_get_constraintdef()`, e.g. `FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE`. */
  definition: string;
  validated: boolean;
  /** Foreign keys: the referenced table (`schema.name`) and columns. */
  references?: { schema: string; table: string; columns: string[] };
  onDelete?: string;
  onUpdate?: string;
  /** True for a partition's (or child table's) copy of its parent's constraint. */
  inherited?: boolean;
  comment?: string;
}

export interface IndexInfo {
  name: string;
  /** Indexed columns, in order; expressions appear as their text. */
  columns: string[];
  /** Non-key columns of `INCLUDE (…)`, in order. */
  include?: string[];
  unique: boolean;
  primary: boolean;
  valid: boolean;
  /** `btree`, `gin`, … */
  method: string;
  /** Partial index predicate, if any. */
  predicate?: string;
  /** `pg_get_indexdef()`. */
  definition: string;
  /** `pg_relation_size`, bytes (an estimate when `SchemaSnapshot.sizesEstimated`). */
  bytes: number;
  /** True for a partition's index that belongs to an index of the partitioned table. */
  inherited?: boolean;
  comment?: string;
}

export interface TriggerInfo {
  name: string;
  /** `pg_get_triggerdef()`. */
  definition: string;
  function: string;
  enabled: boolean;
  comment?: string;
  /** True for a partition's clone of its partitioned table's trigger. */
  inherited?: boolean;
}

export interface PolicyInfo {
  name: string;
  /** `ALL`, `SELECT`, `INSERT`, `UPDATE`, `DELETE`. */
  command: string;
  permissive: boolean;
  roles: string[];
  using?: string;
  withCheck?: string;
  comment?: string;
}

export interface ViewInfo {
  schema: string;
  name: string;
  materialized: boolean;
  definition: string;
  owner: string;
  comment?: string;
  /** `reloptions`, e.g. `check_option=local`, `security_barrier=true`. */
  options?: string[];
  /** Access privileges as `aclitem` text (`alice=arw/owner`); absent while the defaults apply. */
  acl?: string[];
  columns: ColumnInfo[];
  /** Indexes of a materialized view. */
  indexes?: IndexInfo[];
  /** Triggers on the view (`INSTEAD OF …`). */
  triggers?: TriggerInfo[];
  /** The tables and views its definition reads, by schema and name. */
  dependsOn?: Array<{ schema: string; name: string }>;
}

export type TypeKind = 'enum' | 'domain' | 'composite' | 'range';

export interface TypeInfo {
  schema: string;
  name: string;
  kind: TypeKind;
  /** Enum labels in order. */
  values?: string[];
  /** Domain base type, nullability, default and checks. */
  baseType?: string;
  notNull?: boolean;
  default?: string;
  checks?: string[];
  /** Domain: the names of `checks`, in the same order. */
  checkNames?: string[];
  /** Domain: its collation, when it differs from the base type's. */
  collation?: string;
  /** Composite attributes. */
  attributes?: Array<{ name: string; type: string }>;
  /** Range subtype. */
  subtype?: string;
  comment?: string;
  /** Access privileges as `aclitem` text (`alice=U/owner`); absent while the defaults apply. */
  acl?: string[];
}

export interface FunctionInfo {
  schema: string;
  name: string;
  kind: 'function' | 'procedure' | 'aggregate' | 'window';
  /** `pg_get_function_identity_arguments()`, e.g. `a integer, b text`. */
  arguments: string;
  /** `pg_get_function_result()`, e.g. `integer`, `TABLE(id bigint)`, `trigger`. */
  returns: string;
  language: string;
  volatility: 'immutable' | 'stable' | 'volatile';
  securityDefiner: boolean;
  /** `proconfig` entries such as `search_path=public`. */
  config: string[];
  comment?: string;
  /** `pg_get_functiondef()`: the whole `CREATE OR REPLACE …` statement (not for aggregates). */
  definition?: string;
  /** Access privileges as `aclitem` text (`alice=arw/owner`); absent while the defaults apply. */
  acl?: string[];
}

export interface SequenceInfo {
  schema: string;
  name: string;
  dataType: string;
  /** The column that owns it, `schema.table.column`, for serial and identity sequences. */
  ownedBy?: string;
  /** True when `ownedBy` is an identity column (the sequence is the identity's own). */
  identity?: boolean;
  /** Options, as decimal text (int8 does not fit a number). */
  start?: string;
  increment?: string;
  minValue?: string;
  maxValue?: string;
  cache?: string;
  cycle?: boolean;
  comment?: string;
  /** Access privileges as `aclitem` text (`alice=arw/owner`); absent while the defaults apply. */
  acl?: string[];
}

export interface ExtensionInfo {
  name: string;
  schema: string;
  version: string;
}

export interface RoleInfo {
  name: string;
  superuser: boolean;
  canLogin: boolean;
  bypassRls: boolean;
}

/** A role as row-level security sees it (`rls_roles.sql`, read by `pglens rls`). */
export interface RlsRoleInfo extends RoleInfo {
  /** `rolinherit`: whether it has the privileges of the roles it is a member of without SET ROLE. */
  inherit: boolean;
  /** Roles granted to it directly (`GRANT parent TO role`). */
  memberOf: string[];
  /** Every other role whose privileges it has (through inheriting memberships): empty for a superuser, who has all. */
  privilegesOf: string[];
}

/** A table's row-level security: its flags, owner and policies (`rls_tables.sql` and `policies.sql`). */
export interface RlsTableInfo {
  schema: string;
  name: string;
  owner: string;
  rlsEnabled: boolean;
  rlsForced: boolean;
  /** Columns with their `format_type()`, for the policy editor's templates. */
  columns: Array<{ name: string; type: string }>;
  policies: PolicyInfo[];
}

/** How a role holds a privilege: on the whole table, on some columns only, or not at all. */
export type PrivilegeHold = 'table' | 'column' | 'none';

/** What one role may do on one table by grant (`rls_privileges.sql`), memberships and PUBLIC included. */
export interface TablePrivilegeInfo {
  role: string;
  /** `schema.name`. */
  table: string;
  select: PrivilegeHold;
  insert: PrivilegeHold;
  update: PrivilegeHold;
  delete: PrivilegeHold;
  /** The role has the table owner's privileges. */
  owns: boolean;
}

/** Everything `pglens rls` needs from one database. */
export interface RlsModel {
  source: 'pg' | 'pglite';
  roles: RlsRoleInfo[];
  tables: RlsTableInfo[];
  privileges: TablePrivilegeInfo[];
}

export interface StatisticsInfo {
  schema: string;
  name: string;
  /** The table, `schema.name`. */
  table: string;
  /** `pg_get_statisticsobjdef()`: the whole CREATE STATISTICS statement. */
  definition: string;
  statisticsTarget?: number;
  comment?: string;
}

export interface RuleInfo {
  schema: string;
  table: string;
  name: string;
  /** `pg_get_ruledef()`: the whole CREATE RULE statement. */
  definition: string;
  /** `O` origin (default), `D` disabled, `R` replica, `A` always. */
  enabled: 'O' | 'D' | 'R' | 'A';
}

export interface DefaultPrivilegesInfo {
  /** The role whose new objects get these privileges. */
  role: string;
  /** Absent: in all schemas. */
  schema?: string;
  objectType: 'tables' | 'sequences' | 'functions' | 'types' | 'schemas';
  /** Access privileges as `aclitem` text. */
  acl: string[];
}
