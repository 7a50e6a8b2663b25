import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DETECTION_ORDER,
  discoverMigrations,
  isMigrationFile,
  migrationOf,
  sectionsOf,
  type MigrationFile,
  type MigrationSet,
} from '../../server/src/migrations/discover';
import { decodeFile } from '../../server/src/text/decode';

const WORKSPACES = path.join(__dirname, '../fixtures/workspaces');

function workspace(name: string): string {
  return path.join(WORKSPACES, name);
}

function discover(name: string): MigrationSet {
  const set = discoverMigrations(workspace(name));
  if (!set) throw new Error(`no migrations found in ${name}`);
  return set;
}

function textOf(file: string): string {
  return decodeFile(fs.readFileSync(file)).text;
}

/** What the tests compare: the file relative to the set's folder, its version, name, up texts (sliced with the offsets) and transactional flag. */
function summary(set: MigrationSet): Array<{ file: string; version: string; name: string; up: string[]; transactional: boolean }> {
  return set.files.map((file: MigrationFile) => {
    const text = textOf(file.path);
    return {
      file: path.relative(set.directory, file.path).split(path.sep).join('/'),
      version: file.version,
      name: file.name,
      up: file.up.map((range) => text.slice(range.start, range.end)),
      transactional: file.transactional,
    };
  });
}

/** For tools whose whole file is "up": the single range covers the file exactly. */
function expectWholeFiles(set: MigrationSet): void {
  for (const file of set.files) expect(file.up).toEqual([{ start: 0, end: textOf(file.path).length }]);
}

describe('detection order', () => {
  it('tries prisma, supabase, dbmate, goose, golang-migrate, flyway, sqitch, plain', () => {
    expect(DETECTION_ORDER).toEqual(['prisma', 'supabase', 'dbmate', 'goose', 'golang-migrate', 'flyway', 'sqitch', 'plain']);
  });

  it('picks the first tool that matches when a workspace has several', () => {
    // several/ holds dbmate (db/migrations with markers), golang-migrate (migrations/*.up.sql) and flyway (sql/V1__…).
    const set = discover('several');
    expect(set.tool).toBe('dbmate');
    expect(set.directory).toBe(path.join(workspace('several'), 'db', 'migrations'));
    expect(summary(set)).toEqual([
      {
        file: '20240301000000_create_events.sql',
        version: '20240301000000',
        name: 'create_events',
        up: ['create table events (id bigserial primary key);\n\n'],
        transactional: true,
      },
    ]);
  });

  it('prefers supabase/migrations over a plain migrations folder', () => {
    expect(discover('supabase').tool).toBe('supabase');
  });
});

describe('supabase', () => {
  const set = discover('supabase');

  it('lists <timestamp>_name.sql in supabase/migrations, skipping the legacy first init file', () => {
    expect(set.tool).toBe('supabase');
    expect(set.directory).toBe(path.join(workspace('supabase'), 'supabase', 'migrations'));
    expect(summary(set).map(({ file, version, name, transactional }) => ({ file, version, name, transactional }))).toEqual([
      { file: '20240101120000_create_users.sql', version: '20240101120000', name: 'create_users', transactional: true },
      { file: '20240102093000_add_profiles.sql', version: '20240102093000', name: 'add_profiles', transactional: true },
      { file: '20240215000000_seed_roles.sql', version: '20240215000000', name: 'seed_roles', transactional: true },
    ]);
  });

  it('replays the whole file', () => {
    expectWholeFiles(set);
    expect(summary(set)[2].up).toEqual(['create table public.roles (\n  id smallserial primary key,\n  name text not null unique\n);\n']);
  });
});

