import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDatabase } from '../../server/src/db/pg';
import { quoteIdent } from '../../server/src/sql/quote';
import { loadSnapshot } from '../../server/src/schema/snapshot';
import { FIXTURE_DDL, defineSnapshotTests } from './fixture';
import type { FixtureContext } from './fixture';

/** Unset: skipped. Set but unreachable: beforeAll fails, so CI cannot pass by skipping. */
const url = process.env.PGLENS_TEST_DATABASE_URL;

describe.skipIf(!url)('schema snapshot on the real PostgreSQL server', () => {
  const scratch = `pglens_test_snapshot_${randomBytes(6).toString('hex')}`;
  let maintenance: Client | undefined;
  let created = false;
  let context: FixtureContext | undefined;

  beforeAll(async () => {
    maintenance = new Client({ connectionString: url, application_name: 'pglens-tests', connectionTimeoutMillis: 5000 });
    await maintenance.connect();
    await maintenance.query(`CREATE DATABASE ${quoteIdent(scratch)}`);
    created = true;
    const target = new URL(url as string);
    target.pathname = `/${scratch}`;
    const db = await PgDatabase.connect({ config: { connectionString: target.toString() }, statementTimeoutMs: 30_000 });
    await db.exec(FIXTURE_DDL);
    const { rows } = await db.query<{ user: string }>('SELECT current_user AS "user"');
    context = { db, user: rows[0].user };
  }, 60_000);

  afterAll(async () => {
    await context?.db.close();
    if (maintenance) {
      if (created) await maintenance.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`);
      await maintenance.end();
    }
  });

  const current = (): FixtureContext => {
    if (!context) throw new Error('the scratch database is not open');
    return context;
  };

  it('is PostgreSQL 15 or later', async () => {
    const snapshot = await loadSnapshot(current().db);
    expect(snapshot.serverVersionNum).toBeGreaterThanOrEqual(150000);
    expect(snapshot.source).toBe('pg');
  });

  defineSnapshotTests(current);
});
