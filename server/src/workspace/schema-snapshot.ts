import * as path from 'node:path';
import type { SchemaSnapshot } from '../../../protocol/schema';
import { openDatabase } from '../connection/open';
import type { ResolvedConnection } from '../connection/resolve';
import { discoverMigrations } from '../migrations/discover';
import { loadSnapshot } from '../schema/snapshot';
import { ShadowSession } from '../shadow/session';
import { InputError } from './errors';

/** The snapshot of a live database (--db) or of a workspace's migrations replayed in the shadow. */
export async function schemaSnapshot(options: { database?: ResolvedConnection; root?: string; cacheDir?: string }): Promise<SchemaSnapshot> {
  if (options.database) {
    const db = await openDatabase(options.database, { statementTimeoutMs: 60_000, userDatabase: true });
    try {
      return await loadSnapshot(db);
    } finally {
      await db.close();
    }
  }
  const root = path.resolve(options.root ?? '.');
  const migrations = discoverMigrations(root, { rootMayBeFolder: true });
  if (!migrations) throw new InputError(`no migrations found in ${root} (Supabase, dbmate, golang-migrate, Flyway, goose, Prisma, or a folder of ordered .sql files)`);
  const session = new ShadowSession(migrations, undefined, { cacheDir: options.cacheDir });
  try {
    return await session.withFinalState((db) => loadSnapshot(db));
  } finally {
    await session.close();
  }
}
