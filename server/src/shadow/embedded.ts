import { PGlite } from '@electric-sql/pglite';
import type { Extensions } from '@electric-sql/pglite';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Finding } from '../../../protocol/findings';
import { PgliteDatabase } from '../db/pglite';
import type { Database } from '../db/port';
import type { OpenedShadow, ShadowBackend } from './backend';

/**
 * The embedded shadow database: PGlite (PostgreSQL 18 in WASM). A fresh PGlite runs initdb, which
 * costs seconds and hundreds of MB; so the initialised data directory is dumped once into the cache
 * folder and every later shadow starts from that dump (about half a second).
 */

/** PGlite's contrib modules, by extension name. Loaded only when a migration creates them. */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading is the point here */
const CONTRIB: Record<string, () => Extensions> = {
  amcheck: () => require('@electric-sql/pglite/contrib/amcheck'),
  bloom: () => require('@electric-sql/pglite/contrib/bloom'),
  btree_gin: () => require('@electric-sql/pglite/contrib/btree_gin'),
  btree_gist: () => require('@electric-sql/pglite/contrib/btree_gist'),
  citext: () => require('@electric-sql/pglite/contrib/citext'),
  cube: () => require('@electric-sql/pglite/contrib/cube'),
  dict_int: () => require('@electric-sql/pglite/contrib/dict_int'),
  dict_xsyn: () => require('@electric-sql/pglite/contrib/dict_xsyn'),
  earthdistance: () => require('@electric-sql/pglite/contrib/earthdistance'),
  file_fdw: () => require('@electric-sql/pglite/contrib/file_fdw'),
  fuzzystrmatch: () => require('@electric-sql/pglite/contrib/fuzzystrmatch'),
  hstore: () => require('@electric-sql/pglite/contrib/hstore'),
  intarray: () => require('@electric-sql/pglite/contrib/intarray'),
  isn: () => require('@electric-sql/pglite/contrib/isn'),
  lo: () => require('@electric-sql/pglite/contrib/lo'),
  ltree: () => require('@electric-sql/pglite/contrib/ltree'),
  pg_trgm: () => require('@electric-sql/pglite/contrib/pg_trgm'),
  pgcrypto: () => require('@electric-sql/pglite/contrib/pgcrypto'),
  seg: () => require('@electric-sql/pglite/contrib/seg'),
  tablefunc: () => require('@electric-sql/pglite/contrib/tablefunc'),
  tcn: () => require('@electric-sql/pglite/contrib/tcn'),
  tsm_system_rows: () => require('@electric-sql/pglite/contrib/tsm_system_rows'),
  tsm_system_time: () => require('@electric-sql/pglite/contrib/tsm_system_time'),
  unaccent: () => require('@electric-sql/pglite/contrib/unaccent'),
  'uuid-ossp': () => require('@electric-sql/pglite/contrib/uuid_ossp'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export function isEmbeddedExtension(name: string): boolean {
  return name in CONTRIB || name === 'plpgsql';
}

export function embeddedExtensionNames(): string[] {
  return Object.keys(CONTRIB).sort();
}

/** Where pglens keeps its caches: `$PGLENS_CACHE_DIR`, else `$XDG_CACHE_HOME/pglens`, else `~/.cache/pglens`. */
export function defaultCacheDir(): string {
  if (process.env.PGLENS_CACHE_DIR) return process.env.PGLENS_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'pglens');
}

function pgliteVersion(): string {
  try {
    // The package's exports hide package.json; find it next to the resolved entry point.
    const entry = require.resolve('@electric-sql/pglite');
    const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version?: string };
    return manifest.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export interface EmbeddedOptions {
  cacheDir?: string;
  /** Extension names (as in CREATE EXTENSION) to make loadable. Unknown names are ignored here. */
  extensions?: Iterable<string>;
  /** A data-directory dump to start from instead of the initialised base. */
  dump?: Blob;
}

/** Opens a fresh embedded database, from the cached initialised data directory when there is one. */
export async function openEmbedded(options: EmbeddedOptions = {}): Promise<PgliteDatabase> {
  const extensions: Extensions = {};
  for (const name of options.extensions ?? []) Object.assign(extensions, CONTRIB[name]?.() ?? {});
  if (options.dump) return new PgliteDatabase(await PGlite.create({ loadDataDir: options.dump, extensions }));

  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const basePath = path.join(cacheDir, `pglite-${pgliteVersion()}-base.tar`);
  const cached = readIfExists(basePath);
  if (cached) {
    try {
      return new PgliteDatabase(await PGlite.create({ loadDataDir: new Blob([cached]), extensions }));
    } catch {
      fs.rmSync(basePath, { force: true }); // a corrupt cache entry: rebuild it below
    }
  }
  const pglite = await PGlite.create({ extensions });
  const dump = await pglite.dumpDataDir('none');
  writeAtomically(basePath, Buffer.from(await dump.arrayBuffer()));
  return new PgliteDatabase(pglite);
}

export function readIfExists(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes through a temporary file and a rename, so a concurrent reader never sees half a file. */
export function writeAtomically(file: string, data: Buffer | string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(temporary, data);
    fs.renameSync(temporary, file);
  } catch {
    // A cache that cannot be written only costs time.
  }
}

/**
 * The default shadow backend: PGlite, with each replayed state dumped into the cache folder so that
 * an unchanged workspace reopens in well under a second (the four most recent states are kept).
 */
export class EmbeddedBackend implements ShadowBackend {
  readonly name = 'embedded';
  private readonly cacheDir: string;

  constructor(cacheDir?: string) {
    this.cacheDir = cacheDir ?? defaultCacheDir();
  }

  async open(request: { extensions: Set<string>; key?: string }): Promise<OpenedShadow> {
    const extensions = [...request.extensions].filter(isEmbeddedExtension);
    if (request.key) {
      const dump = readIfExists(this.file(request.key, 'tar'));
      const findings = readIfExists(this.file(request.key, 'json'));
      if (dump && findings) {
        try {
          const db = await openEmbedded({ dump: new Blob([dump]), extensions });
          return { db, findings: JSON.parse(findings.toString('utf8')) as Record<string, Finding[]> };
        } catch {
          // A damaged cache entry: replay instead.
        }
      }
    }
    return { db: await openEmbedded({ cacheDir: this.cacheDir, extensions }) };
  }

  cachedFindings(key: string): Record<string, Finding[]> | undefined {
    if (!fs.existsSync(this.file(key, 'tar'))) return undefined;
    const findings = readIfExists(this.file(key, 'json'));
    try {
      return findings && (JSON.parse(findings.toString('utf8')) as Record<string, Finding[]>);
    } catch {
      return undefined;
    }
  }

  async save(db: Database, key: string, findings: Record<string, Finding[]>): Promise<void> {
    if (!(db instanceof PgliteDatabase)) return;
    const dump = await db.pglite.dumpDataDir('none');
    writeAtomically(this.file(key, 'tar'), Buffer.from(await dump.arrayBuffer()));
    writeAtomically(this.file(key, 'json'), JSON.stringify(findings));
    pruneReplayCache(this.cacheDir, 4);
  }

  async discard(db: Database): Promise<void> {
    await db.close();
  }

  private file(key: string, extension: string): string {
    return path.join(this.cacheDir, `replay-${key}.${extension}`);
  }
}

/** Keeps the `keep` most recent replay dumps (each is tens of MB). */
function pruneReplayCache(cacheDir: string, keep: number): void {
  try {
    const dumps = fs
      .readdirSync(cacheDir)
      .filter((name) => /^replay-[0-9a-f]+\.tar$/.test(name))
      .map((name) => ({ name, mtime: fs.statSync(path.join(cacheDir, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const { name } of dumps.slice(keep)) {
      fs.rmSync(path.join(cacheDir, name), { force: true });
      fs.rmSync(path.join(cacheDir, name.replace(/\.tar$/, '.json')), { force: true });
    }
  } catch {
    // Pruning is housekeeping.
  }
}
