/**
 * Migration generator benchmark (issue #6 targets):
 * (a) `diffSchemas` of two 1,000-table snapshots built in memory (8 columns, a primary key, a foreign
 *     key to the previous table and an index each; desired = current with ~5% of the tables changed:
 *     columns added, dropped and retyped, indexes added, tables added and dropped), median of 5;
 * (b) verification of a generated migration on PGlite: 100 and 1,000 tables, 20 of them changed; the
 *     time of `verifyMigration` (build the shadow from the SQL, apply up, re-diff, apply down, re-diff).
 * Deterministic inputs; nothing is asserted here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ColumnInfo, ConstraintInfo, IndexInfo, SchemaSnapshot, TableInfo } from '../../protocol/schema';
import { diffSchemas } from '../../server/src/diff';
import { loadSource, resolveSource } from '../../server/src/generate/desired';
import { verifyMigration } from '../../server/src/generate/verify';
import { loadParser } from '../../server/src/sql/parser';

interface Row {
  measure: string;
  value: string;
  target: string;
  ok?: boolean;
}

const SCHEMA = 'bench';
const TYPES = ['bigint', 'text', 'timestamp with time zone', 'numeric(12,2)', 'jsonb', 'uuid', 'boolean', 'integer'];

function column(name: string, position: number, type: string, nullable = true, defaultValue?: string): ColumnInfo {
  return { name, position, type, nullable, ...(defaultValue === undefined ? {} : { default: defaultValue }) };
}

function index(table: string, name: string, columns: string[], options: { unique?: boolean; primary?: boolean } = {}): IndexInfo {
  const unique = options.unique ?? false;
  return {
    name,
    columns,
    unique,
    primary: options.primary ?? false,
    valid: true,
    method: 'btree',
    definition: `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${name} ON ${SCHEMA}.${table} USING btree (${columns.join(', ')})`,
    bytes: 8192,
  };
}

function table(n: number): TableInfo {
  const name = `t_${n}`;
  const columns: ColumnInfo[] = [column('id', 1, 'bigint', false)];
  for (let k = 0; k < 6; k++) columns.push(column(`col_${k}`, k + 2, TYPES[(n + k) % TYPES.length], k % 3 !== 0));
  columns.push(column('parent_id', 8, 'bigint'));
  columns.push(column('created_at', 9, 'timestamp with time zone', false, 'now()'));
  const constraints: ConstraintInfo[] = [{ name: `${name}_pkey`, kind: 'primary key', columns: ['id'], definition: 'PRIMARY KEY (id)', validated: true }];
  if (n > 0) {
    constraints.push({
      name: `${name}_parent_id_fkey`,
      kind: 'foreign key',
      columns: ['parent_id'],
      definition: `FOREIGN KEY (parent_id) REFERENCES ${SCHEMA}.t_${n - 1}(id) ON DELETE CASCADE`,
      validated: true,
      references: { schema: SCHEMA, table: `t_${n - 1}`, columns: ['id'] },
      onDelete: 'CASCADE',
      onUpdate: 'NO ACTION',
    });
  }
  return {
    schema: SCHEMA,
    name,
    kind: 'table',
    owner: 'postgres',
    rowEstimate: -1,
    totalBytes: 16384,
    rlsEnabled: false,
    rlsForced: false,
    columns,
    constraints,
    indexes: [index(name, `${name}_pkey`, ['id'], { unique: true, primary: true }), index(name, `${name}_parent_idx`, ['parent_id'])],
    triggers: [],
    policies: [],
  };
}

function snapshot(tables: TableInfo[]): SchemaSnapshot {
  return {
    serverVersionNum: 180000,
    serverVersion: 'PostgreSQL 18.0',
    source: 'pglite',
    fingerprint: 'bench',
    schemas: [
      { name: 'public', owner: 'pg_database_owner' },
      { name: SCHEMA, owner: 'postgres' },
    ],
    tables,
    views: [],
    types: [],
    functions: [],
    sequences: [],
    extensions: [{ name: 'plpgsql', schema: 'pg_catalog', version: '1.0' }],
    roles: [{ name: 'postgres', superuser: true, canLogin: true, bypassRls: true }],
  };
}

/** Current: 1,000 tables. Desired: 50 of them changed (5%), 5 added, 5 dropped (the last ones: no foreign key points at them). */
export function thousandTableSnapshots(): { current: SchemaSnapshot; desired: SchemaSnapshot } {
  const tables = Array.from({ length: 1000 }, (_, n) => table(n));
  const current = snapshot(tables);
  const desired = structuredClone(tables).slice(0, 995);
  for (let k = 0; k < 40; k++) {
    const target = desired[k * 24 + 3];
    switch (k % 4) {
      case 0:
        target.columns.push(column('added_note', target.columns.length + 1, 'text'));
        break;
      case 1:
        target.columns = target.columns.filter((c) => c.name !== 'col_1');
        break;
      case 2:
        target.columns = target.columns.map((c) => (c.name === 'col_2' ? { ...c, type: 'text' } : c));
        break;
      case 3:
        target.indexes.push(index(target.name, `${target.name}_created_idx`, ['created_at']));
        break;
    }
  }
  for (let k = 0; k < 5; k++) desired.push(table(2000 + k));
  return { current, desired: snapshot(desired) };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** SQL for the verification bench: `count` tables; `changed` of them get a column, an index and a foreign key more. */
function verificationSql(count: number, changed: number): { current: string; desired: string } {
  const current: string[] = [`CREATE SCHEMA ${SCHEMA};`];
  const desired: string[] = [`CREATE SCHEMA ${SCHEMA};`];
  for (let n = 0; n < count; n++) {
    const ddl = `CREATE TABLE ${SCHEMA}.t_${n} (id bigint PRIMARY KEY, name text NOT NULL, amount numeric(12,2), created_at timestamptz NOT NULL DEFAULT now(), parent_id bigint${n > 0 ? ` REFERENCES ${SCHEMA}.t_${n - 1} (id)` : ''});`;
    current.push(ddl);
    desired.push(ddl);
    if (n % Math.floor(count / changed) === 0 && n / Math.floor(count / changed) < changed) {
      desired.push(`ALTER TABLE ${SCHEMA}.t_${n} ADD COLUMN note text, ADD COLUMN owner_id bigint REFERENCES ${SCHEMA}.t_0 (id);`);
      desired.push(`CREATE INDEX t_${n}_created_idx ON ${SCHEMA}.t_${n} (created_at);`);
      desired.push(`COMMENT ON TABLE ${SCHEMA}.t_${n} IS 'changed ${n}';`);
    }
  }
  return { current: `${current.join('\n')}\n`, desired: `${desired.join('\n')}\n` };
}

export async function benchDiff(): Promise<Row[]> {
  const rows: Row[] = [];
  const { current, desired } = thousandTableSnapshots();
  const times: number[] = [];
  let changes = 0;
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    const diff = diffSchemas(current, desired);
    times.push(performance.now() - start);
    changes = diff.changes.length;
  }
  const diffMs = median(times);
  rows.push({ measure: `schema diff, two 1,000-table snapshots, ~5% changed (${changes} changes), median of 5`, value: `${diffMs.toFixed(1)} ms`, target: '≤ 2 s', ok: diffMs <= 2000 });

  await loadParser();
  for (const tables of [100, 1000]) rows.push(...(await benchVerification(tables, 20)));
  return rows;
}

