import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CreateFile, TextDocumentEdit } from 'vscode-languageserver-protocol';
import type { ConnectionStatus } from '../../protocol/messages';
import { PgDatabase } from '../../server/src/db/pg';
import type { Database } from '../../server/src/db/port';
import { quoteIdent } from '../../server/src/sql/quote';
import { TEST_DATABASE_URL } from '../integration/database';
import { TestClient } from './client';

/** The missing-index quick fix on the real server, verified with hypopg, written as a new migration. */
describe.skipIf(!TEST_DATABASE_URL)('missing-index quick fix with hypopg', () => {
  const scratch = `pglens_index_fix_${randomBytes(4).toString('hex')}`;
  let maintenance: Database;
  let db: Database;
  let client: TestClient;
  let root: string;
  let url: string;
  const query = 'SELECT id, total FROM orders WHERE customer_id = 42;\n';

  beforeAll(async () => {
    maintenance = await PgDatabase.connect({ config: { connectionString: TEST_DATABASE_URL } });
    await maintenance.exec(`CREATE DATABASE ${quoteIdent(scratch)}`);
    const target = new URL(TEST_DATABASE_URL!);
    target.pathname = `/${scratch}`;
    url = target.toString();
    db = await PgDatabase.connect({ config: { connectionString: url }, statementTimeoutMs: 60_000 });
    await db.exec(`CREATE EXTENSION hypopg;
      CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, total numeric NOT NULL);
      INSERT INTO orders SELECT g, g % 5000, g FROM generate_series(1, 200000) g;
      ANALYZE orders;`);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-index-fix-'));
    fs.mkdirSync(path.join(root, 'migrations'));
    fs.writeFileSync(path.join(root, 'migrations/0001_orders.sql'), 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, total numeric NOT NULL);\n');
    fs.writeFileSync(path.join(root, 'report.sql'), query);
    ({ client } = await TestClient.start(undefined, { folders: [root] }));
    const status = (await client.connection.sendRequest('pglens/connect', { name: 'scratch', connectionString: url })) as ConnectionStatus;
    expect(status.state).toBe('connected');
  }, 120_000);

  afterAll(async () => {
    await client?.stop();
    await db?.close();
    await maintenance?.exec(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`).catch(() => undefined);
    await maintenance?.close();
  });

  it('titles the fix with the planner\'s cost before and after, and writes CREATE INDEX CONCURRENTLY into a new migration', async () => {
    const uri = pathToFileURL(path.join(root, 'report.sql')).href;
    await client.open(uri, query);
    const actions = (await client.codeActions(uri, { start: { line: 0, character: 3 }, end: { line: 0, character: 3 } }, [])) as CodeAction[];
    const fix = actions.find((action) => action.title.startsWith('Create index on orders (customer_id)'));
    expect(fix?.title).toMatch(/^Create index on orders \(customer_id\): cost ([\d,.]+) → ([\d,.]+) \(new migration\)$/);
    const [, before, after] = /cost ([\d,.]+) → ([\d,.]+)/.exec(fix!.title)!.map((n) => Number(n.replace(/,/g, '')));
    expect(after).toBeLessThan(before / 10);

    const [create, edit] = fix!.edit!.documentChanges! as [CreateFile, TextDocumentEdit];
    expect(create.kind).toBe('create');
    expect(path.relative(root, new URL(create.uri).pathname)).toBe(path.join('migrations', '0002_add_orders_customer_id_idx.sql'));
    const content = (edit.edits[0] as { newText: string }).newText;
    expect(content).toMatch(/CREATE INDEX CONCURRENTLY "orders_customer_id_idx" ON "public"\."orders" \("customer_id"\)/);
    // Nothing was created on the database: neither a real index nor a leftover hypothetical one.
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'orders'`);
    expect(rows[0].n).toBe(1);

    // The statement it wrote runs on the server, and the planner then uses the index.
    const statement = /CREATE INDEX CONCURRENTLY[^;]+/.exec(content)![0];
    await db.exec(statement);
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.replace(/;\s*$/, '')}`);
    expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/orders_customer_id_idx/);
  });
});
