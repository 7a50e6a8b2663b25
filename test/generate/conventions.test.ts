import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_TIMEOUT_PREAMBLE } from '../../server/src/diff';
import type { Change, SchemaDiff } from '../../server/src/diff';
import {
  conventionFor,
  headerLines,
  migrationName,
  nextFlywayVersion,
  nextNumbers,
  renderMigrationFiles,
  timestampOf,
  writeMigrationFiles,
} from '../../server/src/generate/conventions';
import type { Convention } from '../../server/src/generate/conventions';
import { sectionsOf } from '../../server/src/migrations/discover';
import { splitStatements } from '../../server/src/sql/splitter';
import type { MigrationDraft, MigrationFormat, VerificationReport } from '../../server/src/generate/types';

const NOW = new Date(Date.UTC(2026, 10, 5, 9, 30, 15));
const DIR = path.join(os.tmpdir(), 'ws', 'migrations');

const change = (kind: string, object: string, statements: string[], transactional = true, hazard?: Change['hazard']): Change => ({ kind, object, statements, transactional, hazard });
const diffOf = (changes: Change[]): SchemaDiff => ({ changes, hazards: changes.flatMap((c) => (c.hazard ? [c.hazard] : [])), renameCandidates: [], safe: true });

const FUNCTION_BODY = "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND\n$$";

/** Up: a table, a function with semicolons in its body, an index built concurrently, a dropped column (hazard). */
const UP = diffOf([
  change('create table', 'public.notes', ['CREATE TABLE public.notes (id bigint PRIMARY KEY, body text)']),
  change('create function', 'public.touch()', [FUNCTION_BODY]),
  change('create index', 'public.notes_body_idx', ['CREATE INDEX CONCURRENTLY notes_body_idx ON public.notes (body)'], false),
  change('drop column', 'public.users.legacy', ['ALTER TABLE public.users DROP COLUMN legacy'], true, { kind: 'drop', object: 'public.users.legacy', message: 'the column and its data are lost' }),
]);
const DOWN = diffOf([
  change('add column', 'public.users.legacy', ['ALTER TABLE public.users ADD COLUMN legacy text']),
  change('drop index', 'public.notes_body_idx', ['DROP INDEX CONCURRENTLY public.notes_body_idx'], false),
  change('drop function', 'public.touch()', ['DROP FUNCTION public.touch()']),
  change('drop table', 'public.notes', ['DROP TABLE public.notes'], true, { kind: 'drop', object: 'public.notes', message: 'table dropped' }),
]);
const TRANSACTIONAL_UP = diffOf([change('create table', 'public.notes', ['CREATE TABLE public.notes (id bigint PRIMARY KEY)'])]);
const TRANSACTIONAL_DOWN = diffOf([change('drop table', 'public.notes', ['DROP TABLE public.notes'])]);

const PASSED: VerificationReport = {
  status: 'passed',
  up: { status: 'passed', leftover: [] },
  down: { status: 'passed', leftover: [] },
  shadow: 'embedded',
  notes: ['Data was not part of the check.'],
  timings: { buildMs: 500, upMs: 100, downMs: 100, totalMs: 1234 },
};

const draft = (up = UP, down = DOWN): MigrationDraft => ({ up, down, verification: PASSED, from: 'migrations (migrations)', to: 'schema.sql' });
const render = (format: MigrationFormat, existing: string[] = [], d = draft()): Array<{ path: string; content: string }> =>
  renderMigrationFiles(d, { format, directory: DIR } satisfies Convention, 'Add notes!', NOW, existing).map((file) => ({ path: path.relative(DIR, file.path), content: file.content }));

/** Statements of a script, as psql splits them, without their semicolons. */
const statements = (sql: string): string[] => splitStatements(sql).filter((s) => s.kind === 'statement').map((s) => s.sql.replace(/;$/, ''));

