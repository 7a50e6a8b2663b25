/**
 * Finds a workspace's migrations by the conventions of the tool that owns them, in the order that
 * tool applies them, and extracts from each file the text that runs on "up".
 *
 * Pure filesystem code: nothing here talks to a database. `sectionsOf` is pure on the text, so the
 * language server can recompute the sections of an edited, unsaved document.
 *
 * Detection order (the first tool whose conventional folder matches wins; within one tool, the
 * shallowest folder wins, then the first in byte order of its path):
 *
 *   prisma → supabase → dbmate → goose → golang-migrate → flyway → sqitch → plain
 *
 * Folders are looked for below "project directories": the workspace root and the directories up to
 * two levels below it (so the first segment of a conventional path, e.g. `prisma` in
 * `apps/api/prisma/migrations`, is at most three levels deep). `node_modules`, `dist`, `target`,
 * `vendor` and dot folders are never entered: they hold build outputs and dependencies' copies.
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
 * - plain (`migrations/`, `migration/`, `db/migrations/`, `sql/migrations/`, `schema/migrations/`):
 *   `.sql` files whose name starts with digits (`1_x.sql`, `2024-01-01_x.sql`), natural order
 *   (`2_x` before `10_x`); the whole file is up; psql's default is autocommit, so not transactional.
 *
 * Offsets are UTF-16 indices into the file's text as `decodeFile` produces it (a byte-order mark is
 * dropped by the decoder; `sectionsOf` also skips one if it is given a text that still has it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { splitStatements } from '../sql/splitter';
import { decodeFile } from '../text/decode';

export type MigrationTool = 'supabase' | 'dbmate' | 'golang-migrate' | 'flyway' | 'goose' | 'prisma' | 'sqitch' | 'plain';

export interface MigrationSet {
  tool: MigrationTool;
  /** Absolute path of the folder the migrations were found in (for sqitch: the folder of `sqitch.plan`). */
  directory: string;
  /** In apply order. */
  files: MigrationFile[];
}

export interface MigrationFile {
  /** Absolute path. */
  path: string;
  /** The ordering key as the tool sees it, e.g. '20240101120000', '1', '1.2' ('' for Flyway's repeatable migrations). */
  version: string;
  /** Human name, e.g. 'create_users', as written in the file name. */
  name: string;
  /** The parts of the file that run on "up", with UTF-16 offsets into the file text; statements outside them (down sections) are not replayed. */
  up: Array<{ start: number; end: number }>;
  /** Does the tool run this file inside one transaction? (with the file's own opt-outs applied) */
  transactional: boolean;
}

export interface MigrationSections {
  up: Array<{ start: number; end: number }>;
  transactional: boolean;
}

export interface SectionOptions {
  /** Flyway: `executeInTransaction` from the migration's script config file (`<file>.sql.conf`), when it sets one. */
  executeInTransaction?: boolean;
}

/** The order in which tools are tried; the first whose conventional folder matches wins. */
export const DETECTION_ORDER: readonly MigrationTool[] = ['prisma', 'supabase', 'dbmate', 'goose', 'golang-migrate', 'flyway', 'sqitch', 'plain'];

/** Conventional folders of each tool, relative to a project directory ('' = the project directory itself). */
const CONVENTIONAL_FOLDERS: Record<MigrationTool, readonly string[]> = {
  prisma: ['prisma/migrations'],
  supabase: ['supabase/migrations'],
  dbmate: ['db/migrations'],
  goose: ['migrations', 'db/migrations'],
  'golang-migrate': ['migrations', 'db/migrations'],
  flyway: ['sql', 'src/main/resources/db/migration', 'db/migration', 'migrations'],
  sqitch: [''],
  plain: ['migrations', 'migration', 'db/migrations', 'sql/migrations', 'schema/migrations'],
};

/** Project directories are the root and directories up to this many levels below it. */
const PROJECT_DEPTH = 2;
/** Flyway scans its locations recursively; this bounds that scan. */
const FLYWAY_SCAN_DEPTH = 6;
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'target', 'vendor']);

interface LocatedFile {
  path: string;
  version: string;
  name: string;
  /** Flyway: the script config file next to the migration, if any. */
  scriptConfig?: string;
}

