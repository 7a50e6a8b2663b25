/**
 * A migration split into versions (dbmate, golang-migrate: CREATE INDEX CONCURRENTLY gets a file of
 * its own) must roll back ONE version at a time: `dbmate rollback` / `migrate down 1` after any
 * version gives the schema before that version. The files are written by `pglens diff`, then read
 * back with the tool's own rules (discovery: order, up sections, transactions) and replayed on PGlite:
 * all ups, then the downs from the newest, one by one, each compared with the state it must restore.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SchemaSnapshot } from '../../protocol/schema';
import { runDiff } from '../../server/src/cli/diff';
import { diffSchemas } from '../../server/src/diff';
import { analyzeDocument } from '../../server/src/document/analyze';
import type { Change, SchemaDiff } from '../../server/src/diff';
import { changeLabel, renderMigrationFiles } from '../../server/src/generate/conventions';
import { applyScripts, loadSource, openShadow, resolveSource, scriptsOf, snapshotOf } from '../../server/src/generate/desired';
import type { SqlScript } from '../../server/src/generate/desired';
import { sliceRenames, versionSlices } from '../../server/src/generate/split';
import type { MigrationDraft, PhaseReport, VerificationReport } from '../../server/src/generate/types';
import { discoverMigrations, sectionsOf } from '../../server/src/migrations/discover';
import type { MigrationFile } from '../../server/src/migrations/discover';
import { loadParser } from '../../server/src/sql/parser';
import { TEST_CACHE_DIR } from '../lsp/client';

const options = { cacheDir: TEST_CACHE_DIR };

interface Scenario {
  current: string;
  desired: string;
  renames: string[];
  /** At least this many versions are written. */
  versions: number;
  /** A version's down had to be made to fit one transaction. */
  oneTransaction?: boolean;
}

const SCENARIOS: Record<string, Scenario> = {
  // v1 rename + add column, v2 CREATE INDEX CONCURRENTLY, v3 comment + check.
  'rename + add column, a CONCURRENTLY index, a comment and a check': {
    current: 'CREATE TABLE public.users (id bigint PRIMARY KEY, mail text NOT NULL);\n',
    desired: `CREATE TABLE public.users (id bigint PRIMARY KEY, email text NOT NULL, nickname text, CONSTRAINT email_ck CHECK (email <> ''));
CREATE INDEX users_email_idx ON public.users (email);
COMMENT ON TABLE public.users IS 'people';
`,
    renames: ['public.users.mail=email'],
    versions: 3,
  },
  // A table and one of its columns renamed, with an index on the renamed column built CONCURRENTLY.
  'a table and its column renamed, then an index, then a comment': {
    current: 'CREATE TABLE public.users (id bigint PRIMARY KEY, mail text NOT NULL);\n',
    desired: `CREATE TABLE public.people (id bigint PRIMARY KEY, email text NOT NULL);
CREATE INDEX people_email_idx ON public.people (email);
COMMENT ON COLUMN public.people.email IS 'where to write';
`,
    renames: ['public.users=public.people', 'public.people.mail=email'],
    versions: 3,
  },
  // Version 2's down would mix a transaction (re-create a table, re-add a column) with ALTER TYPE … ADD
  // VALUE: it is written as one transaction, and indexes dropped CONCURRENTLY come back on their own.
  'dropped index, column, table and enum value between two CONCURRENTLY indexes': {
    current: `CREATE TYPE public.mood AS ENUM ('a', 'b', 'c');
CREATE TABLE public.users (id bigint PRIMARY KEY, mail text NOT NULL, legacy text, m public.mood);
CREATE INDEX users_legacy_idx ON public.users (legacy);
CREATE TABLE public.old (id bigint PRIMARY KEY, x int);
CREATE INDEX old_x_idx ON public.old (x);
`,
    desired: `CREATE TYPE public.mood AS ENUM ('a', 'b');
CREATE TABLE public.users (id bigint PRIMARY KEY, mail text NOT NULL, m public.mood, CONSTRAINT mail_ck CHECK (mail <> ''));
CREATE INDEX users_mail_idx ON public.users (mail);
`,
    renames: [],
    versions: 3,
    oneTransaction: true,
  },
};

type Format = 'dbmate' | 'golang-migrate';

const LAYOUTS: Record<Format, (init: string) => Record<string, string>> = {
  dbmate: (init) => ({ 'db/migrations/20240101000000_init.sql': `-- migrate:up\n${init}\n-- migrate:down\nSELECT 1;\n` }),
  'golang-migrate': (init) => ({ 'migrations/20240101000000_init.up.sql': init, 'migrations/20240101000000_init.down.sql': 'SELECT 1;\n' }),
};

function workspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-split-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

