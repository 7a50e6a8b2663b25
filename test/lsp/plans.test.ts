import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionStatus, ExplainRequest, ParsePlanRequest } from '../../protocol/messages';
import { PgDatabase } from '../../server/src/db/pg';
import type { Database } from '../../server/src/db/port';
import { quoteIdent } from '../../server/src/sql/quote';
import { TEST_DATABASE_URL } from '../integration/database';
import { databaseChecksum, safetySetup, sideEffectStatements } from '../explain/safety';
import { TestClient } from './client';

const markdownOf = (hover: unknown): string => ((hover as { contents?: { value?: string } } | null)?.contents?.value ?? '');

/** Position of the `n`th occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string, n = 0): { line: number; character: number } {
  let at = -1;
  for (let k = 0; k <= n; k++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length + 1 };
}

describe('plans over LSP on the embedded shadow', () => {
  let client: TestClient;
  let root: string;
  const uri = (file: string): string => pathToFileURL(path.join(root, file)).href;
  const query = "SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = 'a@b.c';\nDROP TABLE orders;\nINSERT INTO users (email) VALUES ('x');\n";

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-lsp-plans-'));
    fs.mkdirSync(path.join(root, 'migrations'));
    fs.mkdirSync(path.join(root, 'queries'));
    fs.writeFileSync(path.join(root, 'migrations/001_users.sql'), 'CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);\n');
    fs.writeFileSync(path.join(root, 'migrations/002_orders.sql'), 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\n');
    fs.writeFileSync(path.join(root, 'queries/report.sql'), query);
    ({ client } = await TestClient.start(undefined, { folders: [root] }));
    await client.open(uri('queries/report.sql'), query);
  });

  afterAll(async () => {
    await client?.stop();
  });

  it('hovers the leading keyword with the plan, says the estimates come from empty tables, and links the visualizer', async () => {
    const markdown = markdownOf(await client.hover(uri('queries/report.sql'), { line: 0, character: 2 }));
    expect(markdown).toMatch(/^\*\*Plan\*\* · cost [\d.,]+ · \d+ rows · embedded shadow \(PostgreSQL 18\.\d+\)/);
    expect(markdown).toMatch(/Join/);
    expect(markdown).toMatch(/on orders o/);
    expect(markdown).toMatch(/their? tables are empty|tables are empty/);
    expect(markdown).toMatch(/\[Open plan\]\(command:pglens\.explainStatement\?/);
  });

  it('does not plan DDL, and shows column facts, not a plan, on names', async () => {
    expect(await client.hover(uri('queries/report.sql'), { line: 1, character: 2 })).toBeNull();
    expect(markdownOf(await client.hover(uri('queries/report.sql'), positionOf(query, 'email')))).not.toMatch(/\*\*Plan\*\*/);
  });

  it('asks before EXPLAIN ANALYZE of an INSERT, and parses pasted plans', async () => {
    const params: ExplainRequest.Params = { uri: uri('queries/report.sql'), position: { line: 2, character: 3 }, analyze: true };
    const response = (await client.connection.sendRequest('pglens/explain', params)) as ExplainRequest.Result;
    expect(response).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    const confirmed = (await client.connection.sendRequest('pglens/explain', { ...params, confirmedWrites: true })) as ExplainRequest.Result;
    expect(confirmed.ok && confirmed.results[0].Plan['Node Type']).toBe('ModifyTable');
    expect(confirmed.ok && confirmed.results[0].pglens?.analyzed).toBe(true);

    const text = 'Seq Scan on users  (cost=0.00..25.88 rows=6 width=40)\n  Filter: (email = \'a\'::text)';
    const parsed = (await client.connection.sendRequest('pglens/parsePlan', { text } satisfies ParsePlanRequest.Params)) as ParsePlanRequest.Result;
    expect(parsed.ok && parsed.results[0].Plan).toMatchObject({ 'Node Type': 'Seq Scan', 'Relation Name': 'users', Filter: "(email = 'a'::text)" });
    const garbage = (await client.connection.sendRequest('pglens/parsePlan', { text: 'hello world' })) as ParsePlanRequest.Result;
    expect(garbage.ok).toBe(false);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('plans over LSP on the live PostgreSQL server', () => {
  const schema = `pglens_lsp_plans_${randomBytes(4).toString('hex')}`;
  let admin: Database;
  let client: TestClient;
  const uri = pathToFileURL(path.join(os.tmpdir(), `${schema}.sql`)).href;

  beforeAll(async () => {
    admin = await PgDatabase.connect({ config: { connectionString: TEST_DATABASE_URL } });
    await admin.exec(safetySetup(schema));
    ({ client } = await TestClient.start());
    const status = (await client.connection.sendRequest('pglens/connect', { name: 'test', connectionString: TEST_DATABASE_URL })) as ConnectionStatus;
    expect(status.state).toBe('connected');
  }, 60_000);

  afterAll(async () => {
    await client?.stop();
    await admin?.exec(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`).catch(() => undefined);
    await admin?.close();
  });

  it('hovering and explaining statements with side effects leaves the database unchanged', async () => {
    const statements = sideEffectStatements(schema);
    const text = statements.map((statement) => `${statement};`).join('\n');
    await client.open(uri, text);
    const before = await databaseChecksum(admin, schema);
    let plans = 0;
    for (let line = 0; line < statements.length; line++) {
      if (markdownOf(await client.hover(uri, { line, character: 1 })).startsWith('**Plan** · cost')) plans++;
      await client.connection.sendRequest('pglens/explain', { uri, position: { line, character: 1 } });
      await client.connection.sendRequest('pglens/explain', { uri, position: { line, character: 1 }, analyze: true });
      await client.connection.sendRequest('pglens/explain', { uri, text: statements[line], analyze: true });
    }
    expect(await databaseChecksum(admin, schema)).toBe(before);
    // Every plannable one was planned: the SELECTs, DML, SELECT INTO, FOR UPDATE, the $n statements.
    expect(plans).toBe(13);
  });

  it('hovers with the live server as the source, with hints from real row counts', async () => {
    const sql = `SELECT * FROM ${quoteIdent(schema)}.items WHERE name = 'item 7'`;
    const other = uri.replace(/\.sql$/, '-2.sql');
    await client.open(other, sql);
    const markdown = markdownOf(await client.hover(other, { line: 0, character: 1 }));
    expect(markdown).toMatch(/^\*\*Plan\*\* · cost [\d.,]+ · 1 rows · PostgreSQL 1\d\.\d+ · /);
    expect(markdown).toMatch(/Seq Scan on items/);
    expect(markdown).not.toMatch(/tables are empty/);
  });
});
