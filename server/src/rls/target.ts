import * as fs from 'node:fs';
import * as path from 'node:path';
import { openDatabase } from '../connection/open';
import { resolveInput } from '../connection/resolve';
import type { Database } from '../db/port';
import { asDatabaseError } from '../db/port';
import { discoverMigrations } from '../migrations/discover';
import { ShadowSession } from '../shadow/session';
import { RlsUsageError } from './tester';

/** Where `pglens rls` runs: a live database, or the shadow with the workspace's migrations and seed. */
export interface RlsTarget {
  db: Database;
  /** The shadow's transaction is already open: work in savepoints. */
  inTransaction: boolean;
  /** Shadow only: the seed file loaded, or undefined when there is none (the tables are empty). */
  seed?: string;
}

/**
 * The seed file of a workspace: `rls.seed` in `pglens.json` (relative to the workspace), else
 * Supabase's `supabase/seed.sql`, else none.
 */
export function findSeed(root: string): string | undefined {
  try {
    const config = JSON.parse(fs.readFileSync(path.join(root, 'pglens.json'), 'utf8')) as { rls?: { seed?: unknown } };
    if (typeof config.rls?.seed === 'string') {
      const configured = path.resolve(root, config.rls.seed);
      if (!fs.existsSync(configured)) throw new RlsUsageError(`pglens.json names the seed file ${config.rls.seed}, which does not exist`);
      return configured;
    }
  } catch (error) {
    if (error instanceof RlsUsageError) throw error;
    // No pglens.json, or one without a seed (its own problems are reported by `pglens check`).
  }
  const supabase = path.join(root, 'supabase', 'seed.sql');
  return fs.existsSync(supabase) ? supabase : undefined;
}

/** Runs the seed in the shadow's transaction, as the connecting user; a failure names the file and the error. */
export async function loadSeed(db: Database, seed: string): Promise<void> {
  try {
    await db.exec(fs.readFileSync(seed, 'utf8'));
  } catch (error) {
    const problem = asDatabaseError(error);
    throw new RlsUsageError(`the seed file ${seed} fails in the shadow: ${problem ? `${problem.message} (${problem.code})` : String(error)}`);
  }
}

export async function withRlsTarget<T>(options: { databaseUrl?: string; root?: string; cacheDir?: string }, work: (target: RlsTarget) => Promise<T>): Promise<T> {
  if (options.databaseUrl) {
    const db = await openDatabase(resolveInput(options.databaseUrl), { statementTimeoutMs: 30_000, userDatabase: true });
    try {
      return await work({ db, inTransaction: false });
    } finally {
      await db.close();
    }
  }
  const root = path.resolve(options.root ?? '.');
  const migrations = discoverMigrations(root, { rootMayBeFolder: true });
  if (!migrations) throw new RlsUsageError(`no migrations found in ${root} (Supabase, dbmate, golang-migrate, Flyway, goose, Prisma, or a folder of ordered .sql files); give --db URL for a live database`);
  const seed = findSeed(root);
  const session = new ShadowSession(migrations, undefined, { cacheDir: options.cacheDir });
  try {
    return await session.withFinalState(async (db) => {
      if (seed) await loadSeed(db, seed);
      return work({ db, inTransaction: true, seed });
    });
  } finally {
    await session.close();
  }
}