describe('dbmate', () => {
  const set = discover('dbmate');

  it('splits -- migrate:up / -- migrate:down sections and honours transaction:false', () => {
    expect(set.tool).toBe('dbmate');
    expect(set.directory).toBe(path.join(workspace('dbmate'), 'db', 'migrations'));
    expect(summary(set)).toEqual([
      {
        file: '20230105103000_create_users.sql',
        version: '20230105103000',
        name: 'create_users',
        up: ['create table users (\n  id bigserial primary key,\n  email text not null unique,\n  nom text not null\n);\n\n'],
        transactional: true,
      },
      {
        file: '20230106090000_add_users_nom_index.sql',
        version: '20230106090000',
        name: 'add_users_nom_index',
        up: ['create index concurrently users_nom_idx on users (nom);\n\n'],
        transactional: false,
      },
      {
        file: '20230107120000_create_orders.sql',
        version: '20230107120000',
        name: 'create_orders',
        up: [
          'create table orders (\n  id bigserial primary key,\n  user_id bigint not null references users (id)\n);\n\n',
          'alter table orders add column total numeric(12, 2) not null default 0;\n\n',
        ],
        transactional: true,
      },
    ]);
  });

  it('reports UTF-16 offsets, not UTF-8 bytes, after non-ASCII text', () => {
    const file = set.files[0];
    const text = textOf(file.path);
    const expectedStart = text.indexOf('create table users');
    expect(file.up[0].start).toBe(expectedStart);
    expect(file.up[0].end).toBe(text.indexOf('-- migrate:down'));
    // The comment before the marker holds é, —, 用户表 and 😀 (a surrogate pair): bytes and code points differ from UTF-16.
    expect(Buffer.byteLength(text.slice(0, expectedStart))).not.toBe(expectedStart);
    expect([...text.slice(0, expectedStart)].length).not.toBe(expectedStart);
  });
});

describe('goose', () => {
  const set = discover('goose');

  it('orders versions numerically and replays from -- +goose Up to -- +goose Down', () => {
    expect(set.tool).toBe('goose');
    expect(set.directory).toBe(path.join(workspace('goose'), 'migrations'));
    expect(summary(set)).toEqual([
      {
        file: '1_create_accounts.sql',
        version: '1',
        name: 'create_accounts',
        up: ['CREATE TABLE accounts (\n    id BIGSERIAL PRIMARY KEY,\n    name TEXT NOT NULL\n);\n\n'],
        transactional: true,
      },
      {
        file: '2_touch_trigger.sql',
        version: '2',
        name: 'touch_trigger',
        up: [
          'ALTER TABLE accounts ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();\n\n' +
            '-- +goose StatementBegin\n' +
            'CREATE FUNCTION touch_updated_at() RETURNS trigger AS $$\nBEGIN\n    NEW.updated_at := now();\n    RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\n' +
            '-- +goose StatementEnd\n\n' +
            'CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts\n    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();\n\n',
        ],
        transactional: true,
      },
      {
        file: '10_accounts_name_index.sql',
        version: '10',
        name: 'accounts_name_index',
        up: ['CREATE INDEX CONCURRENTLY accounts_name_idx ON accounts (name);\n\n'],
        transactional: false,
      },
    ]);
  });

  it('starts the up section after non-ASCII text, in UTF-16 units', () => {
    const file = set.files[0];
    const text = textOf(file.path);
    expect(file.up).toEqual([{ start: text.indexOf('CREATE TABLE'), end: text.indexOf('-- +goose Down') }]);
  });
});

describe('golang-migrate', () => {
  const set = discover('golang-migrate');

  it('replays only .up.sql files, in numeric order, from any migrations folder', () => {
    expect(set.tool).toBe('golang-migrate');
    expect(set.directory).toBe(path.join(workspace('golang-migrate'), 'internal', 'store', 'migrations'));
    expect(summary(set)).toEqual([
      {
        file: '1_create_products.up.sql',
        version: '1',
        name: 'create_products',
        up: ['CREATE TABLE products (\n    id BIGSERIAL PRIMARY KEY,\n    title TEXT NOT NULL\n);\nCREATE INDEX products_title_idx ON products (title);\n'],
        transactional: true,
      },
      {
        file: '2_add_products_sku.up.sql',
        version: '2',
        name: 'add_products_sku',
        up: ['ALTER TABLE products ADD COLUMN sku TEXT;\n'],
        transactional: false,
      },
      {
        file: '10_create_inventory.up.sql',
        version: '10',
        name: 'create_inventory',
        up: [textOf(path.join(set.directory, '10_create_inventory.up.sql'))],
        transactional: true,
      },
    ]);
    expectWholeFiles(set);
  });

  it('does not count .down.sql files as migrations', () => {
    const down = path.join(set.directory, '1_create_products.down.sql');
    expect(isMigrationFile(workspace('golang-migrate'), down)).toBe(false);
    expect(migrationOf(set, down)).toBeUndefined();
    expect(isMigrationFile(workspace('golang-migrate'), path.join(set.directory, '1_create_products.up.sql'))).toBe(true);
  });
});

