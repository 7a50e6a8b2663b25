/**
 * Pure lookups in a SchemaSnapshot. Names are compared exactly as stored in the catalog (no case
 * folding): pass `Users` for a table created as `"Users"`, `users` for one created as `Users`.
 * A part written in double quotes (`"my.schema"."t"`) is unquoted first, so dots inside it are kept.
 */
import type { ColumnInfo, FunctionInfo, IndexInfo, SchemaSnapshot, TableInfo, ViewInfo } from '../../../protocol/schema';

/**
 * The table `name` refers to: `schema.table`, or a bare `table` looked up through `searchPath` in
 * order. A name with a dot that matches no qualified table is tried as a bare name too (a table whose
 * stored name contains a dot).
 */
export function findTable(snapshot: SchemaSnapshot, name: string, searchPath: readonly string[] = ['public']): TableInfo | undefined {
  return findIn(snapshot.tables, name, searchPath)[0];
}

/** The column `name` of a table or view, exactly as stored. */
export function findColumn(relation: TableInfo | ViewInfo, name: string): ColumnInfo | undefined {
  return relation.columns.find((column) => column.name === name);
}

/**
 * Every overload of function `name` (`schema.fn` or bare): for a bare name, those of every schema in
 * `searchPath`, schemas in search-path order, as PostgreSQL considers them when resolving a call.
 */
export function findFunction(snapshot: SchemaSnapshot, name: string, searchPath: readonly string[] = ['public']): FunctionInfo[] {
  return findIn(snapshot.functions, name, searchPath);
}

/**
 * The indexes of `table` that have `column` among their key columns (not INCLUDE columns, not inside
 * an expression), those that lead with it first: `result[0]?.columns[0] === column` tells whether an
 * index can serve lookups on that column alone (a foreign key's, say).
 */
export function indexesCovering(table: TableInfo | ViewInfo, column: string): IndexInfo[] {
  const indexes = 'constraints' in table ? table.indexes : (table.indexes ?? []);
  return indexes
    .filter((index) => index.columns.includes(column))
    .sort((a, b) => a.columns.indexOf(column) - b.columns.indexOf(column) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** All items `name` designates, in search-path order for a bare name. */
function findIn<T extends { schema: string; name: string }>(items: readonly T[], name: string, searchPath: readonly string[]): T[] {
  const parts = splitName(name);
  if (parts.length === 2) {
    const [schema, bare] = parts;
    const qualified = items.filter((item) => item.schema === schema && item.name === bare);
    if (qualified.length > 0 || name.includes('"')) return qualified;
  }
  // Bare, or an unquoted dotted name that names no qualified object: look for it as one name.
  const bare = parts.length === 1 ? parts[0] : name;
  const found: T[] = [];
  for (const schema of searchPath) found.push(...items.filter((item) => item.schema === schema && item.name === bare));
  return found;
}

/** `a.b` → [a, b]; `"a.b"."c"` → [a.b, c]; `"x""y"` → [x"y]. No case folding. */
function splitName(name: string): string[] {
  if (!name.includes('"')) {
    const dot = name.indexOf('.');
    return dot < 0 ? [name] : [name.slice(0, dot), name.slice(dot + 1)];
  }
  const parts: string[] = [];
  let current = '';
  let k = 0;
  while (k < name.length) {
    const char = name[k];
    if (char === '"') {
      k++;
      while (k < name.length) {
        if (name[k] === '"') {
          if (name[k + 1] === '"') {
            current += '"';
            k += 2;
            continue;
          }
          break;
        }
        current += name[k++];
      }
      k++;
    } else if (char === '.') {
      parts.push(current);
      current = '';
      k++;
    } else {
      current += char;
      k++;
    }
  }
  parts.push(current);
  return parts;
}
