import { beforeAll, describe, expect, it } from 'vitest';
import { completionsAt } from '../../server/src/features/completion';
import { quoteIdentIfNeeded } from '../../server/src/sql/quote';
import type { CompletionItem } from '../../server/src/features/completion';
import { loadParser } from '../../server/src/sql/parser';
import { SNAPSHOT, analyzeAt } from './snapshot-fixture';

beforeAll(async () => {
  await loadParser();
});

function complete(source: string): CompletionItem[] {
  const { offset, analysis } = analyzeAt(source);
  return completionsAt(analysis, offset, SNAPSHOT);
}

function labels(items: CompletionItem[], kind?: CompletionItem['kind']): string[] {
  return items.filter((item) => !kind || item.kind === kind).map((item) => item.label);
}

function find(items: CompletionItem[], label: string): CompletionItem | undefined {
  return items.find((item) => item.label === label);
}

describe('relations', () => {
  it('offers tables, views and schemas after FROM, qualifying those outside public', () => {
    const items = complete('SELECT * FROM |');
    expect(labels(items, 'table')).toEqual(['users', 'orders', 'Order', 'events']);
    expect(labels(items, 'view')).toEqual(['active_users']);
    expect(labels(items, 'schema')).toEqual(['public', 'app']);
    expect(find(items, 'events')?.insertText).toBe('app.events');
    expect(find(items, 'users')?.insertText).toBeUndefined();
    expect(labels(items, 'column')).toEqual([]);
  });

  it('works after JOIN, INTO, UPDATE, a FROM-list comma, REFERENCES and ON of CREATE INDEX, while a word is typed', () => {
    for (const source of ['SELECT * FROM users u JOIN ord|', 'INSERT INTO |', 'UPDATE u|', 'SELECT * FROM users, |', 'CREATE TABLE t (id bigint REFERENCES |', 'CREATE INDEX ix ON |', 'ALTER TABLE |', 'DELETE FROM |']) {
      expect(labels(complete(source), 'table'), source).toContain('users');
    }
  });

  it('offers nothing where a new name is being written', () => {
    expect(complete('CREATE TABLE |')).toEqual([]);
    expect(complete('CREATE TABLE IF NOT EXISTS |')).toEqual([]);
    expect(complete('ALTER TABLE users ADD COLUMN |')).toEqual([]);
  });

  it('lists a schema’s members after `schema.`', () => {
    expect(labels(complete('SELECT * FROM public.|'))).toEqual(['users', 'orders', 'Order', 'active_users']);
    const items = complete('SELECT public.|');
    expect(labels(items, 'function')).toEqual(['order_total']);
    expect(labels(items, 'table')).toContain('orders');
    const app = complete('SELECT * FROM app.ev|');
    expect(app.map((item) => [item.label, item.insertText])).toEqual([['events', undefined]]);
  });
});

describe('columns', () => {
  it('offers the columns of an alias after `alias.`, quoted when needed', () => {
    const items = complete('SELECT u.| FROM users u');
    expect(labels(items)).toEqual(['id', 'email', 'name', 'prénom', '名前', 'mood', 'created_at']);
    expect(find(items, 'prénom')?.insertText).toBe('"prénom"');
    expect(find(items, '名前')?.insertText).toBe('"名前"');
    expect(find(items, 'email')?.detail).toBe('text not null · users');
    expect(find(items, 'email')?.documentation).toBe('Login address');
  });

  it('works inside a statement that does not parse, the FROM clause coming after the cursor', () => {
    const { analysis, offset } = analyzeAt('SELECT u.| FROM users u JOIN orders o ON o.user_id = u.id');
    expect(analysis.statements[0].outcome.ok).toBe(false);
    expect(labels(completionsAt(analysis, offset, SNAPSHOT))).toContain('email');
    expect(labels(complete('SELECT o.st| FROM users u JOIN orders AS o ON'))).toEqual(['id', 'user_id', 'total', 'status']);
  });

  it('offers the columns of `table.` and `schema.table.`', () => {
    expect(labels(complete('SELECT orders.| FROM orders'))).toEqual(['id', 'user_id', 'total', 'status']);
    expect(labels(complete('SELECT app.events.|'))).toEqual(['id', 'payload']);
  });

  it('quotes reserved words and mixed case', () => {
    const items = complete('SELECT o.| FROM "Order" o');
    expect(items.map((item) => [item.label, item.insertText])).toEqual([
      ['id', undefined],
      ['user', '"user"'],
      ['Total', '"Total"'],
    ]);
    expect(find(complete('SELECT * FROM |'), 'Order')?.insertText).toBe('"Order"');
  });

  it('offers columns in scope, functions and keywords in expressions', () => {
    for (const source of ['SELECT | FROM orders o JOIN users u ON u.id = o.user_id', 'SELECT * FROM orders o JOIN users u ON u.id = o.user_id WHERE |', 'SELECT * FROM orders o JOIN users u ON |', 'SELECT count(*) FROM orders GROUP BY |', 'SELECT * FROM users ORDER BY cr|']) {
      const items = complete(source);
      expect(labels(items, 'column'), source).toContain('id');
      expect(labels(items, 'function'), source).toContain('order_total');
      expect(labels(items, 'keyword'), source).toContain('AND');
    }
    const where = complete('SELECT * FROM orders WHERE |');
    expect(labels(where, 'column')).toEqual(['id', 'user_id', 'total', 'status']);
    expect(find(where, 'touch')?.insertText).toBe('app.touch');
  });

  it('offers the target’s columns in UPDATE … SET, INSERT column lists, CREATE INDEX and ALTER COLUMN', () => {
    const users = ['id', 'email', 'name', 'prénom', '名前', 'mood', 'created_at'];
    expect(labels(complete('UPDATE users u SET |'))).toEqual(users);
    expect(labels(complete("UPDATE users SET name = 'x', |"))).toEqual(users);
    expect(labels(complete('INSERT INTO users (id, |'))).toEqual(users);
    expect(labels(complete('CREATE INDEX ix ON orders USING btree (|'))).toEqual(['id', 'user_id', 'total', 'status']);
    expect(labels(complete('ALTER TABLE orders ALTER COLUMN |'))).toEqual(['id', 'user_id', 'total', 'status']);
    expect(labels(complete('UPDATE users SET name = |'), 'function')).toContain('order_total');
  });
});