describe('flyway', () => {
  const set = discover('flyway');

  it('orders versions part by part, then repeatables by description; undo files are never replayed', () => {
    expect(set.tool).toBe('flyway');
    expect(set.directory).toBe(path.join(workspace('flyway'), 'src', 'main', 'resources', 'db', 'migration'));
    expect(summary(set).map(({ file, version, name, transactional }) => ({ file, version, name, transactional }))).toEqual([
      { file: 'V1__create_customers.sql', version: '1', name: 'create_customers', transactional: true },
      { file: 'V1.1__add_customer_email.sql', version: '1.1', name: 'add_customer_email', transactional: true },
      { file: 'V2__create_invoices.sql', version: '2', name: 'create_invoices', transactional: true },
      { file: 'V2_1__backfill_invoices.sql', version: '2.1', name: 'backfill_invoices', transactional: true },
      // V3__add_invoice_status.sql.conf says executeInTransaction=false
      { file: 'V3__add_invoice_status.sql', version: '3', name: 'add_invoice_status', transactional: false },
      // V10 after V2 and V3, not after V1; CREATE INDEX CONCURRENTLY makes Flyway run it outside a transaction
      { file: 'V10__index_invoices.sql', version: '10', name: 'index_invoices', transactional: false },
      { file: 'views/R__active_customers.sql', version: '', name: 'active_customers', transactional: true },
      { file: 'R__customer_summary_view.sql', version: '', name: 'customer_summary_view', transactional: true },
    ]);
  });

  it('replays the whole file', () => {
    expectWholeFiles(set);
    expect(summary(set)[1].up).toEqual(['ALTER TABLE customers ADD COLUMN email TEXT;\n']);
  });

  it('does not count undo migrations or script config files as migrations', () => {
    const root = workspace('flyway');
    expect(isMigrationFile(root, path.join(set.directory, 'U2__create_invoices.sql'))).toBe(false);
    expect(isMigrationFile(root, path.join(set.directory, 'V3__add_invoice_status.sql.conf'))).toBe(false);
    expect(isMigrationFile(root, path.join(set.directory, 'R__customer_summary_view.sql'))).toBe(true);
    expect(isMigrationFile(root, path.join(root, 'pom.xml'))).toBe(false);
  });
});

describe('prisma', () => {
  const set = discover('prisma');

  it('lists prisma/migrations/<timestamp>_name/migration.sql in order, not in a transaction', () => {
    expect(set.tool).toBe('prisma');
    expect(set.directory).toBe(path.join(workspace('prisma'), 'prisma', 'migrations'));
    expect(summary(set).map(({ file, version, name, transactional }) => ({ file, version, name, transactional }))).toEqual([
      { file: '20240101120000_init/migration.sql', version: '20240101120000', name: 'init', transactional: false },
      { file: '20240105090000_add_posts/migration.sql', version: '20240105090000', name: 'add_posts', transactional: false },
      { file: '20240110150000_add_post_index/migration.sql', version: '20240110150000', name: 'add_post_index', transactional: false },
    ]);
    expectWholeFiles(set);
    expect(summary(set)[2].up).toEqual(['-- Index ajouté à la main — 手動\nCREATE INDEX CONCURRENTLY "Post_authorId_idx" ON "Post"("authorId");\n']);
  });
});

describe('sqitch', () => {
  const set = discover('sqitch');

  it('follows sqitch.plan, deploying an earlier instance of a reworked change from deploy/<change>@<tag>.sql', () => {
    expect(set.tool).toBe('sqitch');
    expect(set.directory).toBe(workspace('sqitch'));
    expect(summary(set).map(({ file, version, name, transactional }) => ({ file, version, name, transactional }))).toEqual([
      { file: 'deploy/appschema.sql', version: '1', name: 'appschema', transactional: false },
      { file: 'deploy/users@v1.0.0.sql', version: '2', name: 'users', transactional: false },
      { file: 'deploy/flips.sql', version: '3', name: 'flips', transactional: false },
      { file: 'deploy/users.sql', version: '4', name: 'users', transactional: false },
    ]);
    expectWholeFiles(set);
    expect(summary(set)[0].up).toEqual(['-- Deploy flipr:appschema to pg\n\nBEGIN;\n\nCREATE SCHEMA flipr;\n\nCOMMIT;\n']);
  });
});

