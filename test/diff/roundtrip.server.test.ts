/**
 * Round-trip cases on the real PostgreSQL server, in a pair of databases created for this suite
 * (`pglens_diff_<random>_c` / `_d`), reset between cases and dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { PgDatabase } from '../../server/src/db/pg';
import { quoteIdent } from '../../server/src/sql/quote';
import { TEST_DATABASE_URL } from '../integration/database';
import { CASE_ROLE, loadCases, reset, runCase } from './roundtrip';

const cases = loadCases().filter((c) => c.engines.includes('pg'));

describe.skipIf(!TEST_DATABASE_URL)('schema diff round trips on the real server', () => {
  const url = new URL(TEST_DATABASE_URL ?? 'postgres://localhost/postgres');
  const connect = (database: string) => {
    const u = new URL(url.toString());
    u.pathname = `/${encodeURIComponent(database)}`;
    return PgDatabase.connect({ config: { connectionString: u.toString() }, statementTimeoutMs: 20000, lockTimeoutMs: 5000 });
  };
  const id = randomBytes(5).toString('hex');
  const names = [`pglens_diff_${id}_c`, `pglens_diff_${id}_d`];
  let admin: PgDatabase;
  let current: PgDatabase;
  let desired: PgDatabase;

  beforeAll(async () => {
    admin = await connect(decodeURIComponent(url.pathname.slice(1)) || 'postgres');
    const { rows } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [CASE_ROLE]);
    // Roles are cluster-wide: created once, kept (another run may be using it at the same time).
    if (rows.length === 0) await admin.exec(`CREATE ROLE ${quoteIdent(CASE_ROLE)}`).catch(() => undefined);
    for (const name of names) await admin.exec(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
    [current, desired] = await Promise.all(names.map(connect));
  });
  afterAll(async () => {
    await current?.close();
    await desired?.close();
    for (const name of names) await admin?.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin?.close();
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    await Promise.all([reset(current), reset(desired)]);
    await runCase(c, current, desired);
  });
});
