/**
 * Every form a plan reaches pglens in, against PostgreSQL 15 itself: for each query of the capture set,
 * the server's own EXPLAIN in FORMAT JSON is the oracle, and the same query's TEXT, YAML and XML output
 * (and TEXT as people paste it: quoted by a grid, among prose and comments, as a fragment from `->`,
 * JSON in psql's cell with `+` marks and chatter around it, auto_explain's log entries in TEXT and JSON)
 * must read to the same tree. Needs PGLENS_TEST_DATABASE_URL (skipped without it; CI sets it).
 */
import type { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExplainResult, PlanNode } from '../../protocol/plan';
import { parsePlan } from '../../server/src/plans/parse';
import { connectTestDatabase, TEST_DATABASE_URL } from '../integration/database';
import { QUERIES, setupSql } from './capture-queries';
import { psqlFrame } from './capture.test';
import { comparePlans } from './compare';

const SCHEMA = `pglens_plans_formats_${process.pid}`;
/** Read-only queries (the writes are covered by the captured corpus); ANALYZE ones run once per format. */
const CASES = QUERIES.filter((query) => !query.rollback && query.only !== 'pglite');

const bare = (results: ExplainResult[]): unknown => JSON.parse(JSON.stringify(results, (key, value: unknown) => (key === 'pglens' ? undefined : value)));

/** A multi-line value in one psql cell: padded, with `+` where the value goes on. */
function psqlCell(text: string): string {
  const rows = text.split('\n');
  const width = Math.max(...rows.map((row) => row.length));
  return psqlFrame(rows.map((row, k) => (k < rows.length - 1 ? `${row.padEnd(width)} +` : row)));
}

describe.skipIf(!TEST_DATABASE_URL)('plan formats on PostgreSQL 15', () => {
  let client: Client;
  const explain = async (query: (typeof CASES)[number], format: string): Promise<string> => {
    await client.query('RESET ALL');
    await client.query(`SET search_path = ${SCHEMA}`);
    for (const setting of query.settings ?? []) await client.query(setting);
    const options = [query.options, `FORMAT ${format}`].filter(Boolean).join(', ');
    const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (${options}) ${query.sql}`);
    return rows.map((row) => (typeof row['QUERY PLAN'] === 'string' ? row['QUERY PLAN'] : JSON.stringify(row['QUERY PLAN'], null, 2))).join('\n');
  };

  beforeAll(async () => {
    client = await connectTestDatabase();
    await client.query('SET statement_timeout = 60000');
    await client.query(setupSql(SCHEMA));
  }, 120_000);
  afterAll(async () => {
    await client?.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await client?.end();
  });

  it.each(CASES.map((query) => [query.name, query] as const))('%s: TEXT, YAML, XML and pasted TEXT read as the JSON', async (_name, query) => {
    await explain(query, 'TEXT'); // warm-up: the first run sets hint bits and loads pages, the next ones agree
    const inputs: Array<[string, (text: string, json: string) => string, string]> = [
      ['YAML', (text) => text, 'YAML'],
      ['XML', (text) => text, 'XML'],
      ['XML with a declaration', (xml) => `<?xml version="1.0"?>\n${xml}\n`, 'XML'],
      ['TEXT', (text) => text, 'TEXT'],
      ['single-quoted lines', (text) => text.split('\n').map((row) => `'${row}'`).join('\n'), 'TEXT'],
      ['pgAdmin CSV', (text) => ['"QUERY PLAN"', ...text.split('\n').map((row) => `"${row.replace(/"/g, '""')}"`)].join('\n'), 'TEXT'],
      ['prose and comments around psql output', (text) => `Hi all, this got slow after the upgrade:\n\n# EXPLAIN ANALYZE ...\n-- on production\n${psqlFrame(text.split('\n'))}\nTime: 12.345 ms\nAny idea?`, 'TEXT'],
      ['JSON in a psql cell with text around', (json) => `I ran it in psql:\n${psqlCell(json)}\nThanks!`, 'JSON'],
    ];
    for (const [label, paste, format] of inputs) {
      // Parallel workers and buffers differ from run to run on a busy server: a mismatch is retried twice.
      let differences: string[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const oracle = bare(parsePlan(await explain(query, 'JSON')));
        differences = comparePlans(bare(parsePlan(paste(await explain(query, format), ''))), oracle);
        if (differences.length === 0) break;
      }
      expect(differences, label).toEqual([]);
    }
  }, 120_000);

  it('reads a fragment copied from a `->` line as that subtree', async () => {
    const query = CASES.find((item) => item.name === 'buffers-join')!;
    const [json] = parsePlan(await explain(query, 'JSON'));
    const rows = (await explain(query, 'TEXT')).split('\n');
    const first = rows.findIndex((row) => row.trim().startsWith('->'));
    const indent = rows[first].indexOf('->');
    const end = rows.findIndex((row, k) => k > first && row.trim() !== '' && row.search(/\S/) <= indent && !row.trim().startsWith('->'));
    const fragment = rows.slice(first, end < 0 ? undefined : end).filter((row, k) => k === 0 || row.search(/\S/) > indent);
    const [result] = parsePlan(fragment.join('\n'));
    const subtree: PlanNode = { ...json.Plan.Plans![0] };
    delete subtree['Parent Relationship'];
    expect(comparePlans(bare([{ Plan: result.Plan }]), bare([{ Plan: subtree }]))).toEqual([]);
    expect((result.Plan.Plans ?? []).length).toBeGreaterThan(0);
  });

  it.each(['text', 'json'])('reads auto_explain log entries (%s) as EXPLAIN gives the same statements', async (format) => {
    const queries = CASES.filter((item) => ['estimate-only', 'initplan', 'subplan'].includes(item.name));
    const notices: string[] = [];
    const listener = (notice: { message?: string }): void => void notices.push(`2026-12-02 10:00:00.000 UTC [4242] LOG:  ${notice.message ?? ''}`);
    client.on('notice', listener);
    try {
      await client.query("LOAD 'auto_explain'");
      for (const query of queries) {
        await client.query(`SET search_path = ${SCHEMA}`);
        await client.query(`SET auto_explain.log_min_duration = 0; SET auto_explain.log_level = notice; SET auto_explain.log_format = ${format}`);
        await client.query(query.sql);
        await client.query('SET auto_explain.log_min_duration = -1');
      }
    } finally {
      client.off('notice', listener);
    }
    const log = notices.filter((line) => line.includes('plan:')).join('\n2026-12-02 10:00:00.001 UTC [4242] LOG:  statement: SELECT 1\n');
    const results = parsePlan(log);
    expect(results).toHaveLength(queries.length);
    for (const [k, query] of queries.entries()) {
      const oracle = bare(parsePlan(await explain({ ...query, options: '' }, 'JSON')));
      const ours = bare([results[k]]) as Array<Record<string, unknown>>;
      expect(String(ours[0]['Query Text'])).toContain(query.sql.slice(0, 30));
      delete ours[0]['Query Text'];
      expect(comparePlans(ours, oracle), query.name).toEqual([]);
    }
  }, 60_000);
});