describe('plain', () => {
  const set = discover('plain');

  it('orders numbered .sql files naturally and ignores files without an orderable prefix', () => {
    expect(set.tool).toBe('plain');
    expect(set.directory).toBe(path.join(workspace('plain'), 'migrations'));
    expect(summary(set)).toEqual([
      { file: '1_init.sql', version: '1', name: 'init', up: ['create table tags (\n  id serial primary key,\n  label text not null\n);\n'], transactional: false },
      {
        file: '2_add_tag_color.sql',
        version: '2',
        name: 'add_tag_color',
        up: ["alter table tags add column color text not null default 'gris clair — 灰色';\n"],
        transactional: false,
      },
      { file: '10_add_tag_index.sql', version: '10', name: 'add_tag_index', up: ['create unique index tags_label_idx on tags (label);\n'], transactional: false },
    ]);
    expectWholeFiles(set);
    expect(isMigrationFile(workspace('plain'), path.join(set.directory, 'notes.sql'))).toBe(false);
  });
});

describe('migrationOf', () => {
  it('finds a file of the set by path', () => {
    const set = discover('goose');
    const file = path.join(set.directory, '2_touch_trigger.sql');
    expect(migrationOf(set, file)?.version).toBe('2');
    expect(migrationOf(set, path.join(set.directory, '..', 'migrations', '10_accounts_name_index.sql'))?.name).toBe('accounts_name_index');
    expect(migrationOf(set, path.join(set.directory, 'README.md'))).toBeUndefined();
  });
});

describe('folders', () => {
  const temporary: string[] = [];
  afterEach(() => {
    for (const directory of temporary.splice(0)) fs.rmSync(directory, { recursive: true, force: true });
  });

  function tree(files: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-migrations-'));
    temporary.push(root);
    for (const [file, text] of Object.entries(files)) {
      const full = path.join(root, ...file.split('/'));
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, text);
    }
    return root;
  }

  it('returns undefined for a workspace without migrations, or a missing root', () => {
    expect(discoverMigrations(tree({ 'src/index.sql': 'select 1;\n' }))).toBeUndefined();
    expect(discoverMigrations(path.join(os.tmpdir(), 'pglens-no-such-workspace'))).toBeUndefined();
  });

  it('skips node_modules and dot folders', () => {
    const root = tree({
      'node_modules/some-lib/migrations/1_create_x.up.sql': 'create table x ();\n',
      '.cache/migrations/1_create_y.sql': 'create table y ();\n',
      'packages/.hidden/db/migrations/1_create_z.sql': '-- migrate:up\ncreate table z ();\n-- migrate:down\n',
    });
    expect(discoverMigrations(root)).toBeUndefined();
  });

  it('looks for conventional folders at any depth up to seven levels', () => {
    const found = tree({ 'services/billing/prisma/migrations/20240101000000_init/migration.sql': 'create table a ();\n' });
    const set = discoverMigrations(found);
    expect(set?.tool).toBe('prisma');
    expect(set?.directory).toBe(path.join(found, 'services', 'billing', 'prisma', 'migrations'));

    const deep = tree({ 'a/b/c/migrations/1_init.sql': 'create table a ();\n' });
    expect(discoverMigrations(deep)?.directory).toBe(path.join(deep, 'a', 'b', 'c', 'migrations'));
    const tooDeep = tree({ 'a/b/c/d/e/f/g/migrations/1_init.sql': 'create table a ();\n' });
    expect(discoverMigrations(tooDeep)).toBeUndefined();
  });

  it('prefers the shallowest folder of a tool', () => {
    const root = tree({
      'apps/api/migrations/1_nested.sql': 'create table nested ();\n',
      'migrations/1_top.sql': 'create table top ();\n',
    });
    const set = discoverMigrations(root);
    expect(set?.directory).toBe(path.join(root, 'migrations'));
    expect(set?.files.map((file) => file.name)).toEqual(['top']);
  });

  it('does not take a migrations folder of .up.sql files for goose unless a file has a goose annotation', () => {
    const root = tree({ 'migrations/1_a.up.sql': 'create table a ();\n', 'migrations/1_a.down.sql': 'drop table a;\n' });
    expect(discoverMigrations(root)?.tool).toBe('golang-migrate');
  });
});

