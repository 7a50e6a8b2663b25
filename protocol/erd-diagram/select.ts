/**
 * Parts of the diagram: by schema, around a table (N hops along foreign keys, inheritance and view
 * dependencies, either direction), and the shortest path between two tables. Pure and free of Node
 * APIs: the CLI and the webview share it. A kept relation whose other end is left out keeps that end
 * as a stub, so no edge points into nothing.
 */
import type { ErdModel, ErdRef } from '../erd';
import { erdKey } from '../erd';

export interface ErdSelection {
  /** Keep only these schemas (all when absent or empty). */
  schemas?: string[];
  /** `schema.name` or a bare name (resolved in `public` first, then in any schema). */
  focus?: string;
  /** Hops around the focus; default 1. */
  depth?: number;
}

/** Edges of the diagram as undirected adjacency between `schema.name` keys. */
export function adjacency(model: ErdModel): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  const link = (a: string, b: string): void => {
    if (a === b) return;
    (edges.get(a) ?? edges.set(a, new Set()).get(a)!).add(b);
    (edges.get(b) ?? edges.set(b, new Set()).get(b)!).add(a);
  };
  for (const relation of model.relations) link(erdKey({ schema: relation.from.schema, name: relation.from.table }), erdKey({ schema: relation.to.schema, name: relation.to.table }));
  for (const table of model.tables) for (const parent of table.inherits ?? []) link(erdKey(table), erdKey(parent));
  for (const view of model.views) for (const source of view.dependsOn) link(erdKey(view), erdKey(source));
  return edges;
}

/** The key of a table or view named `name` (`schema.name`, or a bare name), or undefined. */
export function resolveName(model: ErdModel, name: string): string | undefined {
  const all = [...model.tables, ...model.views];
  const exact = all.find((relation) => erdKey(relation) === name);
  if (exact) return erdKey(exact);
  const bare = all.filter((relation) => relation.name === name);
  const chosen = bare.find((relation) => relation.schema === 'public') ?? bare[0];
  return chosen ? erdKey(chosen) : undefined;
}

/** Keys within `depth` hops of `start`, the start included. */
export function neighbourhood(edges: Map<string, Set<string>>, start: string, depth: number): Set<string> {
  const seen = new Set([start]);
  let frontier = [start];
  for (let hop = 0; hop < depth && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const key of frontier) {
      for (const neighbour of edges.get(key) ?? []) {
        if (!seen.has(neighbour)) {
          seen.add(neighbour);
          next.push(neighbour);
        }
      }
    }
    frontier = next;
  }
  return seen;
}

/** The shortest chain of keys from `from` to `to` (both included), or undefined when they are not connected. */
export function shortestPath(edges: Map<string, Set<string>>, from: string, to: string): string[] | undefined {
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let k = 0; k < queue.length; k++) {
    const key = queue[k];
    if (key === to) {
      const path: string[] = [];
      for (let at: string | null = to; at !== null; at = previous.get(at) ?? null) path.unshift(at);
      return path;
    }
    for (const neighbour of edges.get(key) ?? []) {
      if (!previous.has(neighbour)) {
        previous.set(neighbour, key);
        queue.push(neighbour);
      }
    }
  }
  return undefined;
}

/** The model restricted to a set of keys; relations leaving it keep their far end as a stub. */
export function restrictTo(model: ErdModel, keep: (key: string) => boolean): ErdModel {
  const tables = model.tables.filter((table) => keep(erdKey(table)));
  const views = model.views.filter((view) => keep(erdKey(view)));
  const stubs = new Map<string, ErdRef>();
  const stub = (ref: ErdRef): void => {
    if (!keep(erdKey(ref))) stubs.set(erdKey(ref), ref);
  };
  const relations = model.relations.filter((relation) => {
    const from = { schema: relation.from.schema, name: relation.from.table };
    const to = { schema: relation.to.schema, name: relation.to.table };
    if (!keep(erdKey(from)) && !keep(erdKey(to))) return false;
    stub(from);
    stub(to);
    return true;
  });
  for (const table of tables) for (const parent of table.inherits ?? []) stub(parent);
  for (const view of views) for (const source of view.dependsOn) stub(source);
  const result: ErdModel = { ...model, schemas: [...new Set([...tables, ...views].map((relation) => relation.schema))].sort(), tables, views, relations };
  if (stubs.size > 0) result.stubs = [...stubs.values()].sort((a, b) => (erdKey(a) < erdKey(b) ? -1 : 1));
  return result;
}

/** Applies a selection; throws when the focus names nothing. */
export function selectErd(model: ErdModel, selection: ErdSelection): ErdModel {
  let result = model;
  if (selection.schemas && selection.schemas.length > 0) {
    const schemas = new Set(selection.schemas);
    const inSchemas = new Set([...model.tables, ...model.views].filter((relation) => schemas.has(relation.schema)).map(erdKey));
    result = restrictTo(result, (key) => inSchemas.has(key));
  }
  if (selection.focus !== undefined) {
    const start = resolveName(model, selection.focus);
    if (!start) throw new Error(`no table or view named ${selection.focus}`);
    const around = neighbourhood(adjacency(model), start, selection.depth ?? 1);
    const schemaKept = new Set([...result.tables, ...result.views].map(erdKey));
    result = restrictTo(model, (key) => around.has(key) && (schemaKept.has(key) || key === start));
  }
  return result;
}
