/**
 * `pglens diff` end to end, in process (runDiff): SQL sources built on PGlite, a live database on the
 * real server as --from, verification, --safe-only, --rename, and every --format.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRename, runDiff } from '../../server/src/cli/diff';
import { quoteIdent } from '../../server/src/sql/quote';
import { discoverMigrations, sectionsOf } from '../../server/src/migrations/discover';
import { loadParser } from '../../server/src/sql/parser';
import { connectTestDatabase, TEST_DATABASE_URL } from '../integration/database';
import { TEST_CACHE_DIR } from '../lsp/client';

const CURRENT = `CREATE TABLE public.users (
  id bigint PRIMARY KEY,
  mail text NOT NULL,
  legacy text
);
CREATE TABLE public."Order Items" (id bigint PRIMARY KEY, user_id bigint REFERENCES public.users (id));
`;
const DESIRED = `CREATE TABLE public.users (
  id bigint PRIMARY KEY,
  mail text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE public."Order Items" (id bigint PRIMARY KEY, user_id bigint REFERENCES public.users (id), note text);
CREATE INDEX "Order Items_user_idx" ON public."Order Items" (user_id);
CREATE TABLE public.notes (id bigint PRIMARY KEY, body text);
`;
/** Desired with only additions: no hazard. */
const ADDITIVE = `${CURRENT}CREATE TABLE public.notes (id bigint PRIMARY KEY, body text);\nALTER TABLE public.users ADD COLUMN nickname text;\n`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function diff(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runDiff([...args, '--cache-dir', TEST_CACHE_DIR], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

function workspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-gen-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

const listFiles = (root: string): string[] => {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else out.push(path.relative(root, full));
    }
  };
  visit(root);
  return out.sort();
};

beforeAll(async () => {
  await loadParser();
});

describe('--rename syntax', () => {
  it('reads tables and columns, with quotes for names holding dots or =', () => {
    expect(parseRename('public.people=public.persons')).toEqual({ kind: 'table', from: 'public.people', to: 'public.persons' });
    expect(parseRename('app.people=persons')).toEqual({ kind: 'table', from: 'app.people', to: 'app.persons' });
    expect(parseRename('people=persons')).toEqual({ kind: 'table', from: 'public.people', to: 'public.persons' });
    expect(parseRename('public.users.mail=email')).toEqual({ kind: 'column', table: 'public.users', from: 'mail', to: 'email' });
    expect(parseRename('"my.schema"."a=b".x="y ""z"""')).toEqual({ kind: 'column', table: 'my.schema.a=b', from: 'x', to: 'y "z"' });
    expect(() => parseRename('public.users.mail=public.email')).toThrow(/schema.old=schema.new/);
    expect(() => parseRename('nothing')).toThrow(/OLD=NEW/);
  });
});

