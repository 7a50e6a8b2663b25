/**
 * EXPLAIN ANALYZE runs without asking only what the catalog proves read-only (finding 3): a SELECT that
 * calls a volatile or user-defined function, writes through dblink, terminates a backend or takes an
 * advisory lock asks first; an advisory lock taken by a confirmed statement does not outlive it.
 */
import { randomBytes } from 'node:crypto';
import type { Node } from 'libpg-query';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDatabase } from '../../server/src/db/pg';
import { quoteIdent, quoteLiteral } from '../../server/src/sql/quote';
import { proveReadOnly, readClaim } from '../../server/src/explain/read-only';
import { explain } from '../../server/src/explain/runner';
import { loadParser, parseStatement } from '../../server/src/sql/parser';

const url = process.env.PGLENS_TEST_DATABASE_URL;

function treeOf(sql: string): Node | undefined {
  const outcome = parseStatement(sql);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.stmt;
}

describe('the read-only claim of a parse tree', () => {
  beforeAll(loadParser);
  const claim = (sql: string) => readClaim(treeOf(sql));

  it('collects calls, attribute notation, operators, casts and relations; CTE names are not relations', () => {
    const result = claim('WITH c AS (SELECT 1 AS a) SELECT t.f, (t).g, x::mytype, count(*), a BETWEEN 1 AND 2 FROM s.t JOIN c USING (a) ORDER BY a USING <');
    expect(result.notPlain).toBeUndefined();
    expect(result.functions).toEqual(expect.arrayContaining(['f', 'g', 'count']));
    expect(result.operators).toEqual(expect.arrayContaining(['BETWEEN', '>=', '<=', '<']));
    expect(result.types).toContain('mytype');
    expect(result.relations).toEqual(['"s"."t"']);
  });

  it('is not plain for data changes, data-modifying CTEs, SELECT INTO and row locks', () => {
    expect(claim('INSERT INTO t VALUES (1)').notPlain).toBeDefined();
    expect(claim('WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d').notPlain).toBeDefined();
    expect(claim('SELECT * INTO u FROM t').notPlain).toBeDefined();
    expect(claim('SELECT * FROM t FOR UPDATE').notPlain).toBeDefined();
    expect(claim('SELECT * FROM (SELECT * FROM t FOR SHARE) s').notPlain).toBeDefined();
  });
});

