/**
 * Each tool's view of one folder: which files it applies, in its order, and which it knowingly leaves
 * out. Where each rule comes from (tool sources as of 2025–2026) is told in `discover.ts`.
 */
import * as path from 'node:path';
import { compareBigInt, compareBytes, compareNatural, isFile, listDirectory, readText, sortedBy } from './files';
import { dbmateMarkers, gooseAnnotations } from './sections';
import type { LocatedFile, LocatedFolder, SkippedPath } from './types';

export function locatePrisma(directory: string): LocatedFolder | undefined {
  const files: LocatedFile[] = [];
  for (const entry of listDirectory(directory)) {
    if (!entry.isDirectory) continue;
    const file = path.join(directory, entry.name, 'migration.sql');
    if (!isFile(file)) continue;
    const match = /^(\d+)_(.+)$/.exec(entry.name);
    files.push({ path: file, version: match ? match[1] : entry.name, name: match ? match[2] : entry.name });
  }
  return files.length > 0 ? { files } : undefined;
}

/** `provider = "mysql"` in Prisma's `migration_lock.toml`: the folder is another database's. */
export function prismaProvider(directory: string): string | undefined {
  const lock = path.join(directory, 'migration_lock.toml');
  if (!isFile(lock)) return undefined;
  return /^\s*provider\s*=\s*"([^"]+)"/m.exec(readText(lock))?.[1];
}

const SUPABASE_FILE = /^([0-9]+)_(.*)\.sql$/;
const SUPABASE_LEGACY_INIT = /([0-9]{14})_init\.sql/;

export function locateSupabase(directory: string): LocatedFolder | undefined {
  const files: LocatedFile[] = [];
  listDirectory(directory).forEach((entry, index) => {
    if (index === 0) {
      // The CLI skips a first `<timestamp>_init.sql` older than 2021-12-09 (pre-release projects).
      const legacy = SUPABASE_LEGACY_INIT.exec(entry.name);
      if (legacy && BigInt(legacy[1]) < 20211209000000n) return;
    }
    const match = SUPABASE_FILE.exec(entry.name);
    if (!match || !entry.isFile) return;
    files.push({ path: path.join(directory, entry.name), version: match[1], name: match[2] });
  });
  return files.length > 0 ? { files } : undefined;
}

const DBMATE_FILE = /^(\d+).*\.sql$/;

export function locateDbmate(directory: string): LocatedFolder | undefined {
  const files: LocatedFile[] = [];
  let marked = false;
  for (const entry of listDirectory(directory)) {
    const match = DBMATE_FILE.exec(entry.name);
    if (!match || !entry.isFile) continue;
    const file = path.join(directory, entry.name);
    if (!marked && dbmateMarkers(readText(file)).some((marker) => marker.kind === 'up')) marked = true;
    const name = entry.name.slice(match[1].length, -'.sql'.length).replace(/^_/, '');
    files.push({ path: file, version: match[1], name });
  }
  return marked ? { files } : undefined;
}

const INT64_MAX = 9223372036854775807n;

export function locateGoose(directory: string): LocatedFolder | undefined {
  const files: Array<LocatedFile & { order: bigint }> = [];
  const skipped: SkippedPath[] = [];
  let annotated = false;
  for (const entry of listDirectory(directory)) {
    if (!entry.isFile) continue;
    const sql = entry.name.endsWith('.sql');
    if (!sql && !entry.name.endsWith('.go')) continue;
    // goose's NumericComponent: the part before the first `_` is an int64 greater than zero.
    const separator = entry.name.indexOf('_');
    if (separator < 0) continue;
    const prefix = entry.name.slice(0, separator);
    if (!/^\d+$/.test(prefix)) continue;
    const order = BigInt(prefix);
    if (order <= 0n || order > INT64_MAX) continue;
    const file = path.join(directory, entry.name);
    if (!sql) {
      if (!entry.name.endsWith('_test.go')) skipped.push({ path: file, reason: 'goose Go migration: pglens reads SQL only (its place in the order is kept, its schema changes are not known)' });
      continue;
    }
    if (!annotated && gooseAnnotations(readText(file)).some((annotation) => annotation.kind === 'up')) annotated = true;
    files.push({ path: file, version: order.toString(), name: entry.name.slice(separator + 1, -'.sql'.length), order });
  }
  if (!annotated) return undefined;
  return { files: sortedBy(files, (a, b) => compareBigInt(a.order, b.order)).map(stripOrder), skipped };
}

const GOLANG_MIGRATE_FILE = /^([0-9]+)_(.*)\.(down|up)\.(.*)$/;
const UINT64_MAX = 18446744073709551615n;

export function locateGolangMigrate(directory: string): LocatedFolder | undefined {
  const files: Array<LocatedFile & { order: bigint }> = [];
  const skipped: SkippedPath[] = [];
  for (const entry of listDirectory(directory)) {
    const match = GOLANG_MIGRATE_FILE.exec(entry.name);
    if (!match || !entry.isFile || match[4] !== 'sql') continue;
    const file = path.join(directory, entry.name);
    if (match[3] === 'down') {
      skipped.push({ path: file, reason: 'down migration (runs only on rollback)' });
      continue;
    }
    const order = BigInt(match[1]);
    if (order > UINT64_MAX) continue;
    files.push({ path: file, version: order.toString(), name: match[2], order });
  }
  if (files.length === 0) return undefined;
  return { files: sortedBy(files, (a, b) => compareBigInt(a.order, b.order)).map(stripOrder), skipped };
}

const PLAIN_FILE = /^(\d+(?:[-._]\d+)*)(?:[-_. ]+(.*?))?\.sql$/;
const DOWN_FILE = /[._-]down\.sql$/i;

export function locatePlain(directory: string): LocatedFolder | undefined {
  const files: Array<LocatedFile & { fileName: string }> = [];
  const skipped: SkippedPath[] = [];
  for (const entry of listDirectory(directory)) {
    const match = PLAIN_FILE.exec(entry.name);
    if (!match || !entry.isFile) continue;
    const file = path.join(directory, entry.name);
    if (DOWN_FILE.test(entry.name)) {
      skipped.push({ path: file, reason: 'down migration (runs only on rollback)' });
      continue;
    }
    files.push({ path: file, version: match[1], name: match[2] ?? '', fileName: entry.name });
  }
  if (files.length === 0) return undefined;
  const ordered = sortedBy(files, (a, b) => compareNatural(a.fileName, b.fileName) || compareBytes(a.fileName, b.fileName));
  return { files: ordered.map(({ path: file, version, name }) => ({ path: file, version, name })), skipped };
}

function stripOrder<T extends LocatedFile>({ path: file, version, name }: T): LocatedFile {
  return { path: file, version, name };
}
