import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDatabase } from '../../server/src/db/pglite';
import { loadSnapshot } from '../../server/src/schema/snapshot';
import { FIXTURE_DDL, defineSnapshotTests } from './fixture';
import type { FixtureContext } from './fixture';

describe('schema snapshot on PGlite', () => {
  let context: FixtureContext | undefined;

  beforeAll(async () => {
    // Creating a PGlite instance takes seconds: one per file. The contrib modules are ESM only.
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const db = await PgliteDatabase.open(undefined, { pg_trgm });
    await db.exec(FIXTURE_DDL);
    const { rows } = await db.query<{ user: string }>('SELECT current_user AS "user"');
    context = { db, user: rows[0].user };
  }, 60_000);

  afterAll(async () => {
    await context?.db.close();
  });

  const current = (): FixtureContext => {
    if (!context) throw new Error('the fixture database is not open');
    return context;
  };

  it('is PostgreSQL 18 or later', async () => {
    const snapshot = await loadSnapshot(current().db);
    expect(snapshot.serverVersionNum).toBeGreaterThanOrEqual(180000);
    expect(snapshot.source).toBe('pglite');
  });

  defineSnapshotTests(current);
});
