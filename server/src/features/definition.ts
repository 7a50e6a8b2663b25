/** Go to definition: where the migrations created the object under the cursor. */
import type { SchemaSnapshot } from '../../../protocol/schema';
import type { DocumentAnalysis } from '../document/analyze';
import { objectKey } from '../schema/origins';
import type { ObjectOrigin, ObjectOrigins, Origin } from '../schema/origins';
import { targetAt } from './name-at-cursor';
import { lookupIn, resolveTarget } from './resolve';
import type { Catalog, CatalogKind, Resolved } from './resolve';
import { snapshotIndex } from './snapshot-index';

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