async function pglensDiff(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runDiff([...args, '--cache-dir', TEST_CACHE_DIR], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

/** A script of the statements of `ranges` in `text`, run in one transaction or not. */
function scriptOf(file: string, text: string, ranges: ReadonlyArray<{ start: number; end: number }>, transactional: boolean): SqlScript {
  const analysis = analyzeDocument(text);
  const inRanges = analysis.statements.filter((statement) => ranges.some((range) => statement.segment.start >= range.start && statement.segment.start < range.end));
  return { file, analysis: { ...analysis, statements: inRanges }, transactional };
}

/**
 * The down of a migration as its tool runs it. golang-migrate: the `.down.sql` file, read like an up
 * file. dbmate: the `-- migrate:down` section with its options, read as dbmate reads an up section.
 */
function downScript(format: Format, migration: MigrationFile): SqlScript {
  if (format === 'golang-migrate') {
    const file = migration.path.replace(/\.up\.sql$/, '.down.sql');
    const text = fs.readFileSync(file, 'utf8');
    const sections = sectionsOf('golang-migrate', text);
    return scriptOf(file, text, sections.up, sections.transactional);
  }
  const text = fs.readFileSync(migration.path, 'utf8');
  const marker = /^-- migrate:down(.*)$/m.exec(text);
  if (!marker) throw new Error(`${migration.path}: no -- migrate:down`);
  const asUp = `-- migrate:up${marker[1]}${text.slice(marker.index + marker[0].length)}`;
  const sections = sectionsOf('dbmate', asUp);
  return scriptOf(migration.path, asUp, sections.up, sections.transactional);
}

const differences = (from: SchemaSnapshot, to: SchemaSnapshot): string[] => diffSchemas(from, to).changes.map(changeLabel);

/**
 * Replays the workspace's migrations one by one (S0 after the init, S_k after version k), then rolls
 * back one version at a time from the newest; returns what each rollback left different from S_{k-1}.
 */
async function rollBackOneByOne(format: Format, root: string, current: SchemaSnapshot, desired: SchemaSnapshot): Promise<{ versions: number; leftovers: string[][] }> {
  const set = discoverMigrations(root);
  expect(set?.tool).toBe(format);
  const migrations = set!.files;
  const scripts = scriptsOf({ kind: 'migrations', root });
  const shadow = await openShadow(options);
  try {
    const states: SchemaSnapshot[] = [];
    for (const script of scripts) {
      await applyScripts(shadow.db, [script]);
      states.push(await snapshotOf(shadow.db));
    }
    expect(differences(states[0], current)).toEqual([]);
    expect(differences(states[states.length - 1], desired)).toEqual([]);
    const leftovers: string[][] = [];
    for (let k = migrations.length - 1; k >= 1; k--) {
      await applyScripts(shadow.db, [downScript(format, migrations[k])]);
      leftovers.push(differences(await snapshotOf(shadow.db), states[k - 1]));
    }
    return { versions: migrations.length - 1, leftovers };
  } finally {
    await shadow.discard();
  }
}

beforeAll(async () => {
  await loadParser();
});

for (const format of ['dbmate', 'golang-migrate'] as const) {
  describe(`${format}: each version of a split migration rolls back alone`, () => {
    for (const [title, scenario] of Object.entries(SCENARIOS)) {
      it(title, async () => {
        const root = workspace({ ...LAYOUTS[format](scenario.current), 'current.sql': scenario.current, 'desired.sql': scenario.desired });
        const { snapshot: current } = await loadSource(resolveSource('current.sql', root), options);
        const { snapshot: desired } = await loadSource(resolveSource('desired.sql', root), options);
        const renames = scenario.renames.flatMap((rename) => ['--rename', rename]);
        const run = await pglensDiff('--from', root, '--to', path.join(root, 'desired.sql'), '--format', 'auto', '--root', root, '--name', 'next', ...renames);
        expect(run.stderr).toContain('verification passed');
        expect(run.code).toBe(0);
        const written = run.stdout.trim().split('\n');
        const header = fs.readFileSync(written[0], 'utf8');
        expect(header).toContain("versions: passed (each version's up then its own down restores the state before that version)");
        expect(header).toContain("Each version's down reverts that version alone");
        expect(header.includes('runs in one transaction')).toBe(scenario.oneTransaction === true);
        if (scenario.renames.length > 0) {
          // Renames are reverted as renames in the version that made them, never as drop + add.
          const all = written.map((file) => fs.readFileSync(file, 'utf8')).join('\n');
          expect(all).not.toMatch(/DROP (COLUMN "(mail|email)"|TABLE "public"\."(users|people)")/);
          expect(all).toMatch(/RENAME COLUMN "email" TO "mail"/);
        }

        const result = await rollBackOneByOne(format, root, current, desired);
        expect(result.versions).toBeGreaterThanOrEqual(scenario.versions);
        expect(result.leftovers).toEqual(Array.from({ length: result.versions }, () => []));
      }, 120_000);
    }

    it('without verification the downs are spread as before, the header says so, and one rollback alone is wrong', async () => {
      const scenario = Object.values(SCENARIOS)[0];
      const root = workspace({ ...LAYOUTS[format](scenario.current), 'current.sql': scenario.current, 'desired.sql': scenario.desired });
      const { snapshot: current } = await loadSource(resolveSource('current.sql', root), options);
      const { snapshot: desired } = await loadSource(resolveSource('desired.sql', root), options);
      const run = await pglensDiff('--from', root, '--to', path.join(root, 'desired.sql'), '--format', 'auto', '--root', root, '--name', 'next', '--rename', scenario.renames[0], '--no-verify');
      expect(run.code).toBe(0);
      const header = fs.readFileSync(run.stdout.trim().split('\n')[0], 'utf8');
      expect(header).toContain('Down steps of the split versions are only correct when run together (`down 3`)');
      const result = await rollBackOneByOne(format, root, current, desired);
      expect(result.versions).toBe(3);
      // What this file's check exists for: the newest version's spread down drops the index of version 2.
      expect(result.leftovers[0]).not.toEqual([]);
    }, 120_000);
  });
}

describe('sliceRenames', () => {
  it('reverses every rename and names a column table by each name it can have', () => {
    expect(
      sliceRenames([
        { kind: 'table', from: 'public.users', to: 'public.people' },
        { kind: 'column', table: 'public.people', from: 'mail', to: 'email' },
        { kind: 'column', table: 'public.orders', from: 'a', to: 'b' },
      ]),
    ).toEqual([
      { kind: 'table', from: 'public.people', to: 'public.users' },
      { kind: 'column', table: 'public.people', from: 'email', to: 'mail' },
      { kind: 'column', table: 'public.users', from: 'email', to: 'mail' },
      { kind: 'column', table: 'public.orders', from: 'b', to: 'a' },
    ]);
  });
});

describe('rendering the versions', () => {
  const change = (kind: string, statements: string[], transactional = true): Change => ({ kind, object: 'public.t', statements, transactional });
  const diffOf = (changes: Change[]): SchemaDiff => ({ changes, hazards: [], renameCandidates: [], safe: false });
  const UP = diffOf([change('add column', ['ALTER TABLE t ADD COLUMN b int']), change('create index', ['CREATE INDEX CONCURRENTLY t_b ON t (b)'], false), change('comment', ["COMMENT ON TABLE t IS 'x'"])]);
  const DOWN = diffOf([change('comment', ['COMMENT ON TABLE t IS NULL']), change('drop column', ['ALTER TABLE t DROP COLUMN b']), change('drop index', ['DROP INDEX CONCURRENTLY t_b'], false)]);
  const OWN = [diffOf([change('drop column', ['ALTER TABLE t DROP COLUMN b'])]), diffOf([change('drop index', ['DROP INDEX CONCURRENTLY t_b'], false)]), diffOf([change('comment', ['COMMENT ON TABLE t IS NULL'])])];
  const passed: PhaseReport = { status: 'passed', leftover: [] };
  const report = (versions: VerificationReport['versions']): VerificationReport => ({ status: 'passed', up: passed, down: passed, shadow: 'embedded', notes: [], timings: { buildMs: 0, upMs: 0, downMs: 0, totalMs: 0 }, versions });
  const render = (versions: VerificationReport['versions']): string[] => {
    const draft: MigrationDraft = { up: UP, down: DOWN, verification: report(versions) };
    return renderMigrationFiles(draft, { format: 'golang-migrate', directory: '/m' }, 'x', new Date(Date.UTC(2026, 0, 1)), []).map((file) => file.content);
  };
  const bodyOf = (content: string): string[] => content.split('\n').filter((line) => line !== '' && !line.startsWith('--'));

  it('splits the up at each statement that cannot run in a transaction', () => {
    expect(versionSlices(UP).map((slice) => slice.map((step) => step.sql))).toEqual([['ALTER TABLE t ADD COLUMN b int'], ['CREATE INDEX CONCURRENTLY t_b ON t (b)'], ["COMMENT ON TABLE t IS 'x'"]]);
  });

  it("writes each version's own down when verification derived them", () => {
    const files = render({ report: passed, downs: OWN });
    expect([1, 3, 5].map((k) => bodyOf(files[k]))).toEqual([['ALTER TABLE t DROP COLUMN b;'], ['DROP INDEX CONCURRENTLY t_b;'], ['COMMENT ON TABLE t IS NULL;']]);
  });

  it('spreads the whole down, and says so, when the versions could not be checked', () => {
    const files = render({ report: { status: 'failed', leftover: [], reason: 'version 2 of 3: its down failed', error: { statement: 'DROP INDEX t_b', message: '42704 nope' } } });
    expect(files[0]).toContain('versions: FAILED: version 2 of 3: its down failed: 42704 nope in: DROP INDEX t_b; the down steps are spread over the versions instead.');
    expect(files[0]).toContain('Down steps of the split versions are only correct when run together (`down 3`)');
    // Newest first: `down 3` runs the whole down script in its order.
    expect([5, 3, 1].flatMap((k) => bodyOf(files[k]))).toEqual(['COMMENT ON TABLE t IS NULL;', 'ALTER TABLE t DROP COLUMN b;', 'DROP INDEX CONCURRENTLY t_b;']);
  });
});
