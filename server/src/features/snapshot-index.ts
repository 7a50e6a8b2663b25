/** A schema snapshot indexed once (by name, with a catalog to resolve names against), for hover and completion. */
import type { FunctionInfo, IndexInfo, SchemaInfo, SchemaSnapshot, TableInfo, TypeInfo, ViewInfo } from '../../../protocol/schema';
import { objectKey } from '../schema/origins';
import { lookupIn } from './resolve';
import type { Catalog, CatalogKind } from './resolve';

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
