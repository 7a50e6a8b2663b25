/**
 * Finds a workspace's migrations by the conventions of the tool that owns them, in the order that
 * tool applies them, and extracts from each file the text that runs on "up".
 *
 * Pure filesystem code: nothing here talks to a database. `sectionsOf` (sections.ts) is pure on the
 * text, so the language server can recompute the sections of an edited, unsaved document.
 *
 * `discoverWorkspace` walks the folder given (symlinks followed, each real folder entered once) and
 * asks of every folder whether its path ends with a tool's conventional folder (`supabase/migrations`,
 * `db/migrations`, `migrations`, …); the first tool in this order whose locator finds files there
 * claims it, and the walk does not enter a claimed folder:
 *
 *   prisma → supabase → dbmate → goose → golang-migrate → flyway → sqitch → plain
 *
 * Since the test is on the folder's own path, `pglens check supabase/migrations` and `pglens check .`
 * find the same set. The folder given is also tried by content (goose annotations, dbmate markers,
 * `.up.sql` names, `V1__` names, Prisma's `<name>/migration.sql`, numbered files) whatever its name.
 * `node_modules`, `dist`, `target`, `vendor` and dot folders are never entered; a folder whose path
 * names another database (`clickhouse`, `mysql`, `sqlite`, …) or a Prisma folder locked to another
 * provider is skipped and said so. `discoverMigrations` keeps the single best set (tool order, then
 * the shallowest, then byte order) for the language server and the generator.
 *
 * What each tool does with a file, and where that was established (tool sources as of 2025–2026):
 *
 * - supabase (`supabase/migrations/<digits>_<name>.sql`, byte order of file names, as `fs.ReadDir`
 *   returns them; supabase/cli pkg/migration/list.go). The whole file is up. Transactional: the CLI
 *   splits the file into statements and sends them, plus the INSERT into its history table, as one
 *   pgconn batch (`MigrationFile.ExecBatch`, pkg/migration/file.go, commented "ExecBatch is implicitly
 *   transactional"): one Sync for the whole batch, so PostgreSQL runs it as one implicit transaction.
 *   The legacy `<timestamp>_init.sql` older than 20211209000000 that the CLI skips when it is the
 *   first entry is skipped here too.
 * - dbmate (`db/migrations/<digits>….sql`, sorted by file name; pkg/dbmate/db.go FindMigrations).
 *   `-- migrate:up` … `-- migrate:down` sections, matched by dbmate's own regular expressions
 *   (pkg/dbmate/migration.go); a file may hold several up/down pairs, each its own section. Options
 *   on the marker line (`-- migrate:up transaction:false`); each section runs in a transaction
 *   unless it says `transaction:false`. `transactional` is true only if every up section is.
 * - goose (`migrations/` or `db/migrations/`, `<int64 > 0>_<name>.sql`, numeric order). Annotations
 *   `-- +goose Up|Down|StatementBegin|StatementEnd|NO TRANSACTION|ENVSUB ON|OFF`, case-insensitive,
 *   no leading whitespace (internal/sqlparser/parser.go `extractAnnotation`). Up runs from the line
 *   after `Up` to the `Down` line. Runs in a transaction unless `NO TRANSACTION` appears anywhere in
 *   the file (it applies to both directions). Detected only when a file carries `-- +goose Up`.
 * - golang-migrate (any `migrations/` or `db/migrations/` folder, `<uint>_<name>.up.sql`, numeric
 *   order; `.down.sql` files are never replayed). golang-migrate itself opens no transaction around
 *   a migration (maintainer in golang-migrate/migrate#137; the driver only uses one for its version
 *   table), but the postgres driver sends the whole file as one simple-protocol query
 *   (database/postgres/postgres.go `Run` with `x-multi-statement` off, the default), and PostgreSQL
 *   runs a multi-statement simple query as one implicit transaction (golang-migrate/migrate#284,
 *   #495). So `transactional` is true exactly when the file holds more than one statement.
 * - flyway (`sql/`, `src/main/resources/db/migration/`, `db/migration/`, `migrations/`, scanned
 *   recursively as Flyway does). `V<version>__<description>.sql` with version parts separated by `.`
 *   or `_` and compared numerically part by part (`2_1` is shown as `2.1`), then repeatable
 *   `R__<description>.sql` after all versioned ones, ordered by description (underscores read as
 *   spaces, as Flyway's description is); undo `U…` and baseline `B…` files are never replayed. Each
 *   migration runs in a transaction, unless its script config file `<file>.conf` says
 *   `executeInTransaction=false|true` (documented "Script Configuration"), or Flyway's PostgreSQL
 *   parser finds a statement that cannot run in one (`PostgreSQLParser.detectCanExecuteInTransaction`:
 *   CREATE/DROP DATABASE|TABLESPACE|SUBSCRIPTION, ALTER SYSTEM, CREATE/DROP [UNIQUE] INDEX
 *   CONCURRENTLY, REINDEX [VERBOSE] SCHEMA|DATABASE|SYSTEM, VACUUM, DISCARD ALL; ALTER TYPE … ADD VALUE
 *   only before PostgreSQL 12, so not here). With both kinds in one file Flyway refuses the file
 *   unless `mixed=true`; either way it does not run it in one transaction, so this reports false.
 *   An in-file `-- flyway:executeInTransaction=…` comment is not in Flyway's documentation and is
 *   ignored.
 * - prisma (`prisma/migrations/<name>/migration.sql`, directories in byte order). The whole file is
 *   up. Not transactional: since prisma-engines #5767 (Prisma 7.4) the schema engine splits the
 *   script and sends each statement on its own (prisma/prisma-engines#5847 describes it). Older
 *   engines sent the whole script as one simple query, which PostgreSQL ran as one implicit
 *   transaction when it held more than one statement (prisma/prisma#22922).
 * - sqitch (a project directory with `sqitch.plan` and `deploy/`): `deploy/<change>.sql` in plan
 *   order; an earlier instance of a reworked change uses `deploy/<change>@<tag>.sql` (the first tag
 *   after it). `sqitch.conf` overrides of the plan file or directories are not read. Sqitch runs
 *   scripts through psql, which does not wrap them (the scripts carry their own BEGIN/COMMIT), so
 *   not transactional. `version` is the change's 1-based position in the plan.
 * - plain (`migrations/`, `migration/`, `db/migrations/`, `db/migrate/`, `sql/migrations/`, `schema/migrations/`):
 *   `.sql` files whose name starts with digits (`1_x.sql`, `2024-01-01_x.sql`), natural order
 *   (`2_x` before `10_x`); the whole file is up; psql's default is autocommit, so not transactional.
 *
 * Offsets are UTF-16 indices into the file's text as `decodeFile` produces it (a byte-order mark is
 * dropped by the decoder; `sectionsOf` also skips one if it is given a text that still has it).
 */