describe.skipIf(!url)('EXPLAIN ANALYZE on the real PostgreSQL server', () => {
  const scratch = `pglens_test_ro_${randomBytes(6).toString('hex')}`;
  let admin: Client;
  let db: PgDatabase;
  let scratchUrl = '';

  beforeAll(async () => {
    await loadParser();
    admin = new Client({ connectionString: url, application_name: 'pglens-tests' });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${quoteIdent(scratch)}`);
    const target = new URL(url as string);
    target.pathname = `/${scratch}`;
    scratchUrl = target.toString();
    const setup = new Client({ connectionString: scratchUrl, application_name: 'pglens-tests' });
    await setup.connect();
    await setup.query(`
      CREATE EXTENSION dblink;
      CREATE TABLE items (id int PRIMARY KEY, name text);
      INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 50) g;
      CREATE TABLE audit (note text);
      CREATE FUNCTION stable_name(i items) RETURNS text LANGUAGE sql STABLE AS 'SELECT i.name';
      CREATE FUNCTION touch(i items) RETURNS int LANGUAGE sql AS 'INSERT INTO audit VALUES (''touched'') RETURNING 1';
      CREATE VIEW touched AS SELECT touch(i) FROM items i;
      CREATE DOMAIN checked AS int CHECK (VALUE > 0);
      CREATE TABLE secret (id int); ALTER TABLE secret ENABLE ROW LEVEL SECURITY;
      CREATE FUNCTION liar(int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS $$
      BEGIN PERFORM dblink_exec(current_setting('pglens_test.dblink'), 'INSERT INTO audit VALUES (''liar'')'); RETURN $1; END $$;`);
    await setup.query(`ALTER DATABASE ${quoteIdent(scratch)} SET pglens_test.dblink = ${quoteLiteral(`dbname=${scratch} user=postgres host=127.0.0.1`)}`);
    await setup.end();
    db = await PgDatabase.connect({ config: { connectionString: scratchUrl }, userDatabase: true });
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await admin?.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`);
    await admin?.end();
  });

  const proof = async (sql: string) => db.readOnly((tx) => proveReadOnly(tx, treeOf(sql)));
  const auditRows = async (): Promise<number> => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit')).rows[0].n;

  it('proves plain reads of tables and built-in views with built-in, non-volatile functions', async () => {
    for (const sql of [
      'SELECT count(*) FROM items',
      "SELECT lower(name), now(), length(name) FROM items WHERE id BETWEEN 1 AND 5 AND name LIKE 'item%' ORDER BY 1",
      'WITH c AS (SELECT id FROM items) SELECT * FROM c JOIN items USING (id)',
      'SELECT relname FROM pg_catalog.pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid',
      'SELECT i.name FROM items i',
    ]) {
      expect(await proof(sql), sql).toEqual({ proven: true });
    }
    const analyzed = await explain(db, 'SELECT count(*) FROM items', { analyze: true });
    expect(analyzed.ok && analyzed.analyzed).toBe(true);
  });

  it('does not prove volatile or user-defined functions, user views, domains with checks, RLS tables', async () => {
    const unproven: Array<[string, RegExp]> = [
      ['SELECT random()', /random \(volatile\)/],
      ['SELECT nextval(\'s\')', /nextval/],
      ['SELECT pg_sleep(0)', /pg_sleep/],
      ['SELECT lo_create(0)', /lo_create/],
      ['SELECT pg_advisory_lock(1)', /pg_advisory_lock/],
      ['SELECT stable_name(i) FROM items i', /stable_name \(user-defined\)/],
      ['SELECT i.touch FROM items i', /touch \(user-defined\)/],
      ['SELECT * FROM touched', /"touched" \(a user view\)/],
      ['SELECT 1::checked', /checked/],
      ['SELECT * FROM secret', /row-level security/],
      ['SELECT * FROM nowhere', /not found/],
    ];
    for (const [sql, reason] of unproven) {
      const result = await proof(sql);
      expect(result.proven, sql).toBe(false);
      if (!result.proven) expect(result.reason, sql).toMatch(reason);
    }
  });

  it('asks before EXPLAIN ANALYZE of a SELECT that writes through dblink or terminates a backend (finding 3)', async () => {
    const before = await auditRows();
    const dblink = await explain(db, `SELECT dblink_exec('dbname=${scratch} user=postgres host=127.0.0.1', 'INSERT INTO audit VALUES (''via dblink'')')`, { analyze: true });
    expect(dblink).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    const victim = new Client({ connectionString: scratchUrl, application_name: 'pglens-tests-victim' });
    victim.on('error', () => undefined);
    await victim.connect();
    const pid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const terminate = await explain(db, `SELECT pg_terminate_backend(${pid})`, { analyze: true });
    expect(terminate).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    expect((await victim.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
    await victim.end();
    expect(await auditRows()).toBe(before);
  });

  it('does not even plan a statement calling a user-defined IMMUTABLE function without asking: the planner would run it', async () => {
    const before = await auditRows();
    const planned = await explain(db, 'SELECT liar(1)');
    expect(planned).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    if (!planned.ok) expect(planned.message).toMatch(/liar\(\) while planning/);
    expect(await auditRows()).toBe(before);
    // Built-in immutable functions are folded as always.
    expect((await explain(db, "SELECT lower('A')")).ok).toBe(true);
  });

  it('releases session advisory locks a confirmed EXPLAIN ANALYZE took (finding 3)', async () => {
    const ran = await explain(db, 'SELECT pg_advisory_lock(4242), pg_try_advisory_lock(4243)', { analyze: true, confirmedWrites: true });
    expect(ran.ok && ran.analyzed).toBe(true);
    const { rows } = await admin.query(`SELECT l.objid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND a.datname = $1`, [scratch]);
    expect(rows).toEqual([]);
  });
});
