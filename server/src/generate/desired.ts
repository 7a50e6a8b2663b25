/**
 * Where a schema comes from, for either side of a diff: a live database (read-only), declarative SQL
 * (`schema.sql`, `supabase/schemas/*.sql`) built in a fresh shadow, or the end state of a folder's
 * migrations replayed in the shadow. A mistake in the SQL becomes a SourceError naming file and
 * line; nothing here throws a driver error at the caller unexplained.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClientConfig } from 'pg';
import type { SchemaSnapshot } from '../../../protocol/schema';
import { openDatabase } from '../connection/open';
import type { DatabaseTarget } from '../connection/open';
import { redactSecrets } from '../connection/redact';
import { describeTarget, isConnectionString, resolveInput } from '../connection/resolve';
import type { PgDatabase } from '../db/pg';
import { loadCatalogFacts } from '../catalog-facts';
import { quoteIdent } from '../sql/quote';
import type { CatalogFact } from '../catalog-facts';
import type { Database } from '../db/port';
import { analyzeDocument } from '../document/analyze';
import type { AnalyzedStatement, DocumentAnalysis } from '../document/analyze';
import { syntaxFindings } from '../features/syntax';
import { DETECTION_ORDER, discoverMigrations } from '../migrations/discover';
import type { MigrationSet } from '../migrations/discover';
import { runStatements, toFinding } from '../schema-check/execute';
import { loadSnapshot } from '../schema/snapshot';
import { unwrap } from '../sql/ast';
import { openEmbedded } from '../shadow/embedded';
import { ServerBackend } from '../shadow/server-backend';
import { ShadowSession } from '../shadow/session';
import { decodeFile } from '../text/decode';
import { InputError } from '../workspace/errors';
import type { SchemaSource } from './types';

/** The source SQL is wrong (or a database cannot be read): the message names file, line and column. */
export class SourceError extends InputError {}

export interface SourceOptions {
  cacheDir?: string;
  /** Build SQL sources in a scratch database on this server instead of PGlite. */
  /** The server for scratch databases, with the config to retry without SSL (sslmode prefer/allow). */
  shadowServer?: { config: ClientConfig; fallback?: ClientConfig };
}

/** A file of SQL to run, restricted to the statements its tool runs on "up". */
export interface SqlScript {
  file: string;
  /** The file's analysis with only the statements that run. */
  analysis: DocumentAnalysis;
  transactional: boolean;
}

/**
 * What `spec` names: a connection string (`postgres://` URL or keyword DSN) is a database; a `.sql` file is declarative SQL; a folder
 * is a migrations folder when a tool's convention matches it (the folder itself, e.g. `db/migrations`,
 * or a workspace holding one), else declarative SQL: `supabase/schemas/` inside it, else its
 * `schema.sql`, else every `.sql` file below it in path order.
 */
export function resolveSource(spec: string | SchemaSource, base: string): SchemaSource {
  if (typeof spec !== 'string') return spec;
  if (isConnectionString(spec)) {
    try {
      return { kind: 'database', database: resolveInput(spec) };
    } catch (error) {
      throw new SourceError(`cannot use the database ${redactSecrets(spec)}: ${(error as Error).message}`);
    }
  }
  const target = path.resolve(base, spec);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new InputError(`${spec}: no such file or folder (expected a postgres:// URL or key=value connection string, a .sql file or a folder)`);
  }
  if (stat.isFile()) return { kind: 'sql', files: [target] };
  if (!stat.isDirectory()) throw new InputError(`${spec}: not a file or folder`);

  const migrationsRoot = migrationsRootOf(target);
  if (migrationsRoot !== undefined) return { kind: 'migrations', root: migrationsRoot };
  const supabaseSchemas = path.join(target, 'supabase', 'schemas');
  const files = isDirectory(supabaseSchemas)
    ? sqlFilesBelow(supabaseSchemas)
    : fs.existsSync(path.join(target, 'schema.sql'))
      ? [path.join(target, 'schema.sql')]
      : sqlFilesBelow(target);
  if (files.length === 0) throw new InputError(`${spec}: no migrations and no .sql files found in this folder`);
  return { kind: 'sql', files };
}

/** The folder to discover migrations from, when `folder` is a workspace with migrations or is itself a tool's migrations folder. */
function migrationsRootOf(folder: string): string | undefined {
  if (discoverMigrations(folder)) return folder;
  // `db/migrations` given directly: its convention is seen from the folders above it. Several may
  // claim it (from `db/`, `migrations` is a plain folder; from the project, `db/migrations` is dbmate's):
  // the tool that discovery ranks first wins, as it would from the project root.
  let best: { root: string; rank: number } | undefined;
  for (let up = path.dirname(folder), depth = 0; depth < 3 && up !== path.dirname(up); up = path.dirname(up), depth++) {
    const set = discoverMigrations(up);
    if (set?.directory !== folder) continue;
    const rank = DETECTION_ORDER.indexOf(set.tool);
    if (!best || rank < best.rank) best = { root: up, rank };
  }
  if (best) return best.root;
  // A folder of numbered .sql files (`1_init.sql`, `2_users.sql`) is plain migrations, replayed in natural order.
  return discoverMigrations(folder, { rootMayBeFolder: true }) ? folder : undefined;
}

