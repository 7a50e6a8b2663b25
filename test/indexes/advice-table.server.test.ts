/**
 * The table in docs/advice.md: for each workload query, pglens's first suggestion built for real (in a
 * transaction rolled back), and the query timed once before and once after (EXPLAIN ANALYZE, after one
 * warm-up run). Slow (it builds every index), so it runs only with ADVICE_TABLE=1:
 *
 *   ADVICE_TABLE=1 PGLENS_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     npx vitest run test/indexes/advice-table.server.test.ts
 */
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDatabase } from '../../server/src/db/pg';
import { adviseStatement } from '../../server/src/indexes/advise';
import { indexLabel } from '../../server/src/indexes/suggest';
import { loadParser } from '../../server/src/sql/parser';
import { workloadDatabase } from '../fixtures/advice-workload/database';
import { WORKLOAD } from '../fixtures/advice-workload/queries';
import { TEST_DATABASE_URL } from '../integration/database';

describe.skipIf(!TEST_DATABASE_URL || process.env.ADVICE_TABLE !== '1')('docs/advice.md table', () => {
  let db: PgDatabase;
  let client: Client;
  beforeAll(async () => {
    await loadParser();
    const { url } = await workloadDatabase(TEST_DATABASE_URL!);
    db = await PgDatabase.connect({ config: { connectionString: url }, statementTimeoutMs: 60_000 });
    client = new Client({ connectionString: url });
    await client.connect();
  }, 600_000);
  afterAll(async () => {
    await db?.close();
    await client?.end();
  });

  it('prints the table', async () => {
    const lines = ['| query | pglens suggests | planner cost before → after (predicted) | time before → after (real) | real speed-up |', '|---|---|---|---|---|'];
    for (const query of WORKLOAD) {
      const advice = await adviseStatement(db, query.sql, { timeoutMs: 60_000 });
      const first = advice.indexes[0];
      const run = async (): Promise<number> => {
        const params = query.params ?? [];
        await client.query(query.sql, params);
        const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${query.sql}`, params);
        return (rows[0] as { 'QUERY PLAN': Array<{ 'Execution Time': number }> })['QUERY PLAN'][0]['Execution Time'];
      };
      const before = await run();
      if (!first) {
        lines.push(`| ${query.name} | — (no index halves the cost) | ${Math.round(advice.costBefore ?? 0)} | ${before.toFixed(1)} ms | — |`);
        continue;
      }
      await client.query('BEGIN');
      let after: number;
      try {
        if (first.index.requires) await client.query(`CREATE EXTENSION IF NOT EXISTS ${first.index.requires}`);
        for (const create of [first.create, ...(first.together ?? [])]) await client.query(create.replace('CONCURRENTLY ', ''));
        after = await run();
      } finally {
        await client.query('ROLLBACK');
      }
      const labels = [first.index, ...advice.indexes.filter((other) => first.together?.includes(other.create)).map((other) => other.index)].map(indexLabel).join(' + ');
      lines.push(
        `| ${query.name} | \`${labels.replace(/\|/g, '\\|')}\` | ${Math.round(first.costBefore)} → ${first.estimated ? '~' : ''}${Math.round(first.costAfter)} (${(first.costBefore / first.costAfter).toFixed(0)}×${first.estimated ? ', estimated' : ''}) | ${before.toFixed(1)} ms → ${after.toFixed(2)} ms | ${(before / after).toFixed(0)}× |`,
      );
    }
    console.log(lines.join('\n'));
    expect(lines.length).toBe(WORKLOAD.length + 2);
  }, 1_800_000);
});