describe('names and versions', () => {
  it('makes file-safe names', () => {
    expect(migrationName('Add notes!')).toBe('add_notes');
    expect(migrationName('Crème brûlée table')).toBe('creme_brulee_table');
    expect(migrationName('日本')).toBe('migration');
    expect(migrationName(undefined)).toBe('migration');
  });

  it('formats UTC timestamps', () => {
    expect(timestampOf(NOW)).toBe('20261105093015');
  });

  it('continues a sequence at its width, a timestamp scheme with the clock, Unix seconds likewise', () => {
    expect(nextNumbers(['0001', '0009'], NOW, 2, { scheme: 'timestamp' })).toEqual(['0010', '0011']);
    expect(nextNumbers(['7'], NOW, 1, { scheme: 'timestamp' })).toEqual(['8']);
    expect(nextNumbers(['20240101000000'], NOW, 2, { scheme: 'sequence' })).toEqual(['20261105093015', '20261105093016']);
    expect(nextNumbers(['1700000000'], NOW, 1, { scheme: 'sequence' })).toEqual([String(Math.floor(NOW.getTime() / 1000))]);
    expect(nextNumbers([], NOW, 1, { scheme: 'sequence', width: 4 })).toEqual(['0001']);
  });

  it('never goes backwards when the newest file is ahead of the clock', () => {
    expect(nextNumbers(['29990101000000'], NOW, 2, { scheme: 'timestamp' })).toEqual(['29990101000001', '29990101000002']);
  });

  it('increments the last part of the highest Flyway version, keeping its separator and width', () => {
    expect(nextFlywayVersion([], NOW)).toBe('1');
    expect(nextFlywayVersion(['V1__a.sql', 'V2__b.sql', 'V10__c.sql', 'U10__c.sql'], NOW)).toBe('11');
    expect(nextFlywayVersion(['V1.1__a.sql', 'V1.9__b.sql'], NOW)).toBe('1.10');
    expect(nextFlywayVersion(['V2_01__a.sql'], NOW)).toBe('2_02');
    expect(nextFlywayVersion(['V001__a.sql'], NOW)).toBe('002');
    expect(nextFlywayVersion(['V20240101120000__a.sql'], NOW)).toBe('20261105093015');
  });
});

describe('the header', () => {
  it('lists changes, each hazard on its own line, renames applied and asked, and the verification', () => {
    const lines = headerLines(
      {
        ...draft(),
        renames: [{ kind: 'table', from: 'public.people', to: 'public.persons' }],
        renameCandidates: [{ kind: 'column', table: 'public.users', from: 'mail', to: 'email', similarity: 0.8 }],
      },
      'dbmate',
      NOW,
    );
    const text = lines.join('\n');
    expect(lines.every((line) => line.startsWith('--'))).toBe(true);
    expect(text).toContain('Generated by pglens on 2026-11-05T09:30:15Z (dbmate migration).');
    expect(text).toContain('From migrations (migrations) to schema.sql.');
    expect(text).toContain('--   create index public.notes_body_idx (outside a transaction)');
    expect(lines.filter((line) => line.includes('HAZARD'))).toEqual(['--   HAZARD drop: public.users.legacy: the column and its data are lost']);
    expect(text).toContain('table public.people → public.persons');
    expect(text).toContain('column public.users.mail → email (similarity 0.80)');
    expect(text).toContain('Verification: passed (on PGlite, 1.2 s).');
    expect(text).toContain('Data was not part of the check.');
  });

  it('says when verification did not run, failed, or could not check a phase', () => {
    expect(headerLines({ ...draft(), verification: undefined }, 'plain', NOW).join('\n')).toContain('Verification: not run');
    const failed: VerificationReport = {
      ...PASSED,
      status: 'failed',
      up: { status: 'failed', leftover: ['add column public.users.email'] },
      down: { status: 'not verified', leftover: [], reason: 'up failed' },
    };
    const text = headerLines({ ...draft(), verification: failed }, 'plain', NOW).join('\n');
    expect(text).toContain('up: FAILED: 1 difference(s) left: add column public.users.email');
    expect(text).toContain('down: NOT VERIFIED: up failed');
  });

  it('keeps a hazard message with line breaks inside the comment', () => {
    const up = diffOf([change('drop table', 'public.x', ['DROP TABLE public.x'], true, { kind: 'drop', object: 'public.x', message: 'line one\nDROP DATABASE prod;' })]);
    const lines = headerLines(draft(up, TRANSACTIONAL_DOWN), 'plain', NOW);
    expect(lines.every((line) => line.startsWith('--'))).toBe(true);
  });
});

