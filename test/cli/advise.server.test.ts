/**
 * `pglens advise` and `pglens explain --db` on a scratch database of the real server: the JSON contract,
 * each `create` run for real, a name collision, no hypopg, no pg_stat_statements, and explain's hints
 * read with the schema snapshot as the editor's are.
 */
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDatabase } from '../../server/src/db/pg';
import type { Database } from '../../server/src/db/port';
import { quoteIdent } from '../../server/src/sql/quote';
import { TEST_DATABASE_URL } from '../integration/database';
import { runPglens } from './run';

interface AdviceJson {
  statements: Array<{ text: string; indexes: Array<{ create: string; costBefore: number; costAfter: number }>; hints: Array<{ kind: string; severity: string; title: string }>; note?: string }>;
}

describe.skipIf(!TEST_DATABASE_URL)('pglens advise', () => {
  const scratch = `pglens_advise_cli_${randomBytes(4).toString('hex')}`;
  let maintenance: Database;
  let db: Database;
  let url: string;

  beforeAll(async () => {
    maintenance = await PgDatabase.connect({ config: { connectionString: TEST_DATABASE_URL } });
    await maintenance.exec(`CREATE DATABASE ${quoteIdent(scratch)}`);
    const target = new URL(TEST_DATABASE_URL!);
    target.pathname = `/${scratch}`;
    url = target.toString();
    db = await PgDatabase.connect({ config: { connectionString: url }, statementTimeoutMs: 60_000 });
    await db.exec(`CREATE EXTENSION hypopg;
      CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);
      CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers, status text NOT NULL, total numeric NOT NULL);
      INSERT INTO customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 20000) g;
      INSERT INTO orders SELECT g, 1 + g % 20000, CASE WHEN g % 50 = 0 THEN 'open' ELSE 'done' END, g FROM generate_series(1, 200000) g;
      -- A table that holds the name pglens would give the index: the suggestion must take another.
      CREATE TABLE orders_customer_id_idx (x int);
      ANALYZE;`);
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await maintenance?.exec(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`).catch(() => undefined);
    await maintenance?.close();
  });

  it('prints the JSON contract; each create runs as is, under a name no relation holds', async () => {
    const result = runPglens(os.tmpdir(), ['advise', '--db', url, '--format', 'json', 'SELECT * FROM orders WHERE customer_id = $1; SELECT * FROM orders WHERE id = $1']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as AdviceJson;
    expect(json.statements.map((statement) => statement.text)).toEqual(['SELECT * FROM orders WHERE customer_id = $1', 'SELECT * FROM orders WHERE id = $1']);
    const [first, second] = json.statements;
    expect(first.indexes).toHaveLength(1);
    expect(first.indexes[0].create).toBe('CREATE INDEX CONCURRENTLY "orders_customer_id_idx1" ON "public"."orders" ("customer_id")');
    expect(first.indexes[0].costAfter).toBeLessThan(first.indexes[0].costBefore / 2);
    expect(second.indexes).toEqual([]);
    // Nothing was left behind: no index, no hypothetical one in another session's view.
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'orders'`)).rows[0].n).toBe(1);
    await db.exec(first.indexes[0].create);
    const plan = await db.query<{ 'QUERY PLAN': string }>('EXPLAIN SELECT * FROM orders WHERE customer_id = 42');
    expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/orders_customer_id_idx1/);
    await db.exec('DROP INDEX orders_customer_id_idx1');
  });

  it('prints text with before → after, and the hints', () => {
    const result = runPglens(os.tmpdir(), ['advise', '--db', url, "SELECT id FROM orders WHERE status = 'open' AND customer_id = $1"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^SELECT id FROM orders WHERE status = 'open' AND customer_id = \$1\n {2}index {2}cost [\d,]+ → [\d,]+\n {9}CREATE INDEX CONCURRENTLY "orders_customer_id_where_status_open_idx" ON "public"\."orders" \("customer_id"\) WHERE status = 'open'::text;\n/);
  });

  it('says what is missing without hypopg, and without pg_stat_statements', () => {
    const noHypopg = runPglens(os.tmpdir(), ['advise', '--db', TEST_DATABASE_URL!, '--format', 'json', 'SELECT 1']);
    expect((JSON.parse(noHypopg.stdout) as AdviceJson).statements[0].note).toMatch(/^hypopg is not installed in this database/);
    const workload = runPglens(os.tmpdir(), ['advise', '--workload', '--db', url]);
    expect(workload.code).toBe(1);
    expect(workload.stdout).toMatch(/^pg_stat_statements is not available in this database\. To enable it: add pg_stat_statements to shared_preload_libraries/);
    expect(runPglens(os.tmpdir(), ['advise', 'SELECT 1']).stderr).toMatch(/--db URL/);
  });

  it('explain --db reads the plan with the schema snapshot: the hints the editor shows', () => {
    const result = runPglens(os.tmpdir(), ['explain', '--db', url, 'SELECT o.total FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email = $1']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Join on foreign key orders_customer_id_fkey \(orders\.customer_id → customers\), which has no index/);
  });
});
