import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileFinding, Finding } from '../../../protocol/findings';
import { collectSqlFiles } from './files';
import type { ResolvedConnection } from '../connection/resolve';
import type { AnalyzeOptions } from '../document/analyze';
import { analyzeDocument } from '../document/analyze';
import { readProjectConfig } from '../rules/config';
import { tableKey, tablesCreatedBy } from '../rules/lint';
import type { MigrationSet } from '../migrations/discover';
import { decodeFile } from '../text/decode';
import { InputError } from './errors';
import { discoverForInputs, isWithin, primarySet } from './discover-inputs';
import { summarizeDiscovery } from './discovery-report';
import type { DiscoverySummary } from './discovery-report';
import { checkOneFile } from './file-job';
import { MigrationHistory } from './history';
import type { FileJob } from './file-job';

export interface WorkspaceCheckOptions {
  analyze: AnalyzeOptions;
  /** `none`: syntax only, no database at all. */
  schema: 'shadow' | 'none';
  /** A live database: files that are not migrations are checked against it (read-only, nothing runs). */
  database?: ResolvedConnection;
  /** `server`: replay migrations into a scratch database on the --db server instead of PGlite. */
  shadow?: 'embedded' | 'server';
  cacheDir?: string;
  /** Where migrations are looked for; default: the one folder given, else the current folder. */
  root?: string;
  /** A git ref: tables created by migrations added since it are new in this deploy (locking them is harmless). */
  since?: string;
}

export interface WorkspaceCheckResult {
  findings: FileFinding[];
  files: string[];
  migrations?: MigrationSet;
  /** Every migration folder found, and what was skipped and why. */
  discovery: DiscoverySummary;
}

/**
 * `pglens check`: syntax of every file, then schema. Migrations are replayed in order into the
 * shadow (each checked against the state the ones before it produce); other files are checked
 * against the live database when one is given, else against the shadow after all migrations.
 */
export async function checkWorkspace(inputs: string[], options: WorkspaceCheckOptions): Promise<WorkspaceCheckResult> {
  const collected = collectSqlFiles(inputs);
  if (collected.missing.length > 0) throw new InputError(collected.missing.map((file) => `no such file or folder: ${file}`).join('\n'));
  if (options.shadow === 'server' && !options.database) throw new InputError('--shadow server needs --db: the scratch database is created on that server');
  const root = path.resolve(options.root ?? (inputs.length === 1 && isDirectory(inputs[0]) ? inputs[0] : '.'));
  const onlyFiles = inputs.every((input) => !isDirectory(input));
  // Files given alone with --no-schema need only their own folders' conventions, not the whole workspace's.
  const discovery = discoverForInputs(inputs, onlyFiles && options.schema === 'none' ? undefined : root);
  const given = new Set(inputs.map((input) => path.resolve(input)));
  // Down files, other databases' folders: told in the header, not checked (unless named on the command line).
  const files = collected.files.filter((file) => given.has(path.resolve(file)) || !discovery.skipped.some((skip) => isWithin(path.resolve(file), skip.path)));
  if (files.length === 0) throw new InputError(`no SQL files found in ${inputs.join(', ')} (looked for *.sql, *.pgsql, *.psql and migration folders of Supabase, dbmate, golang-migrate, Flyway, goose, Prisma, Sqitch)`);
  const migrations = primarySet(discovery.sets);
  const findings = new Map<string, FileFinding[]>();
  const readable = (file: string): string | undefined => {
    const decoded = decodeFile(fs.readFileSync(file));
    return decoded.nulAt === undefined ? decoded.text : undefined;
  };
  const add = (file: string, extra: Finding[]): void => {
    findings.get(file)?.push(...extra.map((finding) => ({ file, ...finding })));
  };
  const live = options.database ? await (await import('../connection/open.js')).openDatabase(options.database, { userDatabase: true }) : undefined;
  try {
    const { config, problems } = readProjectConfig(root);
    if (problems.length > 0) throw new InputError(problems.join('\n'));
    const job: FileJob = {
      analyze: options.analyze,
      config,
      migrations: discovery.sets,
      // Found by walking a folder that has migrations: other SQL files (seeds, tests) are not migrations.
      othersAreMigrations: onlyFiles || discovery.sets.length === 0,
      snapshot: live ? await (await import('../schema/snapshot.js')).loadSnapshot(live) : undefined,
      history: new MigrationHistory(readable),
      newTables: options.since ? [...tablesAddedSince(root, options.since, discovery.sets, readable)] : undefined,
    };
    const newTables = job.newTables && new Set(job.newTables);
    for (const file of files) findings.set(file, checkOneFile(file, job, newTables).findings);
    if (options.schema !== 'none') {
      // Loaded only when a database is used: `--no-schema` starts without PGlite and the shadow code.
      const { addSchemaFindings } = await import('./schema-findings.js');
      await addSchemaFindings(files, { sets: discovery.sets, live, options, readable, add });
    }
  } finally {
    await live?.close();
  }
  for (const list of findings.values()) list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { findings: [...findings.values()].flat(), files, migrations, discovery: summarizeDiscovery(discovery) };
}


/** Tables created by the migrations that git says were added since `ref` (committed since, or not committed yet). */
function tablesAddedSince(root: string, ref: string, sets: readonly MigrationSet[], readable: (file: string) => string | undefined): Set<string> {
  const git = (args: string[]): string[] => {
    try {
      return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n').filter(Boolean);
    } catch (error) {
      throw new InputError(`--since ${ref}: git failed in ${root}: ${((error as { stderr?: string }).stderr ?? (error as Error).message).trim()}`);
    }
  };
  const top = git(['rev-parse', '--show-toplevel'])[0];
  // Real paths on both sides: git names files below its top folder, discovery may have come through a symlink.
  const real = (file: string): string => {
    try {
      return fs.realpathSync(file);
    } catch {
      return path.resolve(file);
    }
  };
  const added = new Set([...git(['diff', '--name-only', '--diff-filter=A', ref, '--', '.']), ...git(['ls-files', '--others', '--exclude-standard', '--', '.'])].map((file) => real(path.resolve(top, file))));
  const tables = new Set<string>();
  for (const migration of sets.flatMap((set) => set.files)) {
    if (!added.has(real(migration.path))) continue;
    const text = readable(migration.path);
    if (text === undefined) continue;
    for (const statement of analyzeDocument(text).statements) for (const table of tablesCreatedBy(statement)) tables.add(tableKey(table));
  }
  return tables;
}


function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
