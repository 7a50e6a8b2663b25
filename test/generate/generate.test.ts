/** Sources of a schema, and generateMigration as the editor uses it: plain data, decisions passed back in. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrationSetOf, resolveSource } from '../../server/src/generate/desired';
import { generateMigration, reverseRenames } from '../../server/src/generate/generate';
import { loadParser } from '../../server/src/sql/parser';
import { TEST_CACHE_DIR } from '../lsp/client';

function workspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-src-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('resolveSource', () => {
  it('tells URLs, files, migrations folders and declarative folders apart', () => {
    const root = workspace({
      'db/migrations/20240101000000_init.sql': '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n',
      'decl/supabase/schemas/b.sql': 'CREATE TABLE b (id int);\n',
      'decl/supabase/schemas/a.sql': 'CREATE TABLE a (id int);\n',
      'decl/supabase/schemas/sub/c.sql': 'CREATE TABLE c (id int);\n',
      'one/schema.sql': 'CREATE TABLE a (id int);\n',
      'one/other.sql': 'SELECT 1;\n',
      'numbered/2_b.sql': 'CREATE TABLE b (id int);\n',
      'numbered/10_c.sql': 'CREATE TABLE c (id int);\n',
      'loose/x.sql': 'CREATE TABLE x (id int);\n',
      'empty/readme.md': 'nothing',
    });
    expect(resolveSource('postgres://u:p@localhost/db', root)).toMatchObject({ kind: 'database', database: { config: { host: 'localhost', user: 'u', password: 'p', database: 'db' }, target: 'db@localhost:5432' } });
    expect(resolveSource("host=/var/run/postgresql port=5433 dbname=d user=u password='a b'", root)).toMatchObject({
      kind: 'database',
      database: { config: { host: '/var/run/postgresql', port: 5433, user: 'u', password: 'a b', database: 'd', ssl: false } },
    });
    expect(resolveSource('one/schema.sql', root)).toEqual({ kind: 'sql', files: [path.join(root, 'one/schema.sql')] });
    // The dbmate folder given directly is dbmate's (discovery knows it by its path), and so is the workspace.
    expect(resolveSource('db/migrations', root)).toEqual({ kind: 'migrations', root: path.join(root, 'db/migrations') });
    expect(migrationSetOf(path.join(root, 'db/migrations')).tool).toBe('dbmate');
    expect(resolveSource('.', root)).toEqual({ kind: 'migrations', root });
    expect(resolveSource('decl', root)).toEqual({ kind: 'sql', files: ['a.sql', 'b.sql', 'sub/c.sql'].map((f) => path.join(root, 'decl/supabase/schemas', f)) });
    expect(resolveSource('one', root)).toEqual({ kind: 'sql', files: [path.join(root, 'one/schema.sql')] });
    expect(resolveSource('numbered', root)).toEqual({ kind: 'migrations', root: path.join(root, 'numbered') });
    expect(resolveSource('loose', root)).toEqual({ kind: 'sql', files: [path.join(root, 'loose/x.sql')] });
    expect(() => resolveSource('empty', root)).toThrow(/no migrations and no \.sql files/);
    expect(() => resolveSource('missing.sql', root)).toThrow(/no such file or folder/);
  });
});

describe('reverseRenames', () => {
  it('turns renames around for the down diff, naming a column’s table as it is on the desired side', () => {
    expect(
      reverseRenames([
        { kind: 'table', from: 'public.people', to: 'public.persons' },
        { kind: 'column', table: 'public.people', from: 'mail', to: 'email' },
      ]),
    ).toEqual([
      { kind: 'table', from: 'public.persons', to: 'public.people' },
      { kind: 'column', table: 'public.persons', from: 'email', to: 'mail' },
    ]);
  });
});

describe('generateMigration', () => {
  beforeAll(async () => {
    await loadParser();
  });

  it('returns candidates and refuses hazards as data; called again with the decision, renames', async () => {
    const root = workspace({
      'current.sql': 'CREATE TABLE public.people (id bigint PRIMARY KEY, mail text);\n',
      'desired.sql': 'CREATE TABLE public.people (id bigint PRIMARY KEY, email text);\n',
    });
    const request = { from: 'current.sql', to: 'desired.sql', workspaceRoot: root, format: 'dbmate' as const, cacheDir: TEST_CACHE_DIR, now: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) };
    const first = await generateMigration({ ...request, safeOnly: true, verify: false });
    expect(first.refused).toBe(true);
    expect(first.files).toEqual([]);
    expect(first.hazards.length).toBeGreaterThan(0);
    expect(first.renameCandidates).toEqual([expect.objectContaining({ kind: 'column', table: 'public.people', from: 'mail', to: 'email' })]);

    const second = await generateMigration({ ...request, safeOnly: true, renames: [{ kind: 'column', table: 'public.people', from: 'mail', to: 'email' }], name: 'rename mail' });
    expect(second.refused).toBe(false);
    expect(second.hazards).toEqual([]);
    expect(second.verification?.status).toBe('passed');
    expect(second.files.map((file) => path.relative(root, file.path))).toEqual([path.join('db', 'migrations', '20260102030405_rename_mail.sql')]);
    const content = second.files[0].content;
    expect(content).toMatch(/-- Renames applied:\n--\s+column public\.people\.mail → email/);
    expect(content).toMatch(/RENAME COLUMN "mail" TO "email"/);
    expect(content).toMatch(/-- migrate:down[\s\S]*RENAME COLUMN "email" TO "mail"/);
    // Nothing was written: the caller decides.
    expect(fs.existsSync(second.files[0].path)).toBe(false);
  }, 120_000);
});
