/**
 * A synthetic schema for the ER diagram's bench and screenshots: `tables` tables over four schemas,
 * `foreignKeys` foreign keys from each table to earlier ones (seeded, so every run draws the same
 * picture), a few columns each. Plain SchemaSnapshot data, as the catalog queries would return it.
 */
import type { ColumnInfo, ConstraintInfo, SchemaSnapshot, TableInfo } from '../../protocol/schema';

const SCHEMAS = ['public', 'billing', 'catalog', 'audit'];
const WORDS = ['account', 'order', 'invoice', 'product', 'customer', 'payment', 'shipment', 'address', 'ticket', 'event', 'price', 'stock', 'review', 'coupon', 'refund', 'vendor'];

export function generateErdSnapshot(tables: number, foreignKeys: number, seed = 42): SchemaSnapshot {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const list: TableInfo[] = [];
  for (let k = 0; k < tables; k++) {
    const schema = SCHEMAS[Math.floor((k * SCHEMAS.length) / tables)];
    const name = `${WORDS[k % WORDS.length]}_${k}`;
    const columns: ColumnInfo[] = [
      { name: 'id', position: 1, type: 'bigint', nullable: false, identity: 'always' },
      { name: 'name', position: 2, type: 'text', nullable: false },
      { name: 'created_at', position: 3, type: 'timestamp with time zone', nullable: false, default: 'now()' },
      { name: 'note', position: 4, type: 'text', nullable: true },
    ];
    list.push({
      schema,
      name,
      kind: 'table',
      owner: 'postgres',
      rowEstimate: -1,
      totalBytes: 8192,
      rlsEnabled: k % 7 === 0,
      rlsForced: false,
      columns,
      constraints: [{ name: `${name}_pkey`, kind: 'primary key', columns: ['id'], definition: 'PRIMARY KEY (id)', validated: true }],
      indexes: [],
      triggers: [],
      policies: [],
    });
  }
  for (let f = 0; f < foreignKeys; f++) {
    // Mostly to a nearby earlier table (clusters, as real schemas have), sometimes anywhere before.
    const from = 1 + Math.floor(random() * (tables - 1));
    const to = random() < 0.8 ? Math.max(0, from - 1 - Math.floor(random() * 12)) : Math.floor(random() * from);
    const source = list[from];
    const target = list[to];
    const column = `${target.name}_id`;
    if (source.columns.some((existing) => existing.name === column)) continue;
    source.columns.push({ name: column, position: source.columns.length + 1, type: 'bigint', nullable: random() < 0.3 });
    const constraint: ConstraintInfo = {
      name: `${source.name}_${column}_fkey`,
      kind: 'foreign key',
      columns: [column],
      definition: `FOREIGN KEY (${column}) REFERENCES ${target.schema}.${target.name}(id)`,
      validated: true,
      references: { schema: target.schema, table: target.name, columns: ['id'] },
      onDelete: random() < 0.3 ? 'CASCADE' : 'NO ACTION',
      onUpdate: 'NO ACTION',
    };
    source.constraints.push(constraint);
  }
  return {
    serverVersionNum: 150000,
    serverVersion: 'PostgreSQL 15 (generated)',
    source: 'pg',
    fingerprint: 'generated',
    schemas: SCHEMAS.map((name) => ({ name, owner: 'postgres' })),
    tables: list,
    views: [],
    types: [],
    functions: [],
    sequences: [],
    extensions: [],
    roles: [],
  };
}
