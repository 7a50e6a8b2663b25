/**
 * Every LSP request kind over stdio, with the language server connected to the real server, then the
 * server's own view of pglens's sessions: none idle in a transaction, none holding a lock. The first
 * diagnostics request of a query file used to deadlock the live connection inside its own read-only
 * transaction (finding 2), leaving the session idle in transaction for good.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import { CancellationTokenSource, DocumentDiagnosticRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import type { TextEdit } from 'vscode-languageserver-protocol/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionStatus, ExplainRequest } from '../../protocol/messages';
import { quoteIdent } from '../../server/src/sql/quote';
import { TEST_DATABASE_URL } from '../integration/database';
import { TestClient } from './client';

const QUERY = `SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.total > 10;
SELECT missing_column FROM orders;
SELECT pg_advisory_lock(77), count(*) FROM orders;
CREATE INDEX orders_total_idx ON orders (total);
`;

describe.skipIf(!TEST_DATABASE_URL)('LSP requests against the live server leave no session in a transaction or holding a lock', () => {
  const database = `pglens_test_lspsess_${randomBytes(6).toString('hex')}`;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-lsp-sessions-'));
  const file = path.join(root, 'report.sql');
  const uri = pathToFileURL(file).href;
  let admin: Client;
  let client: TestClient | undefined;

  beforeAll(async () => {
    admin = new Client({ connectionString: TEST_DATABASE_URL, application_name: 'pglens-tests' });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
    const target = new URL(TEST_DATABASE_URL as string);
    target.pathname = `/${database}`;
    const setup = new Client({ connectionString: target.toString(), application_name: 'pglens-tests' });
    await setup.connect();
    await setup.query(`CREATE TABLE customers (id int PRIMARY KEY, name text);
      CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id), total numeric);
      INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 100) g;
      INSERT INTO orders SELECT g, 1 + g % 100, g FROM generate_series(1, 1000) g; ANALYZE`);
    await setup.end();
    fs.writeFileSync(file, QUERY);
    ({ client } = await TestClient.start(undefined, { folders: [root] }));
    const status = (await client.connection.sendRequest('pglens/connect', { name: 'sessions', connectionString: target.toString() })) as ConnectionStatus;
    expect(status.state).toBe('connected');
  }, 60_000);

  afterAll(async () => {
    await client?.stop();
    await admin?.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    await admin?.end();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('diagnostics, hover, completion, code actions and their fixes, plans and cancellations', async () => {
    const lsp = client!;
    await lsp.open(uri, QUERY);
    const diagnostics = await lsp.diagnostics(uri);
    // The query check ran on the live database: PostgreSQL's own "column does not exist".
    expect(diagnostics.map((diagnostic) => diagnostic.code)).toContain('42703');
    for (let line = 0; line < 4; line++) {
      await lsp.hover(uri, { line, character: 2 });
      await lsp.completion(uri, { line, character: 10 });
      const actions = await lsp.codeActions(uri, { start: { line, character: 0 }, end: { line, character: 5 } }, diagnostics);
      for (const action of actions) {
        const edits = (action.edit?.changes?.[uri] ?? []) as TextEdit[];
        if (edits.length > 0) await lsp.change(uri, edits.map((edit) => ({ range: edit.range, text: edit.newText })));
      }
      for (const analyze of [false, true]) {
        await lsp.connection.sendRequest('pglens/explain', { uri, position: { line, character: 2 }, analyze } satisfies ExplainRequest.Params);
      }
    }
    const confirmed = (await lsp.connection.sendRequest('pglens/explain', { uri, text: 'SELECT pg_advisory_lock(77), count(*) FROM orders', analyze: true, confirmedWrites: true } satisfies ExplainRequest.Params)) as ExplainRequest.Result;
    expect(confirmed.ok && confirmed.analyzed).toBe(true);
    const source = new CancellationTokenSource();
    const cancelled = Promise.allSettled([
      lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 2 } }, source.token),
      lsp.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }, source.token),
    ]);
    source.cancel();
    await cancelled;
    await lsp.workspaceDiagnostics();
    await lsp.diagnostics(uri);

    const { rows } = await admin.query(
      `SELECT a.pid, a.state, a.query, l.locktype, l.mode FROM pg_stat_activity a LEFT JOIN pg_locks l ON l.pid = a.pid
        WHERE a.datname = $1 AND a.application_name = 'pglens' AND (a.state LIKE 'idle in transaction%' OR l.pid IS NOT NULL)`,
      [database],
    );
    expect(rows).toEqual([]);
    expect(((await lsp.connection.sendRequest('pglens/refreshSchema')) as ConnectionStatus).state).toBe('connected');
  });
});