/** A folder given as a source: its migration set (or the plain folder itself). */
export function migrationSetOf(root: string): MigrationSet {
  const set = discoverMigrations(root) ?? discoverMigrations(root, { rootMayBeFolder: true });
  if (!set) throw new InputError(`${root}: no migrations found`);
  return set;
}

/** How the source is named in headers and messages (a URL without its password). */
export function describeSource(source: SchemaSource, base: string): string {
  switch (source.kind) {
    case 'database':
      return source.database.target;
    case 'sql':
      return source.files.length === 1 ? relative(base, source.files[0]) : `${relative(base, path.dirname(source.files[0]))} (${source.files.length} files)`;
    case 'migrations':
      return `${relative(base, migrationSetOf(source.root).directory)} (migrations)`;
  }
}

/** A schema twice: the snapshot the diff works from, and the catalog facts that check it independently. */
export interface LoadedSchema {
  snapshot: SchemaSnapshot;
  facts: CatalogFact[];
}

/** The schema `source` describes. */
export async function loadSource(source: SchemaSource, options: SourceOptions = {}): Promise<LoadedSchema> {
  switch (source.kind) {
    case 'database':
      return withLiveDatabase(source.database, (db) => schemaOf(db));
    case 'migrations':
      return loadMigrations(source.root, options);
    case 'sql': {
      const scripts = scriptsOf(source);
      const shadow = await openShadow(options, extensionsOf(scripts));
      try {
        // Roles are cluster-wide: a declarative schema grants to roles it does not create.
        if (shadow.kind === 'embedded') await createRoles(shadow.db, rolesNamedIn(scripts));
        await applyScripts(shadow.db, scripts);
        return await schemaOf(shadow.db);
      } finally {
        await shadow.discard();
      }
    }
  }
}

/** Snapshot and catalog facts of `db`, each read in a read-only transaction. */
export async function schemaOf(db: Database): Promise<LoadedSchema> {
  return { snapshot: await snapshotOf(db), facts: await factsOf(db) };
}

export function factsOf(db: Database): Promise<CatalogFact[]> {
  return db.readOnly((tx) => loadCatalogFacts(tx));
}

/** A snapshot with what only the generator needs (function definitions, sequence options, privileges…). */
export function snapshotOf(db: Database): Promise<SchemaSnapshot> {
  return loadSnapshot(db, { details: true });
}

