/**
 * The ER diagram's model: a pure function of the schema snapshot. Partitions fold into their parent
 * (a foreign key declared on a partitioned table is one relation, not one per partition), views stay
 * apart from tables, and every relation says its columns on both sides, its actions and cardinality.
 */
import type { ErdAction, ErdColumn, ErdModel, ErdRef, ErdRelation, ErdTable, ErdView } from '../../../protocol/erd';
import { erdKey } from '../../../protocol/erd';
import type { ColumnInfo, SchemaSnapshot, TableInfo } from '../../../protocol/schema';

const ACTIONS: Record<string, ErdAction> = { 'NO ACTION': 'no action', RESTRICT: 'restrict', CASCADE: 'cascade', 'SET NULL': 'set null', 'SET DEFAULT': 'set default' };

export function buildErdModel(snapshot: SchemaSnapshot): ErdModel {
  const byKey = new Map(snapshot.tables.map((table) => [erdKey(table), table]));
  /** A partition's outermost partitioned ancestor (partitions of partitions fold all the way up). */
  const rootOf = (key: string): string => {
    let current = key;
    for (let hops = 0; hops < 64; hops++) {
      const parent = byKey.get(current)?.partitionOf;
      if (!parent || !byKey.has(parent)) return current;
      current = parent;
    }
    return current;
  };

  const tables = new Map<string, ErdTable>();
  const partitionsOf = new Map<string, ErdTable['partitions'] & object>();
  for (const table of snapshot.tables) {
    const key = erdKey(table);
    if (table.partitionOf && byKey.has(table.partitionOf)) {
      const root = rootOf(key);
      const list = partitionsOf.get(root) ?? [];
      list.push({ schema: table.schema, name: table.name, ...(table.partitionBound ? { bound: table.partitionBound } : {}) });
      partitionsOf.set(root, list);
      continue;
    }
    tables.set(key, tableOf(table));
  }
  for (const [key, partitions] of partitionsOf) {
    const table = tables.get(key);
    if (table) table.partitions = partitions.sort(byRef);
  }

  const relations = new Map<string, ErdRelation>();
  for (const table of snapshot.tables) {
    const from = byKey.get(rootOf(erdKey(table)));
    if (!from) continue;
    for (const constraint of table.constraints) {
      if (constraint.kind !== 'foreign key' || !constraint.references) continue;
      const target = constraint.references;
      const targetKey = rootOf(erdKey({ schema: target.schema, name: target.table }));
      const to = byKey.get(targetKey);
      // PostgreSQL copies a partitioned table's foreign key to each partition, and a key into a
      // partitioned table to one row per referenced partition (under other names on 17+): the copies
      // fold into one relation, named after the one declared between the two roots.
      const declared = erdKey(table) === erdKey(from) && targetKey === erdKey({ schema: target.schema, name: target.table });
      const id = `${erdKey(from)}\u0000${constraint.columns.join('\u0000')}\u0001${targetKey}\u0000${target.columns.join('\u0000')}`;
      if (relations.has(id) && !declared) continue;
      const fromColumns = constraint.columns;
      const unique = uniqueColumnSets(from).some((set) => set.every((column) => fromColumns.includes(column)));
      relations.set(id, {
        name: constraint.name,
        from: { schema: from.schema, table: from.name, columns: fromColumns },
        to: { schema: to?.schema ?? target.schema, table: to?.name ?? target.table, columns: target.columns },
        onDelete: ACTIONS[constraint.onDelete ?? 'NO ACTION'] ?? 'no action',
        onUpdate: ACTIONS[constraint.onUpdate ?? 'NO ACTION'] ?? 'no action',
        cardinality: unique ? 'one-to-one' : 'many-to-one',
        optional: fromColumns.some((name) => from.columns.find((column) => column.name === name)?.nullable ?? true),
        toPrimaryKey: to ? sameColumns(primaryKeyOf(to), target.columns) : false,
        validated: constraint.validated,
      });
    }
  }
  for (const relation of relations.values()) {
    for (const name of relation.from.columns) {
      const column = tables.get(erdKey({ schema: relation.from.schema, name: relation.from.table }))?.columns.find((candidate) => candidate.name === name);
      if (column) column.foreignKey = true;
    }
  }

  const views: ErdView[] = snapshot.views.map((view) => ({
    schema: view.schema,
    name: view.name,
    materialized: view.materialized,
    columns: view.columns.map((column) => columnOf(column)),
    dependsOn: (view.dependsOn ?? []).map((ref) => {
      const root = byKey.get(rootOf(erdKey(ref)));
      return root ? { schema: root.schema, name: root.name } : ref;
    }).filter((ref, index, all) => all.findIndex((other) => erdKey(other) === erdKey(ref)) === index),
    ...(view.comment ? { comment: view.comment } : {}),
  }));

  const tableList = [...tables.values()].sort(byRef);
  const schemas = [...new Set([...tableList, ...views].map((relation) => relation.schema))].sort();
  return {
    source: snapshot.source,
    serverVersion: snapshot.serverVersion,
    schemas,
    tables: tableList,
    views: views.sort(byRef),
    relations: [...relations.values()].sort((a, b) => byRef({ schema: a.from.schema, name: a.from.table }, { schema: b.from.schema, name: b.from.table }) || compare(a.name, b.name)),
  };
}