interface Located {
  tool: MigrationTool;
  directory: string;
  files: LocatedFile[];
}

/**
 * The migrations of the workspace at `root`, by convention. With `rootMayBeFolder` (`pglens check DIR`),
 * DIR itself counts as a plain folder of ordered `.sql` files when no convention matches.
 */
export function discoverMigrations(root: string, options: { rootMayBeFolder?: boolean } = {}): MigrationSet | undefined {
  let located = locate(root);
  if (!located && options.rootMayBeFolder) {
    const files = locatePlain(root);
    if (files.length > 0) located = { tool: 'plain', directory: root, files };
  }
  if (!located) return undefined;
  const files: MigrationFile[] = [];
  for (const file of located.files) {
    let text: string;
    try {
      text = decodeFile(fs.readFileSync(file.path)).text;
    } catch {
      continue; // vanished between listing and reading
    }
    const options: SectionOptions = {};
    if (file.scriptConfig !== undefined) {
      const executeInTransaction = readFlywayScriptConfig(file.scriptConfig);
      if (executeInTransaction !== undefined) options.executeInTransaction = executeInTransaction;
    }
    const sections = sectionsOf(located.tool, text, options);
    files.push({ path: file.path, version: file.version, name: file.name, up: sections.up, transactional: sections.transactional });
  }
  return { tool: located.tool, directory: located.directory, files };
}

export function migrationOf(set: MigrationSet, file: string): MigrationFile | undefined {
  const wanted = normalizePath(file);
  return set.files.find((candidate) => normalizePath(candidate.path) === wanted);
}

/** Is `file` one of the migrations the workspace at `root` replays? (`.down.sql`, undo and config files are not.) */
export function isMigrationFile(root: string, file: string): boolean {
  const located = locate(root);
  if (!located) return false;
  const wanted = normalizePath(file);
  return located.files.some((candidate) => normalizePath(candidate.path) === wanted);
}

/** The "up" parts of a migration's text and whether the tool wraps them in one transaction. */
export function sectionsOf(tool: MigrationTool, text: string, options: SectionOptions = {}): MigrationSections {
  switch (tool) {
    case 'dbmate':
      return dbmateSections(text);
    case 'goose':
      return gooseSections(text);
    case 'golang-migrate': {
      const up = [wholeText(text)];
      return { up, transactional: statementsIn(text, up).length > 1 };
    }
    case 'flyway': {
      const up = [wholeText(text)];
      const transactional = options.executeInTransaction ?? !statementsIn(text, up).some(isFlywayNonTransactional);
      return { up, transactional };
    }
    case 'supabase':
      return { up: [wholeText(text)], transactional: true };
    case 'prisma':
    case 'sqitch':
    case 'plain':
      return { up: [wholeText(text)], transactional: false };
  }
}

// ───────────────────────────── locating ─────────────────────────────

function locate(root: string): Located | undefined {
  const absoluteRoot = path.resolve(root);
  if (!isDirectory(absoluteRoot)) return undefined;
  const projects = projectDirectories(absoluteRoot);
  for (const tool of DETECTION_ORDER) {
    const seen = new Set<string>();
    for (const project of projects) {
      for (const relative of CONVENTIONAL_FOLDERS[tool]) {
        const directory = relative === '' ? project : path.join(project, ...relative.split('/'));
        if (seen.has(directory)) continue;
        seen.add(directory);
        if (!isDirectory(directory)) continue;
        const files = LOCATORS[tool](directory);
        if (files && files.length > 0) return { tool, directory, files };
      }
    }
  }
  return undefined;
}

/** The root, then the directories below it level by level (byte order within a level), down to PROJECT_DEPTH. */
function projectDirectories(root: string): string[] {
  const result = [root];
  let level = [root];
  for (let depth = 1; depth <= PROJECT_DEPTH; depth++) {
    const next: string[] = [];
    for (const directory of level) {
      for (const entry of listDirectory(directory)) {
        if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name)) next.push(path.join(directory, entry.name));
      }
    }
    result.push(...next);
    level = next;
  }
  return result;
}

type Locator = (directory: string) => LocatedFile[] | undefined;

