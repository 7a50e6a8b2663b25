import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../server/src/document/analyze';
import { definitionAt } from '../../server/src/features/definition';
import type { DefinitionLocation } from '../../server/src/features/definition';
import { hoverAt } from '../../server/src/features/hover';
import { buildOrigins, objectKey } from '../../server/src/schema/origins';
import type { ObjectOrigins, Origin } from '../../server/src/schema/origins';
import { loadParser } from '../../server/src/sql/parser';
import { SNAPSHOT, analyzeAt } from './snapshot-fixture';

beforeAll(async () => {
  await loadParser();
});

const MIGRATIONS: Record<string, string> = {
  'migrations/0001_init.sql': [
    '-- 😀 initial schema',
    'CREATE TABLE users (',
    '  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,',
    '  email text,',
    '  "prénom" text',
    ');',
    "CREATE TYPE mood AS ENUM ('sad', 'ok');",
    'CREATE FUNCTION public.score(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a $$;',
    'CREATE TABLE legacy (id int);',
    'CREATE INDEX users_email_idx ON users (email);',
    'CREATE VIEW recent AS SELECT id FROM users;',
  ].join('\n'),
  'migrations/0002_more.sql': [
    'ALTER TABLE users ADD COLUMN name text, ALTER COLUMN email SET NOT NULL;',
    'CREATE FUNCTION score(a integer, b text) RETURNS integer LANGUAGE sql AS $$ SELECT a $$;',
    "ALTER TYPE mood ADD VALUE 'happy';",
    'DROP TABLE legacy;',
    'CREATE SCHEMA app;',
    'CREATE TABLE app.events (id uuid, payload jsonb);',
  ].join('\n'),
  'migrations/0003_rename.sql': [
    'ALTER TABLE users RENAME TO people;',
    'ALTER TABLE people RENAME COLUMN name TO full_name;',
    'DROP FUNCTION score(int);',
    'ALTER TABLE app.events DROP COLUMN payload;',
    'DROP VIEW recent;',
  ].join('\n'),
};

function originsOf(files: Record<string, string>): ObjectOrigins {
  return buildOrigins(Object.entries(files).map(([path, text]) => ({ path, analysis: analyzeDocument(text) })));
}

/** The text an origin or location points at. */
function textAt(location: Origin | DefinitionLocation | undefined): string {
  if (!location) return '<none>';
  return `${location.path}: ${MIGRATIONS[location.path].slice(location.start, location.end)}`;
}

describe('buildOrigins', () => {
  const origins = (): ObjectOrigins => originsOf(MIGRATIONS);

  it('keeps a renamed table’s origin under its new name, with its columns and indexes', () => {
    const built = origins();
    expect(built.relations.has(objectKey('public', 'users'))).toBe(false);
    const people = built.relations.get(objectKey('public', 'people'));
    expect(textAt(people?.created)).toBe('migrations/0001_init.sql: users');
    expect(textAt(people?.altered)).toBe('migrations/0003_rename.sql: people');
    const statement = people?.created.statement;
    expect(MIGRATIONS['migrations/0001_init.sql'].slice(statement?.start, statement?.end)).toMatch(/^CREATE TABLE users \([\s\S]*\);$/);
    expect([...(people?.columns.keys() ?? [])]).toEqual(['id', 'email', 'prénom', 'full_name']);
    expect(textAt(people?.columns.get('prénom')?.created)).toBe('migrations/0001_init.sql: "prénom"');
    expect(built.indexes.get(objectKey('public', 'users_email_idx'))?.table).toBe(objectKey('public', 'people'));
  });

  it('records where columns were created and last altered, following column renames', () => {
    const people = origins().relations.get(objectKey('public', 'people'));
    const email = people?.columns.get('email');
    expect(textAt(email?.created)).toBe('migrations/0001_init.sql: email');
    expect(textAt(email?.altered)).toBe('migrations/0002_more.sql: email');
    const fullName = people?.columns.get('full_name');
    expect(textAt(fullName?.created)).toBe('migrations/0002_more.sql: name');
    expect(textAt(fullName?.altered)).toBe('migrations/0003_rename.sql: full_name');
    expect(people?.columns.get('id')?.altered).toBeUndefined();
  });

  it('removes dropped objects: tables, views, columns, one overload of a function', () => {
    const built = origins();
    expect(built.relations.has(objectKey('public', 'legacy'))).toBe(false);
    expect(built.relations.has(objectKey('public', 'recent'))).toBe(false);
    expect([...(built.relations.get(objectKey('app', 'events'))?.columns.keys() ?? [])]).toEqual(['id']);
    const score = built.functions.get(objectKey('public', 'score'));
    expect(score?.map((overload) => overload.args)).toEqual([['int4', 'text']]);
    expect(textAt(score?.[0].created)).toBe('migrations/0002_more.sql: score');
  });

  it('records types, schemas and their later changes', () => {
    const built = origins();
    const mood = built.types.get(objectKey('public', 'mood'));
    expect(textAt(mood?.created)).toBe('migrations/0001_init.sql: mood');
    expect(textAt(mood?.altered)).toBe('migrations/0002_more.sql: mood');
    expect(textAt(built.schemas.get('app')?.created)).toBe('migrations/0002_more.sql: app');
  });

  it('skips statements outside the up sections', () => {
    const text = '-- migrate:up\nCREATE TABLE kept (id int);\n-- migrate:down\nDROP TABLE kept;\n';
    const upEnd = text.indexOf('-- migrate:down');
    const built = buildOrigins([{ path: 'db/migrations/1_kept.sql', analysis: analyzeDocument(text), up: [{ start: 0, end: upEnd }] }]);
    expect(built.relations.has(objectKey('public', 'kept'))).toBe(true);
  });
});