describe('sectionsOf', () => {
  function upTexts(tool: Parameters<typeof sectionsOf>[0], text: string): string[] {
    return sectionsOf(tool, text).up.map((range) => text.slice(range.start, range.end));
  }

  it('dbmate: CRLF files, markers only at line starts, options only from the up marker', () => {
    expect(upTexts('dbmate', '-- migrate:up\r\ncreate table a (id int);\r\n-- migrate:down\r\ndrop table a;\r\n')).toEqual(['create table a (id int);\r\n']);
    expect(upTexts('dbmate', '--migrate:up\nselect 1;\n')).toEqual(['select 1;\n']);
    expect(sectionsOf('dbmate', '  -- migrate:up\nselect 1;\n')).toEqual({ up: [], transactional: true });
    expect(sectionsOf('dbmate', '-- migrate:upgrade\nselect 1;\n')).toEqual({ up: [], transactional: true });
    expect(sectionsOf('dbmate', '-- migrate:up\nselect 1;\n-- migrate:down transaction:false\nselect 2;\n').transactional).toBe(true);
    expect(sectionsOf('dbmate', '-- migrate:up   transaction:false  \nselect 1;\n-- migrate:down\n').transactional).toBe(false);
  });

  it('dbmate: one non-transactional section makes the file non-transactional', () => {
    const text = '-- migrate:up\nselect 1;\n-- migrate:down\n-- migrate:up transaction:false\nselect 2;\n-- migrate:down\n';
    expect(upTexts('dbmate', text)).toEqual(['select 1;\n', 'select 2;\n']);
    expect(sectionsOf('dbmate', text).transactional).toBe(false);
  });

  it('goose: annotations are case-insensitive, need no space after --, and must not be indented', () => {
    expect(upTexts('goose', '--+goose UP\r\nselect 1;\r\n--+goose DOWN\r\nselect 2;\r\n')).toEqual(['select 1;\r\n']);
    expect(sectionsOf('goose', '  -- +goose Up\nselect 1;\n')).toEqual({ up: [], transactional: true });
    expect(sectionsOf('goose', 'select 1;\n')).toEqual({ up: [], transactional: true });
    // NO TRANSACTION applies to the whole file wherever it is.
    expect(sectionsOf('goose', '-- +goose Up\nselect 1;\n-- +goose Down\n-- +goose no transaction\nselect 2;\n').transactional).toBe(false);
    // Up without Down runs to the end of the file.
    expect(upTexts('goose', '-- +goose Up\nselect 1;')).toEqual(['select 1;']);
  });

  it('golang-migrate: a multi-statement file runs as one implicit transaction, a single statement does not', () => {
    expect(sectionsOf('golang-migrate', 'create index concurrently a_idx on a (x);\n').transactional).toBe(false);
    expect(sectionsOf('golang-migrate', 'create table a (x int);\ncreate index a_idx on a (x);\n').transactional).toBe(true);
    expect(sectionsOf('golang-migrate', '-- nothing yet\n').transactional).toBe(false);
  });

  it('flyway: detects statements that cannot run in a transaction; the script config wins', () => {
    expect(sectionsOf('flyway', 'create table a (x int);\ncreate index a_idx on a (x);\n').transactional).toBe(true);
    expect(sectionsOf('flyway', 'create table a (x int);\nCREATE /* c */ UNIQUE\n  INDEX concurrently a_idx on a (x);\n').transactional).toBe(false);
    expect(sectionsOf('flyway', 'vacuum analyze a;\n').transactional).toBe(false);
    expect(sectionsOf('flyway', "alter type mood add value 'meh';\n").transactional).toBe(true);
    expect(sectionsOf('flyway', 'select 1;\n', { executeInTransaction: false }).transactional).toBe(false);
    expect(sectionsOf('flyway', 'drop index concurrently a_idx;\n', { executeInTransaction: true }).transactional).toBe(true);
  });

  it('whole-file tools: the range skips a byte-order mark and covers the rest', () => {
    expect(sectionsOf('plain', '\uFEFFselect 1;\n')).toEqual({ up: [{ start: 1, end: 11 }], transactional: false });
    expect(sectionsOf('supabase', 'select 1;\n')).toEqual({ up: [{ start: 0, end: 10 }], transactional: true });
    expect(sectionsOf('prisma', 'select 1;\nselect 2;\n')).toEqual({ up: [{ start: 0, end: 20 }], transactional: false });
    expect(sectionsOf('sqitch', 'BEGIN;\nselect 1;\nCOMMIT;\n')).toEqual({ up: [{ start: 0, end: 25 }], transactional: false });
  });
});