const LOCATORS: Record<MigrationTool, Locator> = {
  prisma: locatePrisma,
  supabase: locateSupabase,
  dbmate: locateDbmate,
  goose: locateGoose,
  'golang-migrate': locateGolangMigrate,
  flyway: locateFlyway,
  sqitch: locateSqitch,
  plain: locatePlain,
};

function locatePrisma(directory: string): LocatedFile[] {
  const files: LocatedFile[] = [];
  for (const entry of listDirectory(directory)) {
    if (!entry.isDirectory()) continue;
    const file = path.join(directory, entry.name, 'migration.sql');
    if (!isFile(file)) continue;
    const match = /^(\d+)_(.+)$/.exec(entry.name);
    files.push({ path: file, version: match ? match[1] : entry.name, name: match ? match[2] : entry.name });
  }
  return files;
}

const SUPABASE_FILE = /^([0-9]+)_(.*)\.sql$/;
const SUPABASE_LEGACY_INIT = /([0-9]{14})_init\.sql/;

function locateSupabase(directory: string): LocatedFile[] {
  const files: LocatedFile[] = [];
  listDirectory(directory).forEach((entry, index) => {
    if (index === 0) {
      // The CLI skips a first `<timestamp>_init.sql` older than 2021-12-09 (pre-release projects).
      const legacy = SUPABASE_LEGACY_INIT.exec(entry.name);
      if (legacy && BigInt(legacy[1]) < 20211209000000n) return;
    }
    const match = SUPABASE_FILE.exec(entry.name);
    if (!match || !entry.isFile()) return;
    files.push({ path: path.join(directory, entry.name), version: match[1], name: match[2] });
  });
  return files;
}

const DBMATE_FILE = /^(\d+).*\.sql$/;

function locateDbmate(directory: string): LocatedFile[] | undefined {
  const files: LocatedFile[] = [];
  let marked = false;
  for (const entry of listDirectory(directory)) {
    const match = DBMATE_FILE.exec(entry.name);
    if (!match || !entry.isFile()) continue;
    const file = path.join(directory, entry.name);
    if (!marked && dbmateMarkers(readText(file)).some((marker) => marker.kind === 'up')) marked = true;
    const name = entry.name.slice(match[1].length, -'.sql'.length).replace(/^_/, '');
    files.push({ path: file, version: match[1], name });
  }
  return marked ? files : undefined;
}

const INT64_MAX = 9223372036854775807n;

function locateGoose(directory: string): LocatedFile[] | undefined {
  const files: Array<LocatedFile & { order: bigint }> = [];
  let annotated = false;
  for (const entry of listDirectory(directory)) {
    if (!entry.isFile() || !entry.name.endsWith('.sql')) continue;
    // goose's NumericComponent: the part before the first `_` is an int64 greater than zero.
    const separator = entry.name.indexOf('_');
    if (separator < 0) continue;
    const prefix = entry.name.slice(0, separator);
    if (!/^\d+$/.test(prefix)) continue;
    const order = BigInt(prefix);
    if (order <= 0n || order > INT64_MAX) continue;
    const file = path.join(directory, entry.name);
    if (!annotated && gooseAnnotations(readText(file)).some((annotation) => annotation.kind === 'up')) annotated = true;
    files.push({ path: file, version: order.toString(), name: entry.name.slice(separator + 1, -'.sql'.length), order });
  }
  if (!annotated) return undefined;
  return sortedBy(files, (a, b) => compareBigInt(a.order, b.order)).map(stripOrder);
}

const GOLANG_MIGRATE_FILE = /^([0-9]+)_(.*)\.(down|up)\.(.*)$/;
const UINT64_MAX = 18446744073709551615n;

function locateGolangMigrate(directory: string): LocatedFile[] {
  const files: Array<LocatedFile & { order: bigint }> = [];
  for (const entry of listDirectory(directory)) {
    const match = GOLANG_MIGRATE_FILE.exec(entry.name);
    if (!match || !entry.isFile() || match[3] !== 'up' || match[4] !== 'sql') continue;
    const order = BigInt(match[1]);
    if (order > UINT64_MAX) continue;
    files.push({ path: path.join(directory, entry.name), version: order.toString(), name: match[2], order });
  }
  return sortedBy(files, (a, b) => compareBigInt(a.order, b.order)).map(stripOrder);
}