describe('definitionAt', () => {
  let origins: ObjectOrigins;
  beforeAll(() => {
    origins = originsOf(MIGRATIONS);
  });

  function definition(source: string): string[] {
    const { analysis, offset } = analyzeAt(source);
    return definitionAt(analysis, offset, origins).map(textAt);
  }

  it('goes from a column in a query to its last change, then its creation', () => {
    expect(definition("SELECT full_name FROM people p WHERE p.em|ail = 'x'")).toEqual(['migrations/0002_more.sql: email', 'migrations/0001_init.sql: email']);
    expect(definition('SELECT full_na|me, email FROM people')).toEqual(['migrations/0003_rename.sql: full_name', 'migrations/0002_more.sql: name']);
    expect(definition('SELECT "pré|nom" FROM people')).toEqual(['migrations/0001_init.sql: "prénom"']);
  });

  it('goes from a table, a type, a function and an index to where they were created', () => {
    expect(definition('SELECT * FROM peo|ple')).toEqual(['migrations/0001_init.sql: users']);
    expect(definition('SELECT * FROM app.ev|ents')).toEqual(['migrations/0002_more.sql: events']);
    expect(definition("SELECT 'ok'::mo|od")).toEqual(['migrations/0001_init.sql: mood']);
    expect(definition('SELECT sco|re(1, 2)')).toEqual(['migrations/0002_more.sql: score']);
    expect(definition('DROP INDEX users_email_i|dx')).toEqual(['migrations/0001_init.sql: users_email_idx']);
  });

  it('returns nothing for names the migrations do not create', () => {
    expect(definition('SELECT * FROM legac|y')).toEqual([]);
    expect(definition('SELECT no|pe FROM people')).toEqual([]);
  });

  it('resolves a bare column through the snapshot when there is one', () => {
    const init = { 'migrations/0001.sql': 'CREATE TABLE users (id bigint, email text);\nCREATE TABLE orders (id bigint, user_id bigint);' };
    const built = originsOf(init);
    const { analysis, offset } = analyzeAt('SELECT em|ail FROM orders o JOIN users u ON u.id = o.user_id');
    const [location] = definitionAt(analysis, offset, built, SNAPSHOT);
    expect(init['migrations/0001.sql'].slice(location.start, location.end)).toBe('email');
    expect(location.start).toBe(init['migrations/0001.sql'].indexOf('email'));
  });

  it('lets hover say where an object was created', () => {
    const built = originsOf({ 'migrations/0001.sql': 'CREATE TABLE users (id bigint, email text);' });
    const { analysis, offset } = analyzeAt('SELECT em|ail FROM users');
    expect(hoverAt(analysis, offset, SNAPSHOT, built)?.markdown).toContain('created in `migrations/0001.sql`');
  });
});