describe('files per tool', () => {
  it('plain: next number at the folder width, the down commented out at the end', () => {
    const files = render('plain', ['0001_init.sql', '0002_users.sql']);
    expect(files.map((f) => f.path)).toEqual(['0003_add_notes.sql']);
    const content = files[0].content;
    expect(statements(content)).toEqual([LOCK_TIMEOUT_PREAMBLE, ...UP.changes.flatMap((c) => c.statements)]);
    expect(content).toContain('-- DROP TABLE public.notes;');
  });

  it('flyway: V<next>__name.sql with an undo U file and script configs for CONCURRENTLY', () => {
    const files = render('flyway', ['V1__init.sql', 'V2__users.sql']);
    expect(files.map((f) => f.path)).toEqual(['V3__add_notes.sql', 'U3__add_notes.sql', 'V3__add_notes.sql.conf', 'U3__add_notes.sql.conf']);
    expect(files[2].content).toBe('executeInTransaction=false\n');
    expect(statements(files[1].content)).toEqual([LOCK_TIMEOUT_PREAMBLE, ...DOWN.changes.flatMap((c) => c.statements)]);
    expect(render('flyway', [], draft(TRANSACTIONAL_UP, TRANSACTIONAL_DOWN)).map((f) => f.path)).toEqual(['V1__add_notes.sql', 'U1__add_notes.sql']);
  });

  it('golang-migrate: up/down pairs; a statement that cannot run in a transaction gets its own version', () => {
    expect(render('golang-migrate', ['000001_init.up.sql', '000001_init.down.sql'], draft(TRANSACTIONAL_UP, TRANSACTIONAL_DOWN)).map((f) => f.path)).toEqual([
      '000002_add_notes.up.sql',
      '000002_add_notes.down.sql',
    ]);
    const files = render('golang-migrate', ['000001_init.up.sql', '000001_init.down.sql']);
    // up: [table, function] [index concurrently] [drop column]; down: [add column] [drop index concurrently] [drop function, table]
    expect(files.map((f) => f.path)).toEqual([
      '000002_add_notes.up.sql',
      '000002_add_notes.down.sql',
      '000003_add_notes.up.sql',
      '000003_add_notes.down.sql',
      '000004_add_notes.up.sql',
      '000004_add_notes.down.sql',
    ]);
    const byName = new Map(files.map((f) => [f.path, statements(f.content)]));
    expect(byName.get('000003_add_notes.up.sql')).toEqual(['CREATE INDEX CONCURRENTLY notes_body_idx ON public.notes (body)']);
    expect(byName.get('000003_add_notes.down.sql')).toEqual(['DROP INDEX CONCURRENTLY public.notes_body_idx']);
    // `migrate down 3` runs 4.down, 3.down, 2.down: the down script in its order.
    const downOrder = ['000004', '000003', '000002'].flatMap((v) => byName.get(`${v}_add_notes.down.sql`)!).filter((s) => s !== LOCK_TIMEOUT_PREAMBLE);
    expect(downOrder).toEqual(DOWN.changes.flatMap((c) => c.statements));
    expect(files[0].content).toContain('Split into 3 migrations');
    // With no files yet: golang-migrate's default timestamp format.
    expect(render('golang-migrate', [], draft(TRANSACTIONAL_UP, TRANSACTIONAL_DOWN))[0].path).toBe('20261105093015_add_notes.up.sql');
  });

  it('dbmate: -- migrate:up / -- migrate:down, transaction:false on a section holding CONCURRENTLY, as dbmate reads it', () => {
    const files = render('dbmate', ['20240101000000_init.sql']);
    expect(files.map((f) => f.path)).toEqual(['20261105093015_add_notes.sql', '20261105093016_add_notes.sql', '20261105093017_add_notes.sql']);
    expect(files[0].content.startsWith('-- migrate:up\n')).toBe(true);
    expect(files[1].content.startsWith('-- migrate:up transaction:false\n')).toBe(true);
    expect(files[1].content).toContain('-- migrate:down transaction:false\n-- drop index public.notes_body_idx\nDROP INDEX CONCURRENTLY');
    // pglens's own dbmate reader agrees on what runs on up, and on the transaction.
    const sections = sectionsOf('dbmate', files[1].content);
    expect(sections.transactional).toBe(false);
    expect(statements(sections.up.map((r) => files[1].content.slice(r.start, r.end)).join(''))).toEqual(['CREATE INDEX CONCURRENTLY notes_body_idx ON public.notes (body)']);
    const first = render('dbmate', [], draft(TRANSACTIONAL_UP, TRANSACTIONAL_DOWN));
    expect(first).toHaveLength(1);
    expect(sectionsOf('dbmate', first[0].content).transactional).toBe(true);
  });

  it('goose: Up/Down annotations, NO TRANSACTION, StatementBegin/End around a body with semicolons', () => {
    const files = render('goose', ['00001_init.sql']);
    expect(files.map((f) => f.path)).toEqual(['00002_add_notes.sql']);
    const content = files[0].content;
    expect(content.startsWith('-- +goose Up\n-- +goose NO TRANSACTION\n')).toBe(true);
    expect(content).toContain(`-- +goose StatementBegin\n${FUNCTION_BODY};\n-- +goose StatementEnd`);
    expect(content).toContain('\n-- +goose Down\n');
    const sections = sectionsOf('goose', content);
    expect(sections.transactional).toBe(false);
    expect(content.slice(sections.up[0].start, sections.up[0].end)).not.toContain('DROP TABLE');
    expect(render('goose', [], draft(TRANSACTIONAL_UP, TRANSACTIONAL_DOWN))[0].content).not.toContain('NO TRANSACTION');
    expect(render('goose', [])[0].path).toBe('20261105093015_add_notes.sql');
  });

  it('supabase: a timestamped file, CONCURRENTLY dropped (one transaction per file), down as a comment', () => {
    const files = render('supabase', ['20240101000000_init.sql']);
    expect(files.map((f) => f.path)).toEqual(['20261105093015_add_notes.sql']);
    const content = files[0].content;
    expect(statements(content)).toContain('CREATE INDEX notes_body_idx ON public.notes (body)');
    expect(content).toContain('CONCURRENTLY cannot run');
    expect(content).toContain('-- DROP INDEX public.notes_body_idx;');
    expect(statements(content).some((s) => s.startsWith('DROP'))).toBe(false);
  });

  it('prisma: <timestamp>_<name>/migration.sql with down.sql beside it', () => {
    const files = render('prisma', ['20240101000000_init', 'migration_lock.toml']);
    expect(files.map((f) => f.path)).toEqual([path.join('20261105093015_add_notes', 'migration.sql'), path.join('20261105093015_add_notes', 'down.sql')]);
    expect(statements(files[1].content)).toEqual([LOCK_TIMEOUT_PREAMBLE, ...DOWN.changes.flatMap((c) => c.statements)]);
  });
});

