/**
 * The product's own flow: the desired schema built in the PGlite 18 shadow, the current one on the
 * PostgreSQL 15 server. For each case, the same DDL on both engines must diff empty (versions print
 * some catalog text differently), and the diff from the server's current schema to the shadow's
 * desired one, applied to the server, must leave nothing to diff.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDatabase } from '../../server/src/db/pg';
import type { PgliteDatabase } from '../../server/src/db/pglite';
import { quoteIdent } from '../../server/src/sql/quote';
import { diffSchemas, renderScript } from '../../server/src/diff';
import { loadSnapshot } from '../../server/src/schema/snapshot';
import { openEmbedded } from '../../server/src/shadow/embedded';
import { TEST_DATABASE_URL } from '../integration/database';
import { apply, CASE_ROLE, loadCases, reset } from './roundtrip';

// Cases of changes pglens does not make yet (expect unsupported) have no script to compare across engines.
const cases = loadCases().filter((c) => c.engines.length === 2 && c.expectUnsupported.length === 0);
const snapshot = (db: PgDatabase | PgliteDatabase) => loadSnapshot(db, { details: true });

describe.skipIf(!TEST_DATABASE_URL)('schema diff from the server to a PGlite shadow', () => {
  const url = new URL(TEST_DATABASE_URL ?? 'postgres://localhost/postgres');
  const connect = (database: string) => {
    const u = new URL(url.toString());
    u.pathname = `/${encodeURIComponent(database)}`;
    return PgDatabase.connect({ config: { connectionString: u.toString() }, statementTimeoutMs: 20000, lockTimeoutMs: 5000 });
  };
  const name = `pglens_diff_${randomBytes(5).toString('hex')}_x`;
  let admin: PgDatabase;
  let server: PgDatabase;
  let shadow: PgliteDatabase;

  beforeAll(async () => {
    admin = await connect(decodeURIComponent(url.pathname.slice(1)) || 'postgres');
    const { rows } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [CASE_ROLE]);
    if (rows.length === 0) await admin.exec(`CREATE ROLE ${quoteIdent(CASE_ROLE)}`).catch(() => undefined);
    await admin.exec(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
    server = await connect(name);
    shadow = await openEmbedded({ extensions: ['citext', 'pg_trgm', 'hstore'] });
    await shadow.exec(`CREATE ROLE ${quoteIdent(CASE_ROLE)}`);
  }, 60000);
  afterAll(async () => {
    await server?.close();
    await shadow?.close();
    await admin?.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin?.close();
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const { renames, ...plain } = c.options;
    await Promise.all([reset(server), reset(shadow)]);
    await Promise.all([server.exec(c.desired), shadow.exec(c.desired)]);
    const same = diffSchemas(await snapshot(server), await snapshot(shadow), plain);
    expect(same.changes.length === 0 ? '(empty)' : renderScript(same), 'the same DDL on PG 15 and PGlite 18').toBe('(empty)');

    await reset(server);
    if (c.current.trim()) await server.exec(c.current);
    const desired = await snapshot(shadow);
    const up = diffSchemas(await snapshot(server), desired, { ...plain, renames });
    await apply(server, up);
    const after = diffSchemas(await snapshot(server), desired, plain);
    expect(after.changes.length === 0 ? '(empty)' : renderScript(after), `after up:\n${renderScript(up)}`).toBe('(empty)');
  });
});