import * as path from 'node:path';
import { locateFlyway, readFlywayScriptConfig } from './flyway';
import { isDirectory, listDirectory, normalizePath, readText, realPathOf, compareBytes } from './files';
import { locateDbmate, locateGolangMigrate, locateGoose, locatePlain, locatePrisma, locateSupabase, prismaProvider } from './locators';
import { sectionsOf } from './sections';
import { locateSqitch } from './sqitch';
import type { LocatedFolder, MigrationFile, MigrationSet, MigrationTool, SectionOptions, SkippedPath, WorkspaceDiscovery } from './types';

export type { MigrationFile, MigrationSections, MigrationSet, MigrationTool, SectionOptions, SkippedPath, WorkspaceDiscovery } from './types';
export { sectionsOf, wrapsImplicitly } from './sections';

/** The order in which tools are tried; the first whose conventional folder matches wins. */
export const DETECTION_ORDER: readonly MigrationTool[] = ['prisma', 'supabase', 'dbmate', 'goose', 'golang-migrate', 'flyway', 'sqitch', 'plain'];

/** Conventional folders of each tool, as the last segments of a folder's path ('' = any folder). */
const CONVENTIONAL_FOLDERS: Record<MigrationTool, readonly string[]> = {
  prisma: ['prisma/migrations'],
  supabase: ['supabase/migrations'],
  dbmate: ['db/migrations'],
  goose: ['migrations', 'db/migrations'],
  'golang-migrate': ['migrations', 'db/migrations'],
  flyway: ['sql', 'src/main/resources/db/migration', 'db/migration', 'migrations'],
  sqitch: [''],
  plain: ['migrations', 'migration', 'db/migrations', 'db/migrate', 'sql/migrations', 'schema/migrations'],
};