describe('the workspace convention', () => {
  const workspace = (files: Record<string, string>): string => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-conv-'));
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    return root;
  };

  it('finds the tool and its folder, and the existing names for numbering', () => {
    const root = workspace({ 'db/migrations/20240101000000_init.sql': '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n' });
    const { convention, existing } = conventionFor(root);
    expect(convention).toEqual({ format: 'dbmate', directory: path.join(root, 'db/migrations') });
    expect(existing).toEqual(['20240101000000_init.sql']);
  });

  it('uses the default folder of a format the workspace does not use yet, and --out when given', () => {
    const root = workspace({ 'README.md': 'x' });
    expect(conventionFor(root).convention).toEqual({ format: 'plain', directory: path.join(root, 'migrations') });
    expect(conventionFor(root, { format: 'prisma' }).convention.directory).toBe(path.join(root, 'prisma/migrations'));
    expect(conventionFor(root, { format: 'flyway', outDir: 'out' }).convention.directory).toBe(path.join(root, 'out'));
  });

  it('writes files and refuses to overwrite one', () => {
    const root = workspace({});
    const files = [{ path: path.join(root, 'a/b/1_x.sql'), content: 'SELECT 1;\n' }];
    expect(writeMigrationFiles(files)).toEqual([files[0].path]);
    expect(fs.readFileSync(files[0].path, 'utf8')).toBe('SELECT 1;\n');
    expect(() => writeMigrationFiles(files)).toThrow(/already exists/);
  });
});