function tableOf(table: TableInfo): ErdTable {
  const primaryKey = primaryKeyOf(table);
  const uniqueKeys = uniqueColumnSets(table).filter((set) => !sameColumns(set, primaryKey));
  const singleUnique = new Set(uniqueKeys.filter((set) => set.length === 1).map((set) => set[0]));
  const result: ErdTable = {
    schema: table.schema,
    name: table.name,
    kind: table.kind,
    columns: table.columns.map((column) => columnOf(column, primaryKey.includes(column.name), singleUnique.has(column.name))),
    rlsEnabled: table.rlsEnabled,
    rlsForced: table.rlsForced,
    policies: table.policies.length,
    rowEstimate: table.rowEstimate,
  };
  if (primaryKey.length > 0) result.primaryKey = primaryKey;
  if (uniqueKeys.length > 0) result.uniqueKeys = uniqueKeys;
  if (table.partitionKey) result.partitionKey = table.partitionKey;
  if (table.inherits?.length) result.inherits = table.inherits.map((ref) => ({ ...ref }));
  if (table.comment) result.comment = table.comment;
  return result;
}

function columnOf(column: ColumnInfo, primaryKey = false, unique = false): ErdColumn {
  const result: ErdColumn = { name: column.name, type: column.type, nullable: column.nullable };
  if (primaryKey) result.primaryKey = true;
  if (unique) result.unique = true;
  if (column.default !== undefined) result.default = column.default;
  if (column.identity) result.identity = column.identity;
  if (column.generated !== undefined) result.generated = column.generated;
  if (column.comment) result.comment = column.comment;
  return result;
}

function primaryKeyOf(table: TableInfo | undefined): string[] {
  return table?.constraints.find((constraint) => constraint.kind === 'primary key')?.columns ?? [];
}

/** Column sets that are unique: primary key, UNIQUE constraints, and valid non-partial unique indexes on plain columns. */
function uniqueColumnSets(table: TableInfo): string[][] {
  const names = new Set(table.columns.map((column) => column.name));
  const sets: string[][] = [];
  const add = (columns: string[]): void => {
    if (columns.length > 0 && columns.every((column) => names.has(column)) && !sets.some((set) => sameColumns(set, columns))) sets.push(columns);
  };
  for (const constraint of table.constraints) if (constraint.kind === 'primary key' || constraint.kind === 'unique') add(constraint.columns);
  for (const index of table.indexes) if (index.unique && index.valid && !index.predicate) add(index.columns);
  return sets;
}

function sameColumns(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((column) => b.includes(column));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byRef(a: ErdRef, b: ErdRef): number {
  return compare(a.schema, b.schema) || compare(a.name, b.name);
}
