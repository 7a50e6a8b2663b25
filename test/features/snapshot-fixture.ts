/**
 * A small, hand-built SchemaSnapshot for the feature tests (hover, completion, definition), and the
 * `|` cursor marker helper. Shapes follow what server/src/schema/snapshot.ts loads from PostgreSQL.
 */
import type { ColumnInfo, SchemaSnapshot, TableInfo } from '../../protocol/schema';
import { analyzeDocument } from '../../server/src/document/analyze';
import type { DocumentAnalysis } from '../../server/src/document/analyze';

/** Removes the single `|` of `source` and returns the text and the cursor's UTF-16 offset. */
export function withCursor(source: string): { text: string; offset: number } {
  const offset = source.indexOf('|');
  if (offset < 0 || source.indexOf('|', offset + 1) >= 0) throw new Error(`expected exactly one | in ${JSON.stringify(source)}`);
  return { text: source.slice(0, offset) + source.slice(offset + 1), offset };
}

/** `withCursor` plus the analysis of the text. */
export function analyzeAt(source: string): { text: string; offset: number; analysis: DocumentAnalysis } {
  const { text, offset } = withCursor(source);
  return { text, offset, analysis: analyzeDocument(text) };
}

function column(position: number, name: string, type: string, extra: Partial<ColumnInfo> = {}): ColumnInfo {
  return { name, position, type, nullable: true, ...extra };
}

const users: TableInfo = {
  schema: 'public',
  name: 'users',
  kind: 'table',
  owner: 'app_owner',
  rowEstimate: 1_234_567,
  totalBytes: 8192,
  comment: 'People who log in',
  rlsEnabled: true,
  rlsForced: true,
  columns: [
    column(1, 'id', 'bigint', { nullable: false, identity: 'always' }),
    column(2, 'email', 'text', { nullable: false, comment: 'Login address' }),
    column(3, 'name', 'text'),
    column(4, 'prénom', 'text', { comment: 'Given name' }),
    column(5, '名前', 'text'),
    column(6, 'mood', 'public.mood', { default: "'ok'::mood" }),
    column(7, 'created_at', 'timestamp with time zone', { nullable: false, default: 'now()' }),
  ],
  constraints: [
    { name: 'users_pkey', kind: 'primary key', columns: ['id'], definition: 'PRIMARY KEY (id)', validated: true },
    { name: 'users_email_key', kind: 'unique', columns: ['email'], definition: 'UNIQUE (email)', validated: true },
  ],
  indexes: [
    { name: 'users_pkey', columns: ['id'], unique: true, primary: true, valid: true, method: 'btree', definition: 'CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)', bytes: 16384 },
    { name: 'users_email_key', columns: ['email'], unique: true, primary: false, valid: true, method: 'btree', definition: 'CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email)', bytes: 16384 },
  ],
  triggers: [],
  policies: [
    { name: 'users_self', command: 'SELECT', permissive: true, roles: ['authenticated'], using: '(id = current_user_id())' },
    { name: 'users_update_self', command: 'UPDATE', permissive: true, roles: ['authenticated'], using: '(id = current_user_id())' },
  ],
};

const orders: TableInfo = {
  schema: 'public',
  name: 'orders',
  kind: 'table',
  owner: 'app_owner',
  rowEstimate: -1,
  totalBytes: 1_395_864_371,
  rlsEnabled: false,
  rlsForced: false,
  columns: [
    column(1, 'id', 'bigint', { nullable: false, default: "nextval('orders_id_seq'::regclass)" }),
    column(2, 'user_id', 'bigint', { nullable: false }),
    column(3, 'total', 'numeric(12,2)', { nullable: false, default: '0' }),
    column(4, 'status', 'text', { nullable: false, default: "'new'::text" }),
  ],
  constraints: [
    { name: 'orders_pkey', kind: 'primary key', columns: ['id'], definition: 'PRIMARY KEY (id)', validated: true },
    {
      name: 'orders_user_id_fkey',
      kind: 'foreign key',
      columns: ['user_id'],
      definition: 'FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE',
      validated: true,
      references: { schema: 'public', table: 'users', columns: ['id'] },
      onDelete: 'CASCADE',
      onUpdate: 'NO ACTION',
    },
  ],
  indexes: [
    { name: 'orders_pkey', columns: ['id'], unique: true, primary: true, valid: true, method: 'btree', definition: 'CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)', bytes: 2_250_000 },
    { name: 'orders_user_id_idx', columns: ['user_id'], unique: false, primary: false, valid: true, method: 'btree', definition: 'CREATE INDEX orders_user_id_idx ON public.orders USING btree (user_id)', bytes: 1_100_000 },
  ],
  triggers: [],
  policies: [],
};

