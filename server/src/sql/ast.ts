import type { Node } from 'libpg-query';

/**
 * Small, untyped accessors over libpg-query's JSON tree. Every node is an object with a single key
 * naming its type (`{ CreateStmt: {...} }`); these helpers keep that shape out of feature code.
 */

export type Fields = Record<string, unknown>;

/** The node's type name and its fields, e.g. `['CreateStmt', { relation, … }]`. */
export function unwrap(node: unknown): [string, Fields] | undefined {
  if (!node || typeof node !== 'object') return undefined;
  // for…in rather than Object.keys: no array per call (rules unwrap every statement many times).
  let key: string | undefined;
  let count = 0;
  for (const name in node) {
    key = name;
    if (++count > 1) break;
  }
  if (count !== 1 || key === undefined) return undefined;
  const fields = (node as Fields)[key];
  return [key, fields && typeof fields === 'object' ? (fields as Fields) : {}];
}

export function nodeType(node: Node | undefined): string | undefined {
  return unwrap(node)?.[0];
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `{ String: { sval } }` → sval. */
export function stringValue(node: unknown): string | undefined {
  const unwrapped = unwrap(node);
  if (!unwrapped || unwrapped[0] !== 'String') return undefined;
  const value = unwrapped[1].sval;
  return typeof value === 'string' ? value : '';
}

/** A qualified name list (`[{String: 'public'}, {String: 'users'}]`) → `public.users`. */
export function qualifiedName(list: unknown): string {
  return asArray(list)
    .map((part) => stringValue(part) ?? '*')
    .join('.');
}

/** A RangeVar (`{ schemaname, relname }`) → `schema.name` or `name`. */
export function rangeVarName(rangeVar: unknown): string | undefined {
  if (!rangeVar || typeof rangeVar !== 'object') return undefined;
  const fields = (unwrap(rangeVar)?.[0] === 'RangeVar' ? unwrap(rangeVar)?.[1] : rangeVar) as Fields;
  const relname = fields.relname;
  if (typeof relname !== 'string') return undefined;
  return typeof fields.schemaname === 'string' ? `${fields.schemaname}.${relname}` : relname;
}

/** The `DefElem` option named `name` in a list of options, if any. */
export function findOption(options: unknown, name: string): Fields | undefined {
  for (const option of asArray(options)) {
    const unwrapped = unwrap(option);
    if (unwrapped?.[0] === 'DefElem' && unwrapped[1].defname === name) return unwrapped[1];
  }
  return undefined;
}
