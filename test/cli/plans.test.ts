import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, runPglens } from './run';
import { TEST_DATABASE_URL } from '../integration/database';
import { TEST_CACHE_DIR } from '../lsp/client';

let workspace: string;
const pglens = (...args: string[]): ReturnType<typeof runPglens> => runPglens(workspace, args);

beforeAll(() => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-cli-plans-'));
  fs.mkdirSync(path.join(workspace, 'migrations'));
  fs.writeFileSync(
    path.join(workspace, 'migrations/001_init.sql'),
    'CREATE TABLE customers (id bigint PRIMARY KEY, name text);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id), total numeric);\n',
  );
  // A plan as psql prints it, frame and all.
  fs.writeFileSync(
    path.join(workspace, 'plan.txt'),
    [
      '                                                   QUERY PLAN',
      '----------------------------------------------------------------------------------------------------------------',
      ' Seq Scan on orders  (cost=0.00..18334.00 rows=50 width=20) (actual time=0.020..61.700 rows=48 loops=1)',
      '   Filter: (customer_id = 42)',
      '   Rows Removed by Filter: 999952',
      ' Planning Time: 0.100 ms',
      ' Execution Time: 61.800 ms',
      '(5 rows)',
      '',
    ].join('\n'),
  );
});

describe('pglens plan', () => {
  it('reads a psql-framed TEXT plan and prints the tree with figures and the index hint', () => {
    const { code, stdout } = pglens('plan', 'plan.txt');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^cost 18,334 · 50 rows \(estimated\) · 61\.800 ms\nSeq Scan on orders {2}\(cost 18,334, rows 50, actual 48 × 1, 100\.0% of time\)/);
    expect(stdout).toMatch(/Hints:\n {2}warning {2}.*orders/);
  });

  it('prints JSON in PostgreSQL key names with pglens figures under extra keys', () => {
    const { code, stdout } = pglens('plan', 'plan.txt', '--format', 'json');
    expect(code).toBe(0);
    const [result] = JSON.parse(stdout) as Array<{ Plan: Record<string, unknown>; 'Execution Time': number; pglens: { hints: Array<{ kind: string; index?: { table: string; columns: string[] } }> } }>;
    expect(result.Plan).toMatchObject({ 'Node Type': 'Seq Scan', 'Relation Name': 'orders', 'Rows Removed by Filter': 999952, pglens: { id: 0 } });
    expect(result['Execution Time']).toBe(61.8);
    expect(result.pglens.hints.find((hint) => hint.index)?.index).toMatchObject({ table: 'orders', columns: ['customer_id'] });
  });

  it('writes the visualizer as one standalone HTML file, with the plan inside and nothing fetched', () => {
    const { code, stdout } = pglens('plan', 'plan.txt', '--format', 'html', '--theme', 'dark');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^<!DOCTYPE html>/);
    expect(stdout).toContain('data-pglens-theme="dark"');
    expect(stdout).toContain("default-src 'none'");
    expect(stdout).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });

  it('says clearly what is wrong with a file that is not a plan', () => {
    fs.writeFileSync(path.join(workspace, 'junk.txt'), 'hello\nworld\n');
    const junk = pglens('plan', 'junk.txt');
    expect(junk.code).toBe(1);
    expect(junk.stderr).toMatch(/^pglens plan: junk\.txt(:\d+)?: not a plan pglens can read: /);
    expect(pglens('plan', 'missing.txt')).toMatchObject({ code: 2, stderr: 'pglens plan: cannot read missing.txt: ENOENT\n' });
    expect(pglens('plan', 'plan.txt', '--format', 'svg').code).toBe(2);
  });
});

describe('pglens explain', () => {
  it('plans a query against the migrations replayed when there is no --db', () => {
    const result = spawnSync(process.execPath, [CLI, 'explain', '--cache-dir', TEST_CACHE_DIR, 'SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id'], { cwd: workspace, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Join {2}\(cost=/);
  });

  it('refuses several statements and DDL, and asks for --yes before analyzing a data change', () => {
    expect(pglens('explain', '--cache-dir', TEST_CACHE_DIR, 'SELECT 1; DROP TABLE orders')).toMatchObject({ code: 2, stderr: 'pglens explain: EXPLAIN takes exactly one statement; this text holds 2.\n' });
    const insert = pglens('explain', '--cache-dir', TEST_CACHE_DIR, '--analyze', "INSERT INTO customers VALUES (1, 'a')");
    expect(insert.code).toBe(2);
    expect(insert.stderr).toMatch(/Pass --yes to run it in a transaction that is rolled back\.\n$/);
    const confirmed = pglens('explain', '--cache-dir', TEST_CACHE_DIR, '--analyze', '--yes', '--format', 'json', "INSERT INTO customers VALUES (1, 'a')");
    expect(confirmed.code).toBe(0);
    expect((JSON.parse(confirmed.stdout) as Array<{ Plan: { 'Actual Rows': number } }>)[0].Plan['Actual Rows']).toBe(0);
  });

  it.skipIf(!TEST_DATABASE_URL)('explains on --db, and reports a missing table as PostgreSQL does (exit 1)', () => {
    const ok = pglens('explain', '--db', TEST_DATABASE_URL!, '--analyze', 'SELECT count(*) FROM pg_class');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Aggregate {2}\(cost=.*\(actual time=/);
    const missing = pglens('explain', '--db', TEST_DATABASE_URL!, 'SELECT * FROM no_such_table_here');
    expect(missing).toMatchObject({ code: 1, stderr: 'pglens explain: relation "no_such_table_here" does not exist\n' });
  });
});