/** A table whose name and a column's need quoting. */
const orderTable: TableInfo = {
  schema: 'public',
  name: 'Order',
  kind: 'table',
  owner: 'app_owner',
  rowEstimate: 12,
  totalBytes: 16384,
  rlsEnabled: false,
  rlsForced: false,
  columns: [column(1, 'id', 'integer', { nullable: false }), column(2, 'user', 'text'), column(3, 'Total', 'numeric')],
  constraints: [],
  indexes: [],
  triggers: [],
  policies: [],
};

const events: TableInfo = {
  schema: 'app',
  name: 'events',
  kind: 'table',
  owner: 'app_owner',
  rowEstimate: 980,
  totalBytes: 65536,
  rlsEnabled: false,
  rlsForced: false,
  columns: [column(1, 'id', 'uuid', { nullable: false, default: 'gen_random_uuid()' }), column(2, 'payload', 'jsonb')],
  constraints: [],
  indexes: [],
  triggers: [],
  policies: [],
};

export const SNAPSHOT: SchemaSnapshot = {
  serverVersionNum: 170004,
  serverVersion: 'PostgreSQL 17.4',
  source: 'pglite',
  fingerprint: 'fixture',
  schemas: [
    { name: 'public', owner: 'pg_database_owner', comment: 'standard public schema' },
    { name: 'app', owner: 'app_owner', comment: 'Application objects' },
  ],
  tables: [users, orders, orderTable, events],
  views: [
    {
      schema: 'public',
      name: 'active_users',
      materialized: false,
      definition: ' SELECT users.id,\n    users.email\n   FROM users\n  WHERE (users.created_at > (now() - \'30 days\'::interval));',
      owner: 'app_owner',
      comment: 'Users seen this month',
      columns: [column(1, 'id', 'bigint'), column(2, 'email', 'text')],
    },
  ],
  types: [
    { schema: 'public', name: 'mood', kind: 'enum', values: ['sad', 'ok', 'happy'], comment: 'How a user feels' },
    { schema: 'app', name: 'email', kind: 'domain', baseType: 'text', notNull: true, checks: ["CHECK (VALUE ~ '^[^@]+@[^@]+$'::text)"] },
  ],
  functions: [
    {
      schema: 'public',
      name: 'order_total',
      kind: 'function',
      arguments: 'order_id bigint',
      returns: 'numeric',
      language: 'sql',
      volatility: 'stable',
      securityDefiner: false,
      config: [],
      comment: 'Total of an order',
    },
    {
      schema: 'public',
      name: 'order_total',
      kind: 'function',
      arguments: 'order_id bigint, with_tax boolean',
      returns: 'numeric',
      language: 'plpgsql',
      volatility: 'stable',
      securityDefiner: true,
      config: ['search_path=public'],
    },
    { schema: 'app', name: 'touch', kind: 'function', arguments: '', returns: 'trigger', language: 'plpgsql', volatility: 'volatile', securityDefiner: false, config: [] },
  ],
  sequences: [{ schema: 'public', name: 'orders_id_seq', dataType: 'bigint', ownedBy: 'public.orders.id' }],
  extensions: [{ name: 'plpgsql', schema: 'pg_catalog', version: '1.0' }],
  roles: [{ name: 'app_owner', superuser: false, canLogin: true, bypassRls: false }],
};

/** A snapshot with `count` tables in `app` (plus the fixture's objects), for timing. */
export function largeSnapshot(count: number): SchemaSnapshot {
  const tables: TableInfo[] = [...SNAPSHOT.tables];
  for (let n = 0; n < count; n++) {
    tables.push({
      ...events,
      name: `table_${n}`,
      columns: Array.from({ length: 8 }, (_, k) => column(k + 1, `col_${k}`, k % 2 ? 'text' : 'bigint')),
      constraints: n > 0 ? [{ name: `table_${n}_parent_fkey`, kind: 'foreign key', columns: ['col_1'], definition: '', validated: true, references: { schema: 'app', table: `table_${n - 1}`, columns: ['col_0'] } }] : [],
    });
  }
  return { ...SNAPSHOT, tables };
}
