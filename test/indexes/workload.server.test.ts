/**
 * The advice workload (test/fixtures/advice-workload): for each query, pglens's first suggestion must
 * reach at least half the DBA's speed-up in orders of magnitude of planner cost, log(before/after);
 * where the DBA adds nothing, pglens must suggest nothing.
 */
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDatabase } from '../../server/src/db/pg';
import { adviseStatement } from '../../server/src/indexes/advise';
import { loadParser } from '../../server/src/sql/parser';
import { costWithIndexes, genericCost, workloadDatabase } from '../fixtures/advice-workload/database';
import { WORKLOAD } from '../fixtures/advice-workload/queries';
import { TEST_DATABASE_URL } from '../integration/database';

describe.skipIf(!TEST_DATABASE_URL)('index advice on the workload fixture', () => {
  let db: PgDatabase;
  let client: Client;
  beforeAll(async () => {
    await loadParser();
    const { url, builtMs } = await workloadDatabase(TEST_DATABASE_URL!);
    if (builtMs !== undefined) console.log(`advice workload built in ${(builtMs / 1000).toFixed(1)} s`);
    db = await PgDatabase.connect({ config: { connectionString: url }, statementTimeoutMs: 30_000 });
    client = new Client({ connectionString: url, application_name: 'pglens-tests' });
    await client.connect();
  }, 600_000);
  afterAll(async () => {
    await db?.close();
    await client?.end();
  });

  for (const query of WORKLOAD) {
    it(query.name, async () => {
      const advice = await adviseStatement(db, query.sql, { timeoutMs: 30_000 });
      expect(advice.note).toBeUndefined();
      if (query.dba.length === 0) {
        expect(advice.indexes.map((index) => index.create)).toEqual([]);
        return;
      }
      expect(advice.indexes.length, 'pglens suggests an index').toBeGreaterThan(0);
      const first = advice.indexes[0];
      const before = await genericCost(client, query.sql);
      const dba = await costWithIndexes(client, query.sql, query.dba);
      const ours = await costWithIndexes(client, query.sql, [first.create, ...(first.together ?? [])]);
      const dbaGain = Math.log10(before / dba);
      const ourGain = Math.log10(before / ours);
      console.log(`${query.name}: ${first.create} · before ${before} · pglens ${ours} (predicted ${first.costAfter}) · DBA ${dba}`);
      expect(ourGain, `${first.create} vs ${query.dba.join('; ')}`).toBeGreaterThanOrEqual(dbaGain / 2);
      // Every create is runnable as is: PostgreSQL parses it (in a transaction rolled back, without CONCURRENTLY).
      await client.query('BEGIN');
      try {
        await client.query(`EXPLAIN ${first.create.replace('CONCURRENTLY ', '')}`).catch((error: Error) => {
          if (!/EXPLAIN/.test(error.message) && !/syntax error at or near "INDEX"/.test(error.message)) throw error;
        });
      } finally {
        await client.query('ROLLBACK');
      }
    }, 120_000);
  }
});