describe('types', () => {
  it('offers built-in and snapshot types after ::', () => {
    const items = complete("SELECT 'x'::|");
    expect(labels(items, 'type')).toEqual(expect.arrayContaining(['mood', 'email', 'bigint', 'text', 'timestamptz', 'jsonb', 'uuid', 'boolean', 'numeric', 'integer']));
    expect(items.every((item) => item.kind === 'type')).toBe(true);
    expect(find(items, 'email')?.insertText).toBe('app.email');
    expect(find(items, 'mood')?.detail).toBe('enum (sad, ok, happy)');
  });

  it('offers types in column definitions, ALTER COLUMN … TYPE, CAST and a schema’s types after ::schema.', () => {
    for (const source of ['CREATE TABLE t (id |', 'CREATE TABLE t (id bigint, created_at time|', 'ALTER TABLE t ALTER COLUMN c TYPE |', 'ALTER TABLE t ADD COLUMN c |', 'SELECT CAST(x AS |', 'CREATE FUNCTION f(a |']) {
      expect(labels(complete(source), 'type'), source).toContain('timestamptz');
    }
    expect(labels(complete("SELECT 'x'::app.|"))).toEqual(['email']);
  });
});

describe('keywords and context', () => {
  it('offers statement keywords at the start of a statement', () => {
    for (const source of ['|', 'SELECT 1;\n|', 'SELECT 1;\nSEL|', '-- comment\n|']) {
      const items = complete(source);
      expect(labels(items), source).toEqual(expect.arrayContaining(['SELECT', 'INSERT INTO', 'UPDATE', 'DELETE FROM', 'CREATE TABLE', 'ALTER TABLE', 'CREATE INDEX']));
      expect(items.every((item) => item.kind === 'keyword')).toBe(true);
    }
  });

  it('stays in the statement across trailing blanks', () => {
    expect(labels(complete('SELECT * FROM   \n  |'), 'table')).toContain('users');
  });

  it('offers clause keywords after a FROM item', () => {
    expect(labels(complete('SELECT * FROM users u |'))).toEqual(expect.arrayContaining(['WHERE', 'JOIN', 'ORDER BY']));
  });

  it('offers nothing inside strings and comments', () => {
    expect(complete("SELECT 'ab|")).toEqual([]);
    expect(complete("SELECT * FROM users WHERE name = 'x|'")).toEqual([]);
    expect(complete('SELECT 1 -- fr|')).toEqual([]);
    expect(complete('SELECT /* fr|')).toEqual([]);
  });

  it('completes a quoted identifier being typed', () => {
    expect(labels(complete('SELECT u."pré|" FROM users u'))).toContain('prénom');
    expect(labels(complete('SELECT * FROM users u WHERE u."pré|'))).toContain('prénom');
  });
});

describe('quoteIdentIfNeeded', () => {
  it('quotes only what PostgreSQL would not read back unchanged', () => {
    expect(quoteIdentIfNeeded('users')).toBe('users');
    expect(quoteIdentIfNeeded('created_at')).toBe('created_at');
    expect(quoteIdentIfNeeded('name')).toBe('name'); // unreserved keyword
    expect(quoteIdentIfNeeded('Order')).toBe('"Order"');
    expect(quoteIdentIfNeeded('order')).toBe('"order"');
    expect(quoteIdentIfNeeded('user')).toBe('"user"');
    expect(quoteIdentIfNeeded('left')).toBe('"left"');
    expect(quoteIdentIfNeeded('prénom')).toBe('"prénom"');
    expect(quoteIdentIfNeeded('名前')).toBe('"名前"');
    expect(quoteIdentIfNeeded('two words')).toBe('"two words"');
    expect(quoteIdentIfNeeded('1st')).toBe('"1st"');
    expect(quoteIdentIfNeeded('say "hi"')).toBe('"say ""hi"""');
  });
});
