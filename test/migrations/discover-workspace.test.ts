import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverWorkspace } from '../../server/src/migrations/discover';
import type { MigrationTool, WorkspaceDiscovery } from '../../server/src/migrations/discover';

const temporary: string[] = [];
afterAll(() => {
  for (const folder of temporary) fs.rmSync(folder, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-discovery-'));
  temporary.push(root);
  for (const [file, text] of Object.entries(files)) {
    const full = path.join(root, ...file.split('/'));
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }
  return root;
}

/** Sets as `folder (relative to root): tool: file names`, for comparison. */
function found(discovery: WorkspaceDiscovery, root: string): string[] {
  return discovery.sets.map((set) => `${path.relative(root, set.directory).split(path.sep).join('/') || '.'}: ${set.tool}: ${set.files.map((file) => path.relative(set.directory, file.path).split(path.sep).join('/')).join(' ')}`);
}

const CONVENTIONS: Array<{ tool: MigrationTool; folder: string; files: Record<string, string>; expected: string }> = [
  { tool: 'supabase', folder: 'supabase/migrations', files: { '20240101000000_init.sql': 'create table a (id bigint);\n' }, expected: '20240101000000_init.sql' },
  { tool: 'dbmate', folder: 'db/migrations', files: { '20240101000000_init.sql': '-- migrate:up\ncreate table a (id bigint);\n-- migrate:down\ndrop table a;\n' }, expected: '20240101000000_init.sql' },
  { tool: 'golang-migrate', folder: 'migrations', files: { '1_init.up.sql': 'create table a (id bigint);\n', '1_init.down.sql': 'drop table a;\n' }, expected: '1_init.up.sql' },
  { tool: 'flyway', folder: 'src/main/resources/db/migration', files: { 'V1__init.sql': 'create table a (id bigint);\n', 'U1__init.sql': 'drop table a;\n' }, expected: 'V1__init.sql' },
  { tool: 'goose', folder: 'db/migrations', files: { '00001_init.sql': '-- +goose Up\ncreate table a (id bigint);\n-- +goose Down\ndrop table a;\n', '00002_seed.go': 'package migrations\n' }, expected: '00001_init.sql' },
  { tool: 'prisma', folder: 'prisma/migrations', files: { '20240101000000_init/migration.sql': 'create table a (id bigint);\n', 'migration_lock.toml': 'provider = "postgresql"\n' }, expected: '20240101000000_init/migration.sql' },
  { tool: 'sqitch', folder: 'database', files: { 'sqitch.plan': '%project=x\n\ninit 2024-01-01T00:00:00Z A <a@b.c> # init\n', 'deploy/init.sql': 'create table a (id bigint);\n', 'revert/init.sql': 'drop table a;\n' }, expected: 'deploy/init.sql' },
  { tool: 'plain', folder: 'db/migrate', files: { '20240101000000_init.sql': 'create table a (id bigint);\n' }, expected: '20240101000000_init.sql' },
];

describe('each convention, from the repository root and from its own folder', () => {
  it.each(CONVENTIONS)('$tool in $folder', ({ tool, folder, files, expected }) => {
    const root = tree(Object.fromEntries(Object.entries(files).map(([file, text]) => [`${folder}/${file}`, text])));
    expect(found(discoverWorkspace(root), root)).toEqual([`${folder}: ${tool}: ${expected}`]);
    const own = path.join(root, ...folder.split('/'));
    expect(found(discoverWorkspace(own), root)).toEqual([`${folder}: ${tool}: ${expected}`]);
  });
});

describe('what discovery tells', () => {
  it('finds nested per-service folders, each with its own tool', () => {
    const root = tree({
      'services/billing/db/migrations/20240101000000_a.sql': '-- migrate:up\ncreate table a ();\n-- migrate:down\n',
      'services/users/prisma/migrations/20240101000000_b/migration.sql': 'create table b ();\n',
      'apps/web/supabase/migrations/20240101000000_c.sql': 'create table c ();\n',
    });
    expect(found(discoverWorkspace(root), root)).toEqual([
      'apps/web/supabase/migrations: supabase: 20240101000000_c.sql',
      'services/billing/db/migrations: dbmate: 20240101000000_a.sql',
      'services/users/prisma/migrations: prisma: 20240101000000_b/migration.sql',
    ]);
  });

  it('follows a symlinked migrations folder, and a symlink loop ends', () => {
    const real = tree({ '20240101000000_init/migration.sql': 'create table a ();\n' });
    const root = tree({ 'prisma/schema.prisma': '' });
    fs.symlinkSync(real, path.join(root, 'prisma', 'migrations'));
    fs.symlinkSync(root, path.join(root, 'prisma', 'loop'));
    expect(found(discoverWorkspace(root), root)).toEqual(['prisma/migrations: prisma: 20240101000000_init/migration.sql']);
  });

  it('tells the files it skips and why: down files, Go migrations, undo files, other databases', () => {
    const root = tree({
      'migrations/1_init.up.sql': 'create table a ();\n',
      'migrations/1_init.down.sql': 'drop table a;\n',
      'goose/db/migrations/00001_a.sql': '-- +goose Up\ncreate table g ();\n',
      'goose/db/migrations/00002_b.go': 'package m\n',
      'db/clickhouse/migrations/01_a.sql': 'CREATE TABLE x ENGINE = MergeTree;\n',
      'mysql-prisma/prisma/migrations/1_a/migration.sql': 'create table m (id int auto_increment);\n',
      'mysql-prisma/prisma/migrations/migration_lock.toml': 'provider = "mysql"\n',
    });
    const skipped = discoverWorkspace(root).skipped.map((skip) => `${path.relative(root, skip.path).split(path.sep).join('/')}: ${skip.reason.split(' ')[0]}`);
    expect(skipped.sort()).toEqual(['db/clickhouse: clickhouse:', 'goose/db/migrations/00002_b.go: goose', 'migrations/1_init.down.sql: down', 'mysql-prisma: mysql-prisma:'].sort());
  });

  it('finds nothing in a folder without migrations', () => {
    const root = tree({ 'src/query.sql': 'select 1;\n' });
    expect(discoverWorkspace(root).sets).toEqual([]);
  });
});