describe('pglens diff on PGlite', () => {
  let root: string;
  beforeAll(() => {
    root = workspace({ 'current.sql': CURRENT, 'desired.sql': DESIRED, 'additive.sql': ADDITIVE, 'broken.sql': `${CURRENT}CREATE TABLE public.x (id bigint REFERENCES public.nowhere (id));\n` });
  });

  it('prints the verified up script, hazards to stderr', async () => {
    const run = await diff('--from', path.join(root, 'current.sql'), '--to', path.join(root, 'desired.sql'));
    expect(run.stderr).toContain('verification passed');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/CREATE TABLE "public"\."notes"|CREATE TABLE public\.notes/);
    expect(run.stdout).toMatch(/Order Items/);
    expect(run.stderr).toMatch(/hazard: .*legacy/);
    expect(run.stdout).toMatch(/-- +HAZARD .*legacy/);
  }, 120_000);

  it('prints the down script with --down', async () => {
    const run = await diff('--from', path.join(root, 'current.sql'), '--to', path.join(root, 'desired.sql'), '--down', '--no-verify');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/DROP TABLE .*notes/);
    expect(run.stdout).toMatch(/legacy/);
  }, 120_000);

  it('diffs a schema against itself to nothing', async () => {
    const run = await diff('--from', path.join(root, 'current.sql'), '--to', path.join(root, 'current.sql'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No changes');
    expect(run.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('--'))).toEqual([]);
  }, 120_000);

  it('never says "No changes" when the schemas differ in what it does not diff: each difference is listed, exit 1', async () => {
    const published = path.join(root, 'published.sql');
    fs.writeFileSync(published, `${CURRENT}CREATE PUBLICATION pglens_cli_pub FOR TABLE public.users;\n`);
    // Verified: the independent catalog comparison fails up, so nothing is written.
    const run = await diff('--from', path.join(root, 'current.sql'), '--to', published);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('pglens diff:   publication pglens_cli_pub: table public.users (only in desired)');
    expect(run.stderr).toContain('up leaves a difference: publication pglens_cli_pub: table public.users (only in the target)');
    expect(run.stdout).toBe('');
    // Unverified: the script is printed, and its header says what it leaves out.
    const unverified = await diff('--from', path.join(root, 'current.sql'), '--to', published, '--no-verify');
    expect(unverified.code).toBe(1);
    expect(unverified.stdout).not.toContain('No changes: the schemas are the same');
    expect(unverified.stdout).toContain('-- No changes in what pglens diffs, yet the schemas differ in 2 way(s) it does not compare; write these by hand:');
  }, 120_000);

  it('--safe-only refuses a hazard with exit code 3 and accepts additions', async () => {
    const refused = await diff('--from', path.join(root, 'current.sql'), '--to', path.join(root, 'desired.sql'), '--safe-only', '--no-verify');
    expect(refused.code).toBe(3);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('refused');
    const accepted = await diff('--from', path.join(root, 'current.sql'), '--to', path.join(root, 'additive.sql'), '--safe-only', '--no-verify');
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(/nickname/);
  }, 120_000);

  it('reports an error in the source SQL with file and line, never a crash', async () => {
    const run = await diff('--from', path.join(root, 'current.sql'), '--to', path.join(root, 'broken.sql'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${path.join(root, 'broken.sql')}:7:45: 42P01 relation "public.nowhere" does not exist`);
    expect(run.stderr).toContain('42P01');
  }, 120_000);

  it('reports a syntax error with its line', async () => {
    const bad = workspace({ 'schema.sql': 'CREATE TABLE a (id int);\nCREATE TABEL b (id int);\n' });
    const run = await diff('--from', path.join(root, 'current.sql'), '--to', bad);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/schema\.sql:2:\d+: syntax error/);
  }, 120_000);

  it('says which database it cannot reach, without its password', async () => {
    const run = await diff('--from', 'postgres://someone:secret@127.0.0.1:1/nothing', '--to', path.join(root, 'desired.sql'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Cannot reach nothing@127.0.0.1:1: connection refused');
    expect(run.stderr).not.toContain('secret');
  }, 60_000);

  it('refuses bad usage with exit code 2', async () => {
    expect((await diff('--from', path.join(root, 'current.sql'))).code).toBe(2);
    expect((await diff('--from', 'a', '--to', 'b', '--format', 'liquibase')).stderr).toContain("unknown --format 'liquibase'");
    expect((await diff('--from', 'a', '--to', 'b', '--rename', 'x')).code).toBe(2);
  });

  it('applies a confirmed rename instead of drop + add', async () => {
    const renamed = workspace({ 'schema.sql': CURRENT.replace('mail text', 'email text') });
    const asked = await diff('--from', path.join(root, 'current.sql'), '--to', renamed, '--no-verify');
    expect(asked.stderr).toMatch(/possible rename.*--rename public\.users\.mail=email/);
    const run = await diff('--from', path.join(root, 'current.sql'), '--to', renamed, '--rename', 'public.users.mail=email');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('verification passed');
    expect(run.stdout).toMatch(/RENAME COLUMN/i);
    expect(run.stdout).not.toMatch(/DROP COLUMN/i);
  }, 120_000);

  it('desired from a folder of migrations, current from schema.sql, in the workspace convention (auto)', async () => {
    const ws = workspace({
      'db/migrations/20240101000000_init.sql': `-- migrate:up\n${CURRENT}\n-- migrate:down\nDROP TABLE public."Order Items";\nDROP TABLE public.users;\n`,
      'schema.sql': ADDITIVE,
    });
    const run = await diff('--from', path.join(ws, 'db/migrations'), '--to', path.join(ws, 'schema.sql'), '--format', 'auto', '--root', ws, '--name', 'add notes');
    expect(run.stderr).toContain('verification passed');
    expect(run.code).toBe(0);
    const written = run.stdout.trim().split('\n');
    expect(written).toHaveLength(1);
    expect(path.basename(written[0])).toMatch(/^\d{14}_add_notes\.sql$/);
    // The workspace now replays to the desired schema: diff(migrations, schema.sql) is empty.
    const again = await diff('--from', ws, '--to', path.join(ws, 'schema.sql'), '--root', ws);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes');
  }, 180_000);
});

describe('every --format writes files its tool reads back', () => {
  let root: string;
  beforeAll(() => {
    root = workspace({ 'current.sql': CURRENT, 'desired.sql': ADDITIVE });
  });
  const cases: Array<[string, RegExp[]]> = [
    ['plain', [/^0001_add_notes\.sql$/]],
    ['flyway', [/^U1__add_notes\.sql$/, /^V1__add_notes\.sql$/]],
    ['golang-migrate', [/^\d{14}_add_notes\.down\.sql$/, /^\d{14}_add_notes\.up\.sql$/]],
    ['dbmate', [/^\d{14}_add_notes\.sql$/]],
    ['goose', [/^\d{14}_add_notes\.sql$/]],
    ['supabase', [/^\d{14}_add_notes\.sql$/]],
    ['prisma', [/^\d{14}_add_notes\/down\.sql$/, /^\d{14}_add_notes\/migration\.sql$/]],
  ];
  for (const [format, patterns] of cases) {
    it(format, async () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), `pglens-out-${format}-`));
      const run = await diff('--from', path.join(root, 'current.sql'), '--to', path.join(root, 'desired.sql'), '--format', format, '--out', out, '--name', 'add notes', '--no-verify');
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const files = listFiles(out).filter((file) => !file.endsWith('.conf'));
      expect(files).toHaveLength(patterns.length);
      files.forEach((file, index) => expect(file).toMatch(patterns[index]));
      expect(run.stdout.trim().split('\n').map((line) => path.resolve(line)).sort()).toEqual(listFiles(out).map((file) => path.join(out, file)));
      const upFile = path.join(out, files.find((file) => !/down|^U/.test(path.basename(file)))!);
      const text = fs.readFileSync(upFile, 'utf8');
      const tool = format === 'plain' ? 'plain' : format;
      const sections = sectionsOf(tool as Parameters<typeof sectionsOf>[0], text);
      const up = sections.up.map((range) => text.slice(range.start, range.end)).join('\n');
      expect(up).toMatch(/notes/);
      expect(up).toMatch(/nickname/);
      expect(up).not.toMatch(/^DROP/m);
    }, 120_000);
  }

  it('the files of --format auto in a goose workspace are discovered as the next migration', async () => {
    const ws = workspace({ 'migrations/00001_init.sql': `-- +goose Up\n${CURRENT}\n-- +goose Down\nDROP TABLE public."Order Items";\nDROP TABLE public.users;\n` });
    const run = await diff('--from', ws, '--to', path.join(root, 'desired.sql'), '--format', 'auto', '--root', ws, '--name', 'notes');
    expect(run.code).toBe(0);
    const set = discoverMigrations(ws);
    expect(set?.tool).toBe('goose');
    expect(set?.files.map((file) => path.basename(file.path))).toEqual(['00001_init.sql', '00002_notes.sql']);
  }, 120_000);
});

describe('the written migration, replayed as its tool would after the existing ones, reaches the desired schema', () => {
  const INIT = CURRENT;
  const DROP = 'DROP TABLE public."Order Items";\nDROP TABLE public.users;\n';
  const layouts: Record<string, Record<string, string>> = {
    plain: { 'migrations/0001_init.sql': INIT },
    flyway: { 'db/migration/V1__init.sql': INIT },
    'golang-migrate': { 'migrations/000001_init.up.sql': INIT, 'migrations/000001_init.down.sql': DROP },
    dbmate: { 'db/migrations/20240101000000_init.sql': `-- migrate:up\n${INIT}\n-- migrate:down\n${DROP}` },
    goose: { 'migrations/00001_init.sql': `-- +goose Up\n${INIT}\n-- +goose Down\n${DROP}` },
    supabase: { 'supabase/migrations/20240101000000_init.sql': INIT },
    prisma: { 'prisma/migrations/20240101000000_init/migration.sql': INIT },
  };
  // An index built CONCURRENTLY (its own file for golang-migrate and dbmate) and a new table.
  const desired = `${ADDITIVE}CREATE INDEX users_mail_idx ON public.users (mail);\n`;
  for (const [format, files] of Object.entries(layouts)) {
    it(format, async () => {
      const ws = workspace({ ...files, 'desired.sql': desired });
      const run = await diff('--from', ws, '--to', path.join(ws, 'desired.sql'), '--format', 'auto', '--root', ws, '--name', 'next');
      expect(run.stderr).toContain('verification passed');
      expect(run.code).toBe(0);
      expect(discoverMigrations(ws)?.tool).toBe(format);
      const again = await diff('--from', ws, '--to', path.join(ws, 'desired.sql'), '--root', ws, '--no-verify');
      expect(again.stderr).toBe('');
      expect(again.stdout).toContain('No changes');
    }, 120_000);
  }
});

describe.skipIf(!TEST_DATABASE_URL)('pglens diff with --from a live database', () => {
  const database = `pglens_gen_${crypto.randomBytes(5).toString('hex')}`;
  let url: string;
  let root: string;

  beforeAll(async () => {
    const client = await connectTestDatabase();
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
    } finally {
      await client.end();
    }
    const parsed = new URL(TEST_DATABASE_URL!);
    parsed.pathname = `/${database}`;
    url = parsed.toString();
    const { Client } = await import('pg');
    const scratch = new Client({ connectionString: url });
    await scratch.connect();
    try {
      await scratch.query(CURRENT);
    } finally {
      await scratch.end();
    }
    root = workspace({ 'desired.sql': DESIRED, 'current.sql': CURRENT });
  }, 60_000);

  afterAll(async () => {
    const client = await connectTestDatabase();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  });

  it('diffs the live schema against a schema file and verifies from its snapshot', async () => {
    const run = await diff('--from', url, '--to', path.join(root, 'desired.sql'));
    expect(run.stderr).toContain('verification passed');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/notes/);
    expect(run.stdout).toContain('Current is a live database');
    expect(run.stdout).not.toContain(new URL(TEST_DATABASE_URL!).password || '\u0000');
  }, 180_000);

  it('finds no drift between the live database and the same SQL', async () => {
    const run = await diff('--from', url, '--to', path.join(root, 'current.sql'), '--no-verify');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No changes');
  }, 120_000);

  it('builds and verifies on scratch databases of the server with --shadow-url', async () => {
    const run = await diff('--from', path.join(root, 'current.sql'), '--to', path.join(root, 'desired.sql'), '--shadow-url', TEST_DATABASE_URL!);
    expect(run.stderr).toContain('verification passed');
    expect(run.stdout).toContain('on a scratch database');
  }, 180_000);
});
