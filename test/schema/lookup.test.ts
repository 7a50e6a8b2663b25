import { describe, expect, it } from 'vitest';
import type { FunctionInfo, IndexInfo, SchemaSnapshot, TableInfo } from '../../protocol/schema';
import { findColumn, findFunction, findTable, indexesCovering } from '../../server/src/schema/lookup';
import { textArray } from '../../server/src/schema/snapshot';

function table(schema: string, name: string, columns: string[] = [], indexes: Array<Pick<IndexInfo, 'name' | 'columns'>> = []): TableInfo {
  return {
    schema,
    name,
    kind: 'table',
    owner: 'postgres',
    rowEstimate: -1,
    totalBytes: 0,
    rlsEnabled: false,
    rlsForced: false,
    columns: columns.map((column, k) => ({ name: column, position: k + 1, type: 'text', nullable: true })),
    constraints: [],
    indexes: indexes.map((index) => ({ ...index, unique: false, primary: false, valid: true, method: 'btree', definition: '', bytes: 8192 })),
    triggers: [],
    policies: [],
  };
}

function fn(schema: string, name: string, args: string): FunctionInfo {
  return { schema, name, kind: 'function', arguments: args, returns: 'integer', language: 'sql', volatility: 'immutable', securityDefiner: false, config: [] };
}

const snapshot: SchemaSnapshot = {
  serverVersionNum: 180000,
  serverVersion: 'PostgreSQL 18',
  source: 'pglite',
  fingerprint: '',
  schemas: [],
  tables: [
    table('public', 'users', ['id', 'Email']),
    table('app', 'users', ['id']),
    table('My Schema', 'Odd.Name', ['x']),
    table('public', 'a.b'),
    table('app', 'orders', ['id', 'user_id', 'total'], [
      { name: 'orders_total_user_idx', columns: ['total', 'user_id'] },
      { name: 'orders_user_idx', columns: ['user_id'] },
      { name: 'orders_lower_idx', columns: ['lower(user_id)'] },
    ]),
  ],
  views: [],
  types: [],
  functions: [fn('app', 'f', 'a integer'), fn('public', 'f', 'a text'), fn('public', 'f', ''), fn('app', 'g', '')],
  sequences: [],
  extensions: [],
  roles: [],
};

describe('schema lookups', () => {
  it('finds tables by qualified or bare name through the search path, case-sensitively', () => {
    expect(findTable(snapshot, 'users')?.schema).toBe('public');
    expect(findTable(snapshot, 'users', ['app', 'public'])?.schema).toBe('app');
    expect(findTable(snapshot, 'app.users')?.schema).toBe('app');
    expect(findTable(snapshot, 'Users')).toBeUndefined();
    expect(findTable(snapshot, 'orders')).toBeUndefined();
    expect(findTable(snapshot, 'orders', [])).toBeUndefined();
  });

  it('unquotes double-quoted parts and keeps dots inside them', () => {
    expect(findTable(snapshot, '"My Schema"."Odd.Name"')?.name).toBe('Odd.Name');
    expect(findTable(snapshot, '"app"."users"')?.schema).toBe('app');
    // An unquoted dotted name that names no qualified table is a bare name with a dot.
    expect(findTable(snapshot, 'a.b')?.name).toBe('a.b');
    expect(findTable(snapshot, '"a.b"')?.name).toBe('a.b');
  });

  it('finds columns exactly as stored', () => {
    const users = findTable(snapshot, 'users')!;
    expect(findColumn(users, 'Email')?.position).toBe(2);
    expect(findColumn(users, 'email')).toBeUndefined();
  });

  it('returns every overload, in search-path order for a bare name', () => {
    expect(findFunction(snapshot, 'f', ['public', 'app']).map((f) => `${f.schema}.${f.name}(${f.arguments})`)).toEqual([
      'public.f(a text)',
      'public.f()',
      'app.f(a integer)',
    ]);
    expect(findFunction(snapshot, 'app.f')).toHaveLength(1);
    expect(findFunction(snapshot, 'g')).toEqual([]);
  });

  it('lists the indexes that have a column among their key columns, those leading with it first', () => {
    const orders = findTable(snapshot, 'app.orders')!;
    expect(indexesCovering(orders, 'user_id').map((index) => index.name)).toEqual(['orders_user_idx', 'orders_total_user_idx']);
    expect(indexesCovering(orders, 'total').map((index) => index.name)).toEqual(['orders_total_user_idx']);
    expect(indexesCovering(orders, 'id')).toEqual([]);
  });
});

describe('textArray', () => {
  it('accepts parsed arrays and the text form of text[]', () => {
    expect(textArray(['a', 'b'])).toEqual(['a', 'b']);
    expect(textArray(null)).toEqual([]);
    expect(textArray('{}')).toEqual([]);
    expect(textArray('{a,"b c","d\\"e",f}')).toEqual(['a', 'b c', 'd"e', 'f']);
  });
});