const FLYWAY_VERSIONED = /^V(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const FLYWAY_REPEATABLE = /^R__(.+)\.sql$/;

function locateFlyway(directory: string): LocatedFile[] | undefined {
  const versioned: Array<LocatedFile & { parts: bigint[] }> = [];
  const repeatable: Array<LocatedFile & { description: string }> = [];
  const visit = (folder: string, depth: number): void => {
    for (const entry of listDirectory(folder)) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (depth < FLYWAY_SCAN_DEPTH && !entry.name.startsWith('.')) visit(full, depth + 1);
        continue;
      }
      if (!entry.isFile()) continue;
      const scriptConfig = isFile(`${full}.conf`) ? `${full}.conf` : undefined;
      const v = FLYWAY_VERSIONED.exec(entry.name);
      if (v) {
        const version = v[1].replace(/_/g, '.');
        versioned.push({ path: full, version, name: v[2], parts: version.split('.').map((part) => BigInt(part)), scriptConfig });
        continue;
      }
      const r = FLYWAY_REPEATABLE.exec(entry.name);
      if (r) repeatable.push({ path: full, version: '', name: r[1], description: r[1].replace(/_/g, ' '), scriptConfig });
    }
  };
  visit(directory, 0);
  if (versioned.length === 0) return undefined;
  const ordered = [
    ...sortedBy(versioned, (a, b) => compareVersionParts(a.parts, b.parts) || compareBytes(a.path, b.path)),
    ...sortedBy(repeatable, (a, b) => compareUtf16(a.description, b.description) || compareBytes(a.path, b.path)),
  ];
  return ordered.map(({ path: file, version, name, scriptConfig }) => (scriptConfig === undefined ? { path: file, version, name } : { path: file, version, name, scriptConfig }));
}

function locateSqitch(directory: string): LocatedFile[] | undefined {
  const planFile = path.join(directory, 'sqitch.plan');
  const deploy = path.join(directory, 'deploy');
  if (!isFile(planFile) || !isDirectory(deploy)) return undefined;
  const changes = parseSqitchPlan(readText(planFile));
  const files: LocatedFile[] = [];
  changes.forEach((change, index) => {
    const reworked = changes.slice(index + 1).some((later) => later.name === change.name);
    const script = reworked && change.nextTag !== undefined ? `${change.name}@${change.nextTag}.sql` : `${change.name}.sql`;
    const file = path.join(deploy, ...script.split('/'));
    if (isFile(file)) files.push({ path: file, version: String(index + 1), name: change.name });
  });
  return files;
}

interface SqitchChange {
  name: string;
  /** The first tag after this change in the plan: an earlier instance of a reworked change is deployed from `deploy/<name>@<tag>.sql`. */
  nextTag?: string;
}

function parseSqitchPlan(text: string): SqitchChange[] {
  const changes: SqitchChange[] = [];
  let untagged: SqitchChange[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('%')) continue;
    if (line.startsWith('@')) {
      const tag = /^@([^\s]+)/.exec(line)?.[1];
      if (tag !== undefined) for (const change of untagged) change.nextTag = tag;
      untagged = [];
      continue;
    }
    if (line.startsWith('-')) continue; // an old-style "revert" line
    const name = /^\+?([^\s[]+)/.exec(line)?.[1];
    if (name === undefined) continue;
    const change: SqitchChange = { name };
    changes.push(change);
    untagged.push(change);
  }
  return changes;
}

const PLAIN_FILE = /^(\d+(?:[-._]\d+)*)(?:[-_. ]+(.*?))?\.sql$/;

function locatePlain(directory: string): LocatedFile[] {
  const files: Array<LocatedFile & { fileName: string }> = [];
  for (const entry of listDirectory(directory)) {
    const match = PLAIN_FILE.exec(entry.name);
    if (!match || !entry.isFile()) continue;
    files.push({ path: path.join(directory, entry.name), version: match[1], name: match[2] ?? '', fileName: entry.name });
  }
  return sortedBy(files, (a, b) => compareNatural(a.fileName, b.fileName) || compareBytes(a.fileName, b.fileName)).map(({ path: file, version, name }) => ({ path: file, version, name }));
}

