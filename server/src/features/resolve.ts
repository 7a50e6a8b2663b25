/** Resolving a name against a catalog: a schema snapshot, or what the migrations create. */
import { scopeMatch } from './statement-names';
import type { NameTarget, QualifiedName } from './statement-names';

export type Resolved =
  | { kind: 'schema'; schema: string }
  | { kind: 'relation' | 'index' | 'function' | 'type'; schema: string; name: string }
  | { kind: 'column'; schema: string; table: string; column: string };

export type CatalogKind = 'relation' | 'index' | 'function' | 'type';

/** What resolution needs to know of a catalog. */
export interface Catalog {
  hasSchema(schema: string): boolean;
  /** The schema holding the object `name` of this kind: its own, or the first of the search path that has it. */
  schemaOf(kind: CatalogKind, name: QualifiedName): string | undefined;
  hasColumn(schema: string, table: string, column: string): boolean;
}

export function resolveTarget(target: NameTarget, catalog: Catalog): Resolved | undefined {
  switch (target.kind) {
    case 'schema':
      return catalog.hasSchema(target.schema) ? target : undefined;
    case 'column':
      return columnIn(target.column, target.candidates, catalog);
    case 'unknown':
      return resolveUnknown(target, catalog);
    default: {
      const schema = catalog.schemaOf(target.kind, target.name);
      return schema === undefined ? undefined : { kind: target.kind, schema, name: target.name.name };
    }
  }
}

function columnIn(column: string, candidates: readonly QualifiedName[], catalog: Catalog): Resolved | undefined {
  for (const candidate of candidates) {
    const schema = catalog.schemaOf('relation', candidate);
    if (schema !== undefined && catalog.hasColumn(schema, candidate.name, column)) return { kind: 'column', schema, table: candidate.name, column };
  }
  return undefined;
}

function anyObject(name: QualifiedName, catalog: Catalog): Resolved | undefined {
  for (const kind of ['relation', 'function', 'type', 'index'] as const) {
    const schema = catalog.schemaOf(kind, name);
    if (schema !== undefined) return { kind, schema, name: name.name };
  }
  return undefined;
}

/** A name whose role the tree does not tell (DROP, COMMENT ON, a statement that does not parse, …). */
function resolveUnknown(target: Extract<NameTarget, { kind: 'unknown' }>, catalog: Catalog): Resolved | undefined {
  const { parts, index, scope } = target;
  const n = parts.length;
  const schemaPart = (): Resolved | undefined => (catalog.hasSchema(parts[index]) ? { kind: 'schema', schema: parts[index] } : undefined);
  if (n === 1) return columnIn(parts[0], scope, catalog) ?? anyObject({ name: parts[0] }, catalog) ?? schemaPart();
  if (index === n - 1) {
    const qualifier = parts[n - 2];
    if (n === 2) return anyObject({ schema: qualifier, name: parts[1] }, catalog) ?? columnIn(parts[1], scopeMatch(scope, qualifier), catalog);
    return columnIn(parts[n - 1], [{ schema: parts[n - 3], name: parts[n - 2] }], catalog);
  }
  if (index === n - 2) {
    const relation = n === 2 ? scopeMatch(scope, parts[0])[0] : { schema: parts[n - 3], name: parts[n - 2] };
    const schema = catalog.schemaOf('relation', relation);
    if (schema !== undefined) return { kind: 'relation', schema, name: relation.name };
  }
  return schemaPart();
}

/** Where a bare name is looked up: `public`, then the catalog's other schemas. */
export function lookupIn(searchPath: readonly string[], name: QualifiedName, has: (schema: string, name: string) => boolean): string | undefined {
  if (name.schema !== undefined) return has(name.schema, name.name) ? name.schema : undefined;
  return searchPath.find((schema) => has(schema, name.name));
}

/** Map key of a schema-qualified object (names cannot hold NUL). */
