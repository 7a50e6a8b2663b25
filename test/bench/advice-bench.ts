/**
 * Index advice on the workload fixture (test/fixtures/advice-workload, built on first use): the time
 * of adviseStatement per statement on a warm connection (each statement advised once before it is
 * timed), and the wall time of `pglens advise` on one statement against `pglens check` on an empty
 * file (node start-up and bundle load included).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PgDatabase } from '../../server/src/db/pg';
import { adviseStatement } from '../../server/src/indexes/advise';
import { loadSnapshot } from '../../server/src/schema/snapshot';
import { workloadDatabase } from '../fixtures/advice-workload/database';
import { WORKLOAD } from '../fixtures/advice-workload/queries';

export interface AdviceBenchResult {
  perStatement: number[];
  snapshotMs: number;
  adviseWallMs: number[];
  explainWallMs: number[];
  checkWallMs: number[];
  builtMs?: number;
}

export async function benchAdvice(serverUrl: string, cli: string): Promise<AdviceBenchResult> {
  const { url, builtMs } = await workloadDatabase(serverUrl);
  const db = await PgDatabase.connect({ config: { connectionString: url }, statementTimeoutMs: 30_000 });
  const perStatement: number[] = [];
  let snapshotMs = 0;
  try {
    for (const query of WORKLOAD) await adviseStatement(db, query.sql, { timeoutMs: 30_000 });
    for (let round = 0; round < 3; round++) {
      for (const query of WORKLOAD) {
        const start = performance.now();
        await adviseStatement(db, query.sql, { timeoutMs: 30_000 });
        perStatement.push(performance.now() - start);
      }
    }
    const start = performance.now();
    await loadSnapshot(db);
    snapshotMs = performance.now() - start;
  } finally {
    await db.close();
  }
  const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-advice-bench-')), 'empty.sql');
  fs.writeFileSync(empty, '');
  const wall = (args: string[]): number[] =>
    Array.from({ length: 5 }, () => {
      const start = performance.now();
      const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`pglens ${args[0]} failed: ${run.stderr}`);
      return performance.now() - start;
    });
  const statement = 'SELECT * FROM issues WHERE project_id = $1 ORDER BY created_at DESC LIMIT 20';
  return {
    perStatement,
    snapshotMs,
    adviseWallMs: wall(['advise', '--db', url, statement]),
    explainWallMs: wall(['explain', '--db', url, statement]),
    checkWallMs: wall(['check', '--no-schema', empty]),
    builtMs,
  };
}
