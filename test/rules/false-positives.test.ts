import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../server/src/document/analyze';
import type { MigrationTool } from '../../server/src/migrations/discover';
import { lintDocument } from '../../server/src/rules/lint';
import { loadParser } from '../../server/src/sql/parser';

beforeAll(async () => {
  await loadParser();
});

/** `code:severity@line` of one rule's findings, for a file with the given older migrations before it. */
function lint(sql: string, code: string, options: { older?: string; tool?: MigrationTool; transactional?: boolean; newTables?: string[] } = {}): string[] {
  const history = options.older === undefined ? undefined : analyzeDocument(options.older).statements;
  const analysis = analyzeDocument(sql);
  return lintDocument(analysis, { isMigration: true, history, tool: options.tool, transactional: options.transactional, newTables: options.newTables && new Set(options.newTables) })
    .filter((finding) => finding.code === code)
    .map((finding) => `${finding.severity}@${finding.range.start.line + 1}`);
}

describe('findings a reviewer would keep', () => {
  it('require-statement-timeout: a catalog-only ADD COLUMN needs none; a volatile default or a serial column rewrites', () => {
    expect(lint('ALTER TABLE users ADD COLUMN note text;', 'require-statement-timeout')).toEqual([]);
    expect(lint("ALTER TABLE users ADD COLUMN state text NOT NULL DEFAULT 'new', ALTER COLUMN note DROP DEFAULT;", 'require-statement-timeout')).toEqual([]);
    expect(lint('ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();', 'require-statement-timeout')).toEqual(['warning@1']);
    expect(lint('ALTER TABLE users ADD COLUMN n bigserial;', 'require-statement-timeout')).toEqual(['warning@1']);
    expect(lint('ALTER TABLE users ADD COLUMN age int CHECK (age > 0);', 'require-statement-timeout')).toEqual(['warning@1']);
  });

  it('changing-column-type: varchar(n) → text is binary coercible when an older migration made the column varchar', () => {
    const older = 'CREATE TABLE t (name varchar(10), n int);';
    expect(lint('ALTER TABLE t ALTER COLUMN name TYPE text;', 'changing-column-type', { older })).toEqual([]);
    expect(lint('ALTER TABLE t ALTER COLUMN name TYPE varchar(5);', 'changing-column-type', { older })).toEqual(['error@1']);
    expect(lint('ALTER TABLE t ALTER COLUMN n TYPE text;', 'changing-column-type', { older })).toEqual(['error@1']);
  });

  it('transaction-nesting: consecutive transactions in a Supabase file (an implicit transaction) are fine; in goose they nest', () => {
    const sql = 'BEGIN;\nLOCK TABLE a IN SHARE MODE;\nCOMMIT;\nBEGIN;\nUPDATE a SET x = 1 WHERE id = 1;\nCOMMIT;\n';
    expect(lint(sql, 'transaction-nesting', { tool: 'supabase', transactional: true })).toEqual([]);
    expect(lint(sql, 'transaction-nesting', { tool: 'plain', transactional: false })).toEqual([]);
    expect(lint(`-- +goose Up\n${sql}`, 'transaction-nesting', { tool: 'goose', transactional: true })).toEqual(['warning@2']);
  });

  it('set-not-null-without-check: a CHECK validated in an older migration proves NOT NULL', () => {
    const older = 'ALTER TABLE t ADD CONSTRAINT t_x_not_null CHECK (x IS NOT NULL) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_x_not_null;';
    expect(lint('ALTER TABLE t ALTER COLUMN x SET NOT NULL;', 'set-not-null-without-check', { older })).toEqual([]);
    expect(lint('ALTER TABLE t ALTER COLUMN x SET NOT NULL;', 'set-not-null-without-check', { older: 'ALTER TABLE t ADD CONSTRAINT c CHECK (x IS NOT NULL) NOT VALID;' })).toEqual(['error@1']);
  });

  it('require-concurrent-index-creation: not on a table created in this deploy (--since) or this file', () => {
    expect(lint('CREATE INDEX ON orders (status);', 'require-concurrent-index-creation', { newTables: ['public.orders'] })).toEqual([]);
    expect(lint('CREATE TABLE orders (status text);\nCREATE INDEX ON orders (status);', 'require-concurrent-index-creation')).toEqual([]);
    expect(lint('CREATE INDEX ON orders (status);', 'require-concurrent-index-creation')).toEqual(['error@1']);
  });

  it('require-lock-timeout: a new table referencing an old one waits for writes only (warning); ACCESS EXCLUSIVE is an error', () => {
    expect(lint('CREATE TABLE b (id bigint, a_id bigint REFERENCES a);', 'require-lock-timeout')).toEqual(['warning@1']);
    expect(lint('ALTER TABLE a RENAME COLUMN x TO y;', 'require-lock-timeout')).toEqual(['error@1']);
    expect(lint("SET lock_timeout = '5s';\nALTER TABLE a RENAME COLUMN x TO y;", 'require-lock-timeout')).toEqual([]);
  });

  it('style rules: information on tables being designed, silent on a table an older migration created', () => {
    expect(lint('CREATE TABLE n (code varchar(10));', 'prefer-text')).toEqual(['information@1']);
    expect(lint('CREATE TABLE n (id bigint);\nALTER TABLE n ADD COLUMN code varchar(10);', 'prefer-text')).toEqual(['information@2']);
    const older = 'CREATE TABLE old (id bigint);';
    expect(lint('ALTER TABLE old ADD COLUMN code varchar(10);', 'prefer-text', { older })).toEqual([]);
    expect(lint('ALTER TABLE old ADD COLUMN at timestamp;', 'prefer-timestamptz', { older })).toEqual([]);
    expect(lint('ALTER TABLE old ADD COLUMN code varchar(10);', 'prefer-text', { older, newTables: ['public.old'] })).toEqual(['information@1']);
    expect(lint('CREATE TABLE n (at timestamp, doc json, id serial PRIMARY KEY);', 'prefer-timestamptz')).toEqual(['information@1']);
    expect(lint('CREATE TABLE n (doc json);', 'prefer-jsonb')).toEqual(['information@1']);
    expect(lint('CREATE TABLE n (id int PRIMARY KEY);', 'prefer-bigint-keys')).toEqual(['information@1']);
    expect(lint('CREATE TABLE n (id bigserial PRIMARY KEY);', 'prefer-identity')).toEqual(['information@1']);
  });
});

describe('goose annotations', () => {
  it('StatementEnd ends a statement that has no semicolon', () => {
    const text = '-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$\n-- +goose StatementEnd\nCREATE TABLE a (id bigint);\n';
    const analysis = analyzeDocument(text);
    expect(analysis.statements.map((statement) => statement.outcome.ok)).toEqual([true, true]);
    expect(analysis.statements[0].segment.sql).toBe('CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$');
  });
});