/** Connects to a live database with generous timeouts; only ever reads from it. */
export async function withLiveDatabase<T>(database: DatabaseTarget, work: (db: Database) => Promise<T>): Promise<T> {
  let db: PgDatabase;
  try {
    db = await openDatabase(database, { statementTimeoutMs: 60_000, userDatabase: true });
  } catch (error) {
    throw new SourceError((error as Error).message);
  }
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** The end state of a folder's migrations, through the shared shadow session (and its replay cache). */
async function loadMigrations(root: string, options: SourceOptions): Promise<LoadedSchema> {
  const set = migrationSetOf(root);
  const scripts = scriptsOf({ kind: 'migrations', root });
  const syntax = scripts.flatMap((script) => syntaxProblems(script));
  if (syntax.length > 0) throw new SourceError(problemMessage(syntax));
  const backend = options.shadowServer ? new ServerBackend(options.shadowServer.config, options.shadowServer.fallback) : undefined;
  const session = new ShadowSession(set, undefined, { cacheDir: options.cacheDir, backend });
  try {
    const findings = await session.replayAll();
    const errors: string[] = [];
    for (const script of scripts) {
      for (const finding of findings.get(script.file) ?? []) {
        if (finding.severity === 'error') errors.push(`${script.file}:${finding.range.start.line + 1}:${finding.range.start.character + 1}: ${finding.code} ${finding.message}`);
      }
    }
    if (errors.length > 0) throw new SourceError(problemMessage(errors));
    return await session.withFinalState((db) => schemaOf(db));
  } finally {
    await session.close();
  }
}

/** The SQL a `sql` or `migrations` source runs, in order. */
export function scriptsOf(source: Extract<SchemaSource, { kind: 'sql' | 'migrations' }>): SqlScript[] {
  if (source.kind === 'sql') {
    return source.files.map((file) => {
      const analysis = analyzeDocument(readText(file));
      return { file, analysis, transactional: false };
    });
  }
  return migrationSetOf(source.root).files.map((migration) => {
    const analysis = analyzeDocument(readText(migration.path));
    const inUp = (statement: AnalyzedStatement): boolean => migration.up.some((range) => statement.segment.start >= range.start && statement.segment.start < range.end);
    return { file: migration.path, analysis: { ...analysis, statements: analysis.statements.filter(inUp) }, transactional: migration.transactional };
  });
}

/** Runs the scripts in order, each as its tool would (one transaction, or statement by statement). Throws a SourceError listing what PostgreSQL rejected. */
export async function applyScripts(db: Database, scripts: readonly SqlScript[]): Promise<void> {
  const syntax = scripts.flatMap((script) => syntaxProblems(script));
  if (syntax.length > 0) throw new SourceError(problemMessage(syntax));
  for (const script of scripts) {
    const problems = await runStatements(db, script.analysis.statements, script.transactional ? 'apply-transaction' : 'apply-autocommit');
    if (problems.length > 0) {
      throw new SourceError(
        problemMessage(
          problems.map((problem) => {
            const finding = toFinding(problem, script.analysis.lineIndex);
            return `${script.file}:${finding.range.start.line + 1}:${finding.range.start.character + 1}: ${finding.code} ${finding.message}`;
          }),
        ),
      );
    }
  }
}

function syntaxProblems(script: SqlScript): string[] {
  return syntaxFindings(script.analysis)
    .filter((finding) => finding.severity === 'error')
    .map((finding) => `${script.file}:${finding.range.start.line + 1}:${finding.range.start.character + 1}: syntax error: ${finding.message}`);
}

function problemMessage(problems: readonly string[]): string {
  const shown = problems.slice(0, 5);
  const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
  return `the schema SQL does not apply:\n  ${shown.join('\n  ')}${more}`;
}

export interface Shadow {
  db: Database;
  kind: 'embedded' | 'server';
  discard(): Promise<void>;
}

/** A fresh, empty database of pglens's own: PGlite, or a scratch database on `shadowUrl`'s server. */
export async function openShadow(options: SourceOptions, extensions: Iterable<string> = []): Promise<Shadow> {
  if (options.shadowServer) {
    const backend = new ServerBackend(options.shadowServer.config, options.shadowServer.fallback);
    let opened;
    try {
      opened = await backend.open();
    } catch (error) {
      throw new SourceError(`cannot create a scratch database on ${describeTarget(options.shadowServer.config)}: ${redactSecrets((error as Error).message)}`);
    }
    return { db: opened.db, kind: 'server', discard: () => backend.discard(opened.db) };
  }
  const db = await openEmbedded({ cacheDir: options.cacheDir, extensions });
  return { db, kind: 'embedded', discard: () => db.close() };
}

/** Extensions the scripts create: PGlite loads a contrib module only when asked to. */
export function extensionsOf(scripts: readonly SqlScript[]): string[] {
  const names = new Set<string>();
  for (const script of scripts) {
    for (const statement of script.analysis.statements) {
      if (!statement.outcome.ok) continue;
      const unwrapped = unwrap(statement.outcome.stmt);
      if (unwrapped?.[0] === 'CreateExtensionStmt' && typeof unwrapped[1].extname === 'string') names.add(unwrapped[1].extname);
    }
  }
  return [...names];
}

function readText(file: string): string {
  try {
    return decodeFile(fs.readFileSync(file)).text;
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function sqlFilesBelow(folder: string): string[] {
  const files: string[] = [];
  const visit = (directory: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile() && entry.name.endsWith('.sql')) files.push(full);
    }
  };
  visit(folder);
  // Byte order of the relative paths: how `supabase db diff` orders schema files.
  return files.sort((a, b) => Buffer.compare(Buffer.from(path.relative(folder, a)), Buffer.from(path.relative(folder, b))));
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function relative(base: string, file: string): string {
  const rel = path.relative(base, file);
  return rel === '' ? '.' : rel.startsWith('..') ? file : rel;
}

/** Roles the scripts grant to or write policies for, less those they create themselves. */
export function rolesNamedIn(scripts: readonly SqlScript[]): string[] {
  const named = new Set<string>();
  const created = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) visit(item);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        const fields = value as Record<string, unknown>;
        if (key === 'RoleSpec' && fields.roletype === 'ROLESPEC_CSTRING' && typeof fields.rolename === 'string') named.add(fields.rolename);
        if (key === 'CreateRoleStmt' && typeof fields.role === 'string') created.add(fields.role);
        visit(value);
      }
    }
  };
  for (const script of scripts) for (const statement of script.analysis.statements) if (statement.outcome.ok) visit(statement.outcome.stmt);
  return [...named].filter((name) => !created.has(name));
}

/** Creates each role (NOLOGIN) the database lacks. */
async function createRoles(db: Database, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const { rows } = await db.query<{ name: string }>('SELECT rolname AS name FROM pg_catalog.pg_roles WHERE rolname = ANY($1::text[])', [names]);
  const existing = new Set(rows.map((row) => row.name));
  for (const name of names) if (!existing.has(name)) await db.exec(`CREATE ROLE ${quoteIdent(name)} NOLOGIN`);
}
