/** Plain-data snapshots for the unit and speed tests, no database needed. */
import type { ColumnInfo, SchemaSnapshot, TableInfo, ViewInfo } from '../../protocol/schema';

export function emptySnapshot(): SchemaSnapshot {
  return {
    serverVersionNum: 150000,
    serverVersion: 'PostgreSQL 15',
    source: 'pg',
    fingerprint: 'x',
    schemas: [{ name: 'public', owner: 'postgres' }],
    tables: [],
    views: [],
    types: [],
    functions: [],
    sequences: [],
    extensions: [],
    roles: [],
  };
}

export function column(name: string, type: string, extra: Partial<ColumnInfo> = {}): ColumnInfo {
  return { name, position: 0, type, nullable: true, ...extra };
}

export function table(schema: string, name: string, columns: ColumnInfo[], extra: Partial<TableInfo> = {}): TableInfo {
  return {
    schema,
    name,
    kind: 'table',
    owner: 'postgres',
    rowEstimate: 0,
    totalBytes: 0,
    rlsEnabled: false,
    rlsForced: false,
    columns: columns.map((c, k) => ({ ...c, position: k + 1 })),
    constraints: [],
    indexes: [],
    triggers: [],
    policies: [],
    ...extra,
  };
}

export function view(schema: string, name: string, definition: string, columns: ColumnInfo[]): ViewInfo {
  return { schema, name, materialized: false, definition, owner: 'postgres', columns, triggers: [] };
}

/** `n` tables of 10 columns with a primary key, an index and a foreign key to the previous table. */
export function bigSnapshot(n: number): SchemaSnapshot {
  const snapshot = emptySnapshot();
  for (let k = 0; k < n; k++) {
    const name = `t${k}`;
    const t = table('public', name, [
      column('id', 'bigint', { nullable: false }),
      column('parent_id', 'bigint'),
      ...Array.from({ length: 8 }, (_, c) => column(`c${c}`, c % 2 ? 'text' : 'integer', c === 0 ? { default: '0' } : {})),
    ]);
    t.constraints.push({ name: `${name}_pkey`, kind: 'primary key', columns: ['id'], definition: 'PRIMARY KEY (id)', validated: true });
    if (k > 0) {
      t.constraints.push({
        name: `${name}_parent_fkey`,
        kind: 'foreign key',
        columns: ['parent_id'],
        definition: `FOREIGN KEY (parent_id) REFERENCES public.t${k - 1}(id)`,
        validated: true,
        references: { schema: 'public', table: `t${k - 1}`, columns: ['id'] },
      });
    }
    t.indexes.push(
      { name: `${name}_pkey`, columns: ['id'], unique: true, primary: true, valid: true, method: 'btree', definition: `CREATE UNIQUE INDEX ${name}_pkey ON public.${name} USING btree (id)`, bytes: 0 },
      { name: `${name}_c0_idx`, columns: ['c0'], unique: false, primary: false, valid: true, method: 'btree', definition: `CREATE INDEX ${name}_c0_idx ON public.${name} USING btree (c0)`, bytes: 0 },
    );
    snapshot.tables.push(t);
    if (k % 10 === 0) snapshot.views.push(view('public', `v${k}`, ` SELECT id, c0\n   FROM public.${name};`, [column('id', 'bigint'), column('c0', 'integer')]));
  }
  return snapshot;
}
