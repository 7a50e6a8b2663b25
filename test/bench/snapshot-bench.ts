/**
 * Schema snapshot benchmark: a scratch database with 10,000 tables (8 columns, a primary key, a
 * foreign key to the previous table and an index each), then the wall time of `loadSnapshot` (median
 * of 3 loads, each on a fresh connection, so the server backend starts with empty catalog caches as it
 * does when pglens connects), how much the server backend's resident memory grows during a load, and
 * the time of `readFingerprint` (median of 9). The scratch database is dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { PgDatabase } from '../../server/src/db/pg';
import { quoteIdent } from '../../server/src/sql/quote';
import { loadSnapshot, readFingerprint } from '../../server/src/schema/snapshot';

export interface SnapshotBenchResult {
  tables: number;
  /** Median wall time of loadSnapshot, milliseconds. */
  loadMs: number;
  /**
   * Largest growth of the loading backend's VmRSS over one load, MB; undefined when
   * /proc/<pid>/status cannot be read (server on another machine, or another user).
   */
  serverRssGrowthMb: number | undefined;
  /**
   * The private part of that growth (RssAnon: catalog caches, sort and hash memory), MB. The rest is
   * RssShmem, shared-buffer pages of the catalogs the backend touched, which costs no new memory.
   */
  serverPrivateGrowthMb?: number;
  /** Median wall time of readFingerprint, milliseconds. */
  fingerprintMs: number;
}

const TABLES = 10_000;
/** Tables per transaction: each creates ~5 relations whose locks are held until commit. */
const BATCH = 500;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** VmRSS and RssAnon of a process in kB, or undefined when /proc/<pid>/status cannot be read. */
function residentKb(pid: number): { rss: number; anon: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const rss = field('VmRSS');
    return Number.isNaN(rss) ? undefined : { rss, anon: field('RssAnon') };
  } catch {
    return undefined;
  }
}

function createTablesSql(from: number, to: number): string {
  return `DO $bench$
BEGIN
  FOR i IN ${from}..${to} LOOP
    EXECUTE format(
      'CREATE TABLE bench.t%s (
         id bigint PRIMARY KEY,
         prev_id bigint %s,
         name text NOT NULL,
         email varchar(200),
         amount numeric(12,2) NOT NULL DEFAULT 0,
         created_at timestamptz NOT NULL DEFAULT now(),
         active boolean,
         payload jsonb
       )',
      i, CASE WHEN i > 1 THEN format('REFERENCES bench.t%s (id)', i - 1) ELSE '' END);
    EXECUTE format('CREATE INDEX t%s_prev_id_idx ON bench.t%s (prev_id)', i, i);
  END LOOP;
END
$bench$`;
}

/** `alsoWith` runs more measures on the same 10,000-table database before it is dropped. */
export async function benchSnapshot(url: string, alsoWith?: (databaseUrl: string) => Promise<void>): Promise<SnapshotBenchResult> {
  const scratch = `pglens_bench_snapshot_${randomBytes(6).toString('hex')}`;
  const target = new URL(url);
  target.pathname = `/${scratch}`;
  const maintenance = new Client({ connectionString: url, application_name: 'pglens-bench' });
  await maintenance.connect();
  try {
    await maintenance.query(`CREATE DATABASE ${quoteIdent(scratch)}`);
    try {
      const setup = new Client({ connectionString: target.toString(), application_name: 'pglens-bench' });
      await setup.connect();
      try {
        await setup.query('CREATE SCHEMA bench');
        for (let from = 1; from <= TABLES; from += BATCH) await setup.query(createTablesSql(from, Math.min(TABLES, from + BATCH - 1)));
        await setup.query('ANALYZE');
      } finally {
        await setup.end();
      }

      const loads: number[] = [];
      const growths: Array<{ rss: number; anon: number } | undefined> = [];
      let tables = 0;
      for (let run = 0; run < 3; run++) {
        const db = await PgDatabase.connect({ config: { connectionString: target.toString() }, statementTimeoutMs: 60_000 });
        try {
          const { rows } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          const pid = rows[0].pid;
          const before = residentKb(pid);
          const start = performance.now();
          const snapshot = await loadSnapshot(db);
          loads.push(performance.now() - start);
          const after = residentKb(pid);
          growths.push(before === undefined || after === undefined ? undefined : { rss: (after.rss - before.rss) / 1024, anon: (after.anon - before.anon) / 1024 });
          tables = snapshot.tables.length;
        } finally {
          await db.close();
        }
      }

      const db = await PgDatabase.connect({ config: { connectionString: target.toString() } });
      const fingerprints: number[] = [];
      try {
        for (let run = 0; run < 9; run++) {
          const start = performance.now();
          await readFingerprint(db);
          fingerprints.push(performance.now() - start);
        }
      } finally {
        await db.close();
      }

      await alsoWith?.(target.toString());

      const measured = growths.filter((growth) => growth !== undefined);
      const result: SnapshotBenchResult = {
        tables,
        loadMs: median(loads),
        serverRssGrowthMb: measured.length > 0 ? Math.max(...measured.map((growth) => growth.rss)) : undefined,
        fingerprintMs: median(fingerprints),
      };
      const anon = measured.map((growth) => growth.anon).filter((value) => !Number.isNaN(value));
      if (anon.length > 0) result.serverPrivateGrowthMb = Math.max(...anon);
      return result;
    } finally {
      await maintenance.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`);
    }
  } finally {
    await maintenance.end();
  }
}