/** `executeInTransaction` from a Flyway script config file (Java properties: `key=value`, `#`/`!` comments). */
function readFlywayScriptConfig(file: string): boolean | undefined {
  let text: string;
  try {
    text = decodeFile(fs.readFileSync(file)).text;
  } catch {
    return undefined;
  }
  let value: boolean | undefined;
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (!match || match[1] !== 'executeInTransaction') continue;
    const setting = match[2].trim().toLowerCase();
    if (setting === 'true') value = true;
    else if (setting === 'false') value = false;
  }
  return value;
}

// ───────────────────────────── sections ─────────────────────────────

function wholeText(text: string): { start: number; end: number } {
  return { start: text.charCodeAt(0) === 0xfeff ? 1 : 0, end: text.length };
}

function statementsIn(text: string, ranges: Array<{ start: number; end: number }>): string[] {
  const statements: string[] = [];
  for (const range of ranges) {
    for (const segment of splitStatements(text.slice(range.start, range.end))) if (segment.kind === 'statement') statements.push(segment.sql);
  }
  return statements;
}

const FLYWAY_NON_TRANSACTIONAL = [
  /^(CREATE|DROP) (DATABASE|TABLESPACE|SUBSCRIPTION)\b/,
  /^ALTER SYSTEM\b/,
  /^(CREATE|DROP)( UNIQUE)? INDEX CONCURRENTLY\b/,
  /^REINDEX( VERBOSE)? (SCHEMA|DATABASE|SYSTEM)\b/,
  /^VACUUM\b/,
  /^DISCARD ALL\b/,
];

/** Flyway's PostgreSQL parser: statements that cannot run inside a transaction. */
function isFlywayNonTransactional(statement: string): boolean {
  const head = statement
    .slice(0, 400)
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();
  return FLYWAY_NON_TRANSACTIONAL.some((pattern) => pattern.test(head));
}

// dbmate's patterns (pkg/dbmate/migration.go), with Go's RE2 `\s` ([\t\n\f\r ]) and multi-line `^`/`$`
// (after/before "\n" only) spelled out: `(?m)^--\s*migrate:up(\s*$|\s+\S+)`.
const GO_SPACE = '[\\t\\n\\f\\r ]';
const GO_NON_SPACE = '[^\\t\\n\\f\\r ]';
const DBMATE_UP = new RegExp(`--${GO_SPACE}*migrate:up(?:${GO_SPACE}*(?=\\n|$)|${GO_SPACE}+${GO_NON_SPACE})`, 'y');
const DBMATE_DOWN = new RegExp(`--${GO_SPACE}*migrate:down(?:${GO_SPACE}*(?=\\n|$)|${GO_SPACE}+${GO_NON_SPACE})`, 'y');
const DBMATE_DIRECTIVE = new RegExp(`^--${GO_SPACE}*migrate:(up|down)`);

interface DbmateMarker {
  kind: 'up' | 'down';
  /** Offset of the marker's `--`, at a line start. */
  start: number;
}