/** Tools recognised by what their folder holds, whatever its name (tried on the folder given). */
const BY_CONTENT: readonly MigrationTool[] = ['prisma', 'dbmate', 'goose', 'golang-migrate', 'flyway', 'sqitch'];

const LOCATORS: Record<MigrationTool, (directory: string) => LocatedFolder | undefined> = {
  prisma: locatePrisma,
  supabase: locateSupabase,
  dbmate: locateDbmate,
  goose: locateGoose,
  'golang-migrate': locateGolangMigrate,
  flyway: locateFlyway,
  sqitch: locateSqitch,
  plain: locatePlain,
};

/** How deep below the folder given the walk looks (a conventional folder's last segment included). */
const WALK_DEPTH = 7;
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'target', 'vendor', 'build', 'out']);
/** A path segment that names another database: its SQL is not PostgreSQL's. */
const OTHER_DATABASE = /(^|[-_.])(clickhouse|mysql|mariadb|sqlite3?|mssql|sqlserver|oracle|cassandra|duckdb|snowflake|bigquery|tidb|spanner|turso|libsql|vertica|ydb|redshift)([-_.]|$)/i;

/**
 * Every migration folder at or below `root`, with what was left out and why. With `rootMayBeFolder`
 * (`pglens check DIR`), DIR itself counts as a plain folder of ordered `.sql` files when no
 * convention matches anywhere.
 */
export function discoverWorkspace(root: string, options: { rootMayBeFolder?: boolean; maxDepth?: number } = {}): WorkspaceDiscovery {
  const maxDepth = options.maxDepth ?? WALK_DEPTH;
  const absoluteRoot = path.resolve(root);
  const found: Array<{ tool: MigrationTool; directory: string; located: LocatedFolder; depth: number }> = [];
  const skipped: SkippedPath[] = [];
  const visited = new Set<string>();
  const visit = (directory: string, depth: number): void => {
    const real = realPathOf(directory);
    if (visited.has(real)) return; // a symlink loop, or a folder reached twice
    visited.add(real);
    // The folder given is matched on its whole path (so `supabase/migrations` given directly is Supabase's);
    // a folder below it on its path from there (a workspace itself named `supabase` claims nothing).
    const claimed = claim(depth === 0 ? directory : path.relative(absoluteRoot, directory), directory, depth === 0);
    if (claimed) {
      if (claimed.skip !== undefined) skipped.push({ path: directory, reason: claimed.skip });
      else found.push({ tool: claimed.tool, directory, located: claimed.located, depth });
      return;
    }
    if (depth >= maxDepth) return;
    for (const entry of listDirectory(directory)) {
      if (!entry.isDirectory || entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name)) continue;
      const child = path.join(directory, entry.name);
      if (OTHER_DATABASE.test(entry.name)) {
        if (containsSql(child)) skipped.push({ path: child, reason: `${entry.name}: SQL for another database, not PostgreSQL` });
        continue;
      }
      visit(child, depth + 1);
    }
  };
  if (isDirectory(absoluteRoot)) visit(absoluteRoot, 0);
  if (found.length === 0 && options.rootMayBeFolder) {
    const plain = LOCATORS.plain(absoluteRoot);
    if (plain) found.push({ tool: 'plain', directory: absoluteRoot, located: plain, depth: 0 });
  }
  const sets = found.map(({ tool, directory, located }) => {
    skipped.push(...(located.skipped ?? []));
    return toSet(tool, directory, located);
  });
  return { root: absoluteRoot, sets, skipped };
}

