/**
 * Workload advice on the fixture: one index set for several statements weighted by their total time
 * (the figures pg_stat_statements gives), chosen greedily with every statement replanned with all
 * chosen indexes at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDatabase } from '../../server/src/db/pg';
import { adviseStatements, adviseWorkload, PG_STAT_STATEMENTS_MISSING } from '../../server/src/indexes/workload';
import { loadParser } from '../../server/src/sql/parser';
import { workloadDatabase } from '../fixtures/advice-workload/database';
import { TEST_DATABASE_URL } from '../integration/database';

describe.skipIf(!TEST_DATABASE_URL)('workload advice', () => {
  let db: PgDatabase;
  beforeAll(async () => {
    await loadParser();
    const { url } = await workloadDatabase(TEST_DATABASE_URL!);
    db = await PgDatabase.connect({ config: { connectionString: url }, statementTimeoutMs: 30_000 });
  }, 600_000);
  afterAll(async () => {
    await db?.close();
  });

  it('serves statements that share a column with one index, and leaves out a statement that costs little time', async () => {
    const report = await adviseStatements(
      db,
      [
        { query: 'SELECT * FROM issues WHERE project_id = $1', calls: 50_000, totalMs: 900_000 },
        { query: 'SELECT i.id, i.title FROM issues i JOIN projects p ON p.id = i.project_id WHERE p.tenant_id = $1', calls: 2_000, totalMs: 300_000 },
        { query: 'SELECT * FROM events WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 20', calls: 10_000, totalMs: 400_000 },
        // Slow per call but run twice: its index would save almost nothing of the workload's time.
        { query: "SELECT count(*) FROM issues WHERE created_at > now() - interval '1 day'", calls: 2, totalMs: 100 },
      ],
      { timeoutMs: 30_000, top: 20 },
    );
    expect(report.error).toBeUndefined();
    const tables = report.indexes.map((item) => `${item.index.table} (${item.index.columns.join(', ')})`);
    // One index on issues.project_id serves the first two statements: it is taken once.
    expect(tables.filter((label) => label.startsWith('issues (project_id')).length).toBe(1);
    expect(tables).toContain('events (tenant_id, created_at)');
    expect(tables.some((label) => label === 'issues (created_at)')).toBe(false);
    const projectIndex = report.indexes.find((item) => item.index.columns[0] === 'project_id')!;
    expect(report.statements[0].uses).toContain(projectIndex.name);
    expect(report.statements[1].uses).toContain(projectIndex.name);
    for (const statement of report.statements.slice(0, 3)) expect(statement.costAfter!).toBeLessThan(statement.costBefore! / 2);
    // Greedy by time saved: the first index saves the most.
    expect(report.indexes[0].savedMs).toBeGreaterThanOrEqual(report.indexes[report.indexes.length - 1].savedMs);
  }, 120_000);

  it('says how to enable pg_stat_statements when it is not installed', async () => {
    const report = await adviseWorkload(db, { timeoutMs: 30_000, top: 20 });
    expect(report.error).toBe(PG_STAT_STATEMENTS_MISSING);
  });
});