function dbmateMarkers(text: string): DbmateMarker[] {
  const markers: DbmateMarker[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    if (text.startsWith('--', lineStart)) {
      DBMATE_UP.lastIndex = lineStart;
      DBMATE_DOWN.lastIndex = lineStart;
      if (DBMATE_UP.test(text)) markers.push({ kind: 'up', start: lineStart });
      else if (DBMATE_DOWN.test(text)) markers.push({ kind: 'down', start: lineStart });
    }
    const newline = text.indexOf('\n', lineStart);
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  return markers;
}

function dbmateSections(text: string): MigrationSections {
  const markers = dbmateMarkers(text);
  const ups = markers.filter((marker) => marker.kind === 'up');
  const up: Array<{ start: number; end: number }> = [];
  let transactional = true;
  ups.forEach((marker, index) => {
    // dbmate splits the file at each `migrate:up`; a section's up part ends at its `migrate:down`.
    const sectionEnd = index + 1 < ups.length ? ups[index + 1].start : text.length;
    const down = markers.find((candidate) => candidate.kind === 'down' && candidate.start > marker.start && candidate.start < sectionEnd);
    const firstLineEnd = lineEndOf(text, marker.start);
    up.push({ start: Math.min(firstLineEnd + 1, text.length), end: down ? down.start : sectionEnd });
    if (dbmateOptions(text.slice(marker.start, firstLineEnd)).transaction === 'false') transactional = false;
  });
  return { up, transactional };
}

/** dbmate's parseMigrationOptions: `key:value` pairs after the directive on its first line. */
function dbmateOptions(firstLine: string): Record<string, string> {
  const options: Record<string, string> = {};
  const rest = firstLine.replace(DBMATE_DIRECTIVE, '').trim();
  if (rest === '') return options;
  for (const pair of rest.split(/[\t\n\v\f\r ]+/)) {
    const parts = pair.split(':');
    if (parts.length === 2) options[parts[0]] = parts[1];
  }
  return options;
}

type GooseAnnotation = 'up' | 'down' | 'statementbegin' | 'statementend' | 'no transaction' | 'envsub on' | 'envsub off';
const GOOSE_ANNOTATIONS: readonly GooseAnnotation[] = ['up', 'down', 'statementbegin', 'statementend', 'no transaction', 'envsub on', 'envsub off'];

interface GooseAnnotationLine {
  kind: GooseAnnotation;
  /** Offset of the annotation line's first character. */
  start: number;
  /** Offset just past the line's "\n" (or the end of the text). */
  next: number;
}

/** goose's annotation lines (internal/sqlparser/parser.go): `-- +goose <annotation>`, case-insensitive, no leading whitespace. */
function gooseAnnotations(text: string): GooseAnnotationLine[] {
  const annotations: GooseAnnotationLine[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    const lineEnd = lineEndOf(text, lineStart);
    const line = text.slice(lineStart, lineEnd);
    const next = Math.min(lineEnd + 1, text.length);
    if (line.trim().startsWith('--') && line.includes('+goose') && !/^[ \t]/.test(line)) {
      const command = line.replaceAll('--', '').replace('+goose', '');
      if (!command.includes('+goose')) {
        const kind = GOOSE_ANNOTATIONS.find((annotation) => annotation === command.trim().toLowerCase());
        if (kind) annotations.push({ kind, start: lineStart, next });
      }
    }
    if (lineEnd >= text.length) break;
    lineStart = lineEnd + 1;
  }
  return annotations;
}

function gooseSections(text: string): MigrationSections {
  const annotations = gooseAnnotations(text);
  const transactional = !annotations.some((annotation) => annotation.kind === 'no transaction');
  const upIndex = annotations.findIndex((annotation) => annotation.kind === 'up');
  if (upIndex < 0) return { up: [], transactional };
  const upLine = annotations[upIndex];
  const down = annotations.slice(upIndex + 1).find((annotation) => annotation.kind === 'down');
  return { up: [{ start: upLine.next, end: down ? down.start : text.length }], transactional };
}

// ───────────────────────────── helpers ─────────────────────────────

function lineEndOf(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline < 0 ? text.length : newline;
}

function listDirectory(directory: string): fs.Dirent[] {
  try {
    return fs.readdirSync(directory, { withFileTypes: true }).sort((a, b) => compareBytes(a.name, b.name));
  } catch {
    return [];
  }
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function readText(file: string): string {
  try {
    return decodeFile(fs.readFileSync(file)).text;
  } catch {
    return '';
  }
}

function normalizePath(file: string): string {
  const resolved = path.resolve(file);
  return process.platform === 'win32' || process.platform === 'darwin' ? resolved.toLowerCase() : resolved;
}

function sortedBy<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  return [...items].sort(compare);
}

function stripOrder<T extends LocatedFile>({ path: file, version, name }: T): LocatedFile {
  return { path: file, version, name };
}

/** Byte order of the UTF-8 encodings: how Go and Rust sort file names. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** UTF-16 code unit order: Java's String.compareTo. */
function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders `2_x.sql` before `10_x.sql`. */
function compareNatural(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Flyway's MigrationVersion.compareTo: part by part, missing parts count as 0 (so 1 = 1.0). */
function compareVersionParts(a: bigint[], b: bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = compareBigInt(a[i] ?? 0n, b[i] ?? 0n);
    if (difference !== 0) return difference;
  }
  return 0;
}
