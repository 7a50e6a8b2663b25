/** Round-trip cases on the real PostgreSQL server: each case in two fresh databases, dropped after. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { PgDatabase } from '../../server/src/db/pg';
import { quoteIdent } from '../../server/src/db/port';
import { TEST_DATABASE_URL } from '../integration/database';
import { CASE_ROLE, loadCases, runCase } from './roundtrip';

const cases = loadCases().filter((c) => c.engines.includes('pg'));

describe.skipIf(!TEST_DATABASE_URL)('schema diff round trips on the real server', () => {
  let admin: PgDatabase;
  const url = new URL(TEST_DATABASE_URL ?? 'postgres://localhost/postgres');
  const connect = (database: string) => {
    const u = new URL(url.toString());
    u.pathname = `/${database}`;
    return PgDatabase.connect({ config: { connectionString: u.toString() }, statementTimeoutMs: 20000, lockTimeoutMs: 5000 });
  };

  beforeAll(async () => {
    admin = await connect(url.pathname.slice(1) || 'postgres');
    const { rows } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [CASE_ROLE]);
    if (rows.length === 0) await admin.exec(`CREATE ROLE ${quoteIdent(CASE_ROLE)}`).catch(() => undefined);
  });
  // Dropping a database takes ~0.6 s: done in the background while the next case runs.
  const drops: Array<Promise<unknown>> = [];
  afterAll(async () => {
    await Promise.all(drops);
    await admin?.close();
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const id = randomBytes(5).toString('hex');
    const names = [`pglens_diff_${id}_c`, `pglens_diff_${id}_d`];
    // Own connections for CREATE / DROP DATABASE, so that they run side by side.
    const [current, desired] = await Promise.all(
      names.map(async (name) => {
        const creator = await connect(url.pathname.slice(1) || 'postgres');
        try {
          await creator.exec(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
        } finally {
          await creator.close();
        }
        return connect(name);
      }),
    );
    try {
      await runCase(c, current, desired);
    } finally {
      await current.close();
      await desired.close();
      for (const name of names) drops.push(admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
    }
  });
});