async function benchVerification(tables: number, changed: number): Promise<Row[]> {
  const rows: Row[] = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-diff-bench-'));
  try {
    const sql = verificationSql(tables, changed);
    fs.writeFileSync(path.join(scratch, 'current.sql'), sql.current);
    fs.writeFileSync(path.join(scratch, 'desired.sql'), sql.desired);
    const options = { cacheDir: path.join(scratch, 'cache') };
    const from = resolveSource('current.sql', scratch);
    const { snapshot: currentSnapshot } = await loadSource(from, options);
    const { snapshot: desiredSnapshot, facts: desiredFacts } = await loadSource(resolveSource('desired.sql', scratch), options);
    const diffStart = performance.now();
    const up = diffSchemas(currentSnapshot, desiredSnapshot);
    const diffMs = performance.now() - diffStart;
    const down = diffSchemas(desiredSnapshot, currentSnapshot);
    rows.push({ measure: `  for reference: schema diff of the same schemas as loaded from PGlite (${tables.toLocaleString('en')} tables), one run`, value: `${diffMs.toFixed(1)} ms`, target: '—' });
    const start = performance.now();
    const report = await verifyMigration({ current: from, currentSnapshot, desired: desiredSnapshot, desiredFacts, up, down }, options);
    const verifyMs = performance.now() - start;
    const { buildMs, upMs, downMs } = report.timings;
    rows.unshift({
      measure: `verification of a generated migration on PGlite: ${tables.toLocaleString('en')} tables, ${changed} changed (${up.changes.length} changes up, ${down.changes.length} down), ${report.status}`,
      value: `${(verifyMs / 1000).toFixed(2)} s`,
      target: '≤ 10 s',
      ok: verifyMs <= 10_000 && report.status === 'passed',
    });
    rows.push({ measure: '  of which: shadow built from the SQL / up + re-diff / down + re-diff', value: `${(buildMs / 1000).toFixed(2)} / ${(upMs / 1000).toFixed(2)} / ${(downMs / 1000).toFixed(2)} s`, target: '—' });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}