/** The workspace's one migration set (the best by tool order, then depth), as the language server and the generator use it. */
export function discoverMigrations(root: string, options: { rootMayBeFolder?: boolean } = {}): MigrationSet | undefined {
  const { sets } = discoverWorkspace(root, options);
  const depthOf = (set: MigrationSet): number => set.directory.split(path.sep).length;
  return [...sets].sort((a, b) => DETECTION_ORDER.indexOf(a.tool) - DETECTION_ORDER.indexOf(b.tool) || depthOf(a) - depthOf(b) || compareBytes(a.directory, b.directory))[0];
}

export function migrationOf(set: MigrationSet, file: string): MigrationFile | undefined {
  const wanted = normalizePath(file);
  return set.files.find((candidate) => normalizePath(candidate.path) === wanted);
}

/** Is `file` one of the migrations the workspace at `root` replays? (`.down.sql`, undo and config files are not.) */
export function isMigrationFile(root: string, file: string): boolean {
  const set = discoverMigrations(root);
  return set !== undefined && migrationOf(set, file) !== undefined;
}

/** The tool that owns `directory`, by its path's last segments (and, for the folder given, by content). */
function claim(shownPath: string, directory: string, given: boolean): { tool: MigrationTool; located: LocatedFolder; skip?: undefined } | { skip: string } | undefined {
  const segments = shownPath.split(path.sep);
  const endsWith = (relative: string): boolean => {
    const wanted = relative.split('/');
    if (relative === '') return true;
    if (segments.length < wanted.length) return false;
    const tail = segments.slice(-wanted.length);
    // `sql-migrations`, `db_migrations`: a last segment that ends in the conventional name counts.
    const last = tail[tail.length - 1];
    const lastMatches = last === wanted[wanted.length - 1] || (wanted.length === 1 && new RegExp(`[-_]${wanted[0]}$`).test(last));
    return lastMatches && tail.slice(0, -1).join('/') === wanted.slice(0, -1).join('/');
  };
  for (const tool of DETECTION_ORDER) {
    const conventional = CONVENTIONAL_FOLDERS[tool].some(endsWith);
    if (!conventional && !(given && BY_CONTENT.includes(tool) && holdsOwnFiles(tool, directory))) continue;
    const located = LOCATORS[tool](directory);
    if (!located || located.files.length === 0) continue;
    if (tool === 'prisma') {
      const provider = prismaProvider(directory);
      if (provider !== undefined && provider !== 'postgresql' && provider !== 'postgres') return { skip: `Prisma migrations for ${provider}, not PostgreSQL (migration_lock.toml)` };
    }
    return { tool, located };
  }
  return undefined;
}

/** By content alone, a folder is a tool's only when the files are its own, not in subfolders (Flyway scans those too). */
function holdsOwnFiles(tool: MigrationTool, directory: string): boolean {
  if (tool !== 'flyway') return true;
  return listDirectory(directory).some((entry) => entry.isFile && /^V\d/.test(entry.name));
}

/** Any `.sql` file in the folder or up to three levels below it (worth telling the user it was skipped). */
function containsSql(directory: string, depth = 0): boolean {
  return listDirectory(directory).some((entry) => (entry.isFile && entry.name.endsWith('.sql')) || (entry.isDirectory && depth < 3 && !entry.name.startsWith('.') && containsSql(path.join(directory, entry.name), depth + 1)));
}

function toSet(tool: MigrationTool, directory: string, located: LocatedFolder): MigrationSet {
  const files: MigrationFile[] = [];
  for (const file of located.files) {
    const text = readText(file.path);
    const options: SectionOptions = {};
    if (file.scriptConfig !== undefined) {
      const executeInTransaction = readFlywayScriptConfig(file.scriptConfig);
      if (executeInTransaction !== undefined) options.executeInTransaction = executeInTransaction;
    }
    const sections = sectionsOf(tool, text, options);
    files.push({ path: file.path, version: file.version, name: file.name, up: sections.up, transactional: sections.transactional });
  }
  return { tool, directory, files };
}
