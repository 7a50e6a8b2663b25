/**
 * Round-trip cases on PGlite (PostgreSQL 18). Two instances, reset between cases (user schemas and
 * extensions dropped): opening fresh ones per case costs ~0.7 s each.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { PgliteDatabase } from '../../server/src/db/pglite';
import { quoteIdent } from '../../server/src/sql/quote';
import { openEmbedded } from '../../server/src/shadow/embedded';
import { CASE_ROLE, loadCases, reset, runCase } from './roundtrip';

const cases = loadCases().filter((c) => c.engines.includes('pglite'));
const EXTENSIONS = ['citext', 'pg_trgm', 'hstore'];

describe('schema diff round trips on PGlite', () => {
  let current: PgliteDatabase;
  let desired: PgliteDatabase;
  beforeAll(async () => {
    [current, desired] = await Promise.all([openEmbedded({ extensions: EXTENSIONS }), openEmbedded({ extensions: EXTENSIONS })]);
    for (const db of [current, desired]) await db.exec(`CREATE ROLE ${quoteIdent(CASE_ROLE)}`);
  }, 180000);
  afterAll(async () => {
    await current?.close();
    await desired?.close();
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    await Promise.all([reset(current), reset(desired)]);
    await runCase(c, current, desired);
  });
});
