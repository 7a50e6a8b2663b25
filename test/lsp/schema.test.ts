import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosticRefreshRequest, DidChangeConfigurationNotification } from 'vscode-languageserver-protocol';
import { TestClient } from './client';

/** A workspace with plain ordered migrations and a query file, as a user would open it. */
function makeWorkspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-lsp-schema-'));
  const write = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('migrations/001_users.sql', 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n');
  write('migrations/002_orders.sql', 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), total_cents integer);\n');
  write('migrations/003_more.sql', "ALTER TABLE users ADD COLUMN email text;\nCREATE INDEX ON orders (totl_cents);\n");
  write('queries/report.sql', 'SELECT u.email, o.total FROM users u JOIN orders o ON o.user_id = u.id;\n');
  return root;
}

/** A language server on a fresh copy of the workspace for the enclosing describe, stopped after it. */
function serverOnWorkspace(options: { shadowStallMs?: number } = {}): { client: TestClient; root: string; uri: (file: string) => string } {
  const server = {
    client: undefined as unknown as TestClient,
    root: '',
    uri: (file: string): string => pathToFileURL(path.join(server.root, file)).href,
  };
  beforeAll(async () => {
    server.root = makeWorkspace();
    ({ client: server.client } = await TestClient.start(undefined, { folders: [server.root], ...options }));
  });
  afterAll(async () => {
    await server.client?.stop();
  });
  return server;
}

describe('schema diagnostics over LSP (embedded shadow)', () => {
  const server = serverOnWorkspace();
  const uri = (file: string): string => server.uri(file);
  let client: TestClient;
  let root: string;
  beforeAll(() => {
    ({ client, root } = server);
  });

  it('checks a migration against the schema of the migrations before it, with SQLSTATE codes', async () => {
    const file = 'migrations/003_more.sql';
    await client.open(uri(file), fs.readFileSync(path.join(root, file), 'utf8'));
    const diagnostics = (await client.diagnostics(uri(file))).filter((d) => /^[0-9A-Z]{5}$/.test(String(d.code)));
    expect(diagnostics.map((d) => [d.code, d.message, d.range.start.line, d.range.start.character, d.range.end.character])).toEqual([
      ['42701', 'column "email" of relation "users" already exists', 0, 29, 34],
      ['42703', 'column "totl_cents" does not exist', 1, 24, 34],
    ]);
  });

  it('checks other SQL files against the schema after all migrations', async () => {
    const file = 'queries/report.sql';
    await client.open(uri(file), fs.readFileSync(path.join(root, file), 'utf8'));
    const [diagnostic] = await client.diagnostics(uri(file));
    expect(diagnostic).toMatchObject({ code: '42703', message: 'column o.total does not exist', range: { start: { line: 0, character: 16 } } });
  });

  it('hovers a table with facts from the shadow and the migration that created it', async () => {
    const hover = await client.hover(uri('queries/report.sql'), { line: 0, character: 30 });
    const markdown = (hover?.contents as { value: string }).value;
    expect(markdown).toMatch(/\*\*table\*\* public\.users/);
    expect(markdown).toMatch(/\| email \| text \|/);
    expect(markdown).toMatch(/001_users\.sql/);
  });

  it('completes the columns of an alias from the shadow', async () => {
    const file = 'queries/draft.sql';
    await client.open(uri(file), 'SELECT o. FROM orders o;');
    const labels = (await client.completion(uri(file), { line: 0, character: 9 })).map((item) => item.label);
    expect(labels).toEqual(expect.arrayContaining(['id', 'user_id', 'total_cents']));
    expect(labels).not.toContain('email');
  });

  it('goes to the migration that created a table', async () => {
    const [location] = await client.definition(uri('queries/report.sql'), { line: 0, character: 47 });
    expect(location.uri).toBe(uri('migrations/002_orders.sql'));
    expect(location.range.start).toEqual({ line: 0, character: 13 });
  });

  it('re-checks against the edited text, not the disk', async () => {
    const file = 'migrations/003_more.sql';
    await client.change(uri(file), [{ range: { start: { line: 0, character: 29 }, end: { line: 0, character: 34 } }, text: 'phone' }]);
    const diagnostics = await client.diagnostics(uri(file));
    expect(diagnostics.map((d) => d.code).filter((code) => /^[0-9A-Z]{5}$/.test(String(code)))).toEqual(['42703']);
  });

  it('follows an edit of an earlier migration in later files', async () => {
    const first = 'migrations/001_users.sql';
    await client.open(uri(first), fs.readFileSync(path.join(root, first), 'utf8'));
    await client.change(uri(first), [{ range: { start: { line: 0, character: 13 }, end: { line: 0, character: 18 } }, text: 'people' }]);
    const diagnostics = await client.diagnostics(uri('migrations/003_more.sql'));
    expect(diagnostics[0]).toMatchObject({ code: '42P01', message: 'relation "users" does not exist' });
  });
});

describe('a statement that never ends in the embedded shadow', () => {
  const server = serverOnWorkspace({ shadowStallMs: 1500 });
  const uri = (file: string): string => server.uri(file);
  let client: TestClient;
  beforeAll(() => {
    ({ client } = server);
  });

  it('is stopped, reported on the statement, skipped afterwards, and the server keeps answering', async () => {
    const file = 'migrations/003_more.sql';
    const text = 'CREATE TABLE tags (id bigint PRIMARY KEY);\nDO $$ BEGIN LOOP PERFORM 1; END LOOP; END $$;\nCREATE INDEX ON tags (nme);\n';
    await client.open(uri(file), text);
    const first = await client.diagnostics(uri(file));
    expect(first.map((d) => [d.code, d.range.start.line])).toEqual([['shadow-timeout', 1]]);
    expect(first[0].message).toMatch(/stopped this statement after 1\.5 s/);
    // The next check skips the endless statement and checks the rest.
    const second = await client.diagnostics(uri(file));
    expect(second.map((d) => [d.code, d.range.start.line]).sort()).toEqual([
      ['42703', 2],
      ['shadow-timeout', 1],
    ]);
    expect(client.alive).toBe(true);
  });
});

describe('workspace diagnostics: the Problems view for files that are not open', () => {
  const server = serverOnWorkspace();
  const uri = (file: string): string => server.uri(file);
  let client: TestClient;
  beforeAll(() => {
    ({ client } = server);
  });

  it('reports every SQL file of the folder, with syntax and schema findings', async () => {
    const items = await client.workspaceDiagnostics();
    const schema = (codes: unknown[]): unknown[] => codes.filter((code) => /^[0-9A-Z]{5}$/.test(String(code)));
    const byFile = Object.fromEntries(items.map((item) => [item.uri, schema((item.items ?? []).map((d) => d.code))]));
    expect(byFile).toEqual({
      [uri('migrations/001_users.sql')]: [],
      [uri('migrations/002_orders.sql')]: [],
      [uri('migrations/003_more.sql')]: ['42701', '42703'],
      [uri('queries/report.sql')]: ['42703'],
    });
    // Closed migrations get the migration-safety rules too.
    const rules = items.find((item) => item.uri === uri('migrations/003_more.sql'))?.items?.map((d) => d.code);
    expect(rules).toContain('require-concurrent-index-creation');
  });

  it('answers "unchanged" for files whose content and schema did not change', async () => {
    const first = await client.workspaceDiagnostics();
    const second = await client.workspaceDiagnostics(first.map((item) => ({ uri: item.uri, value: item.resultId! })));
    expect(second.map((item) => item.kind)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });

  it('are refreshed by a settings change: workspace/diagnostic/refresh, then new results for the files not open', async () => {
    const rule = 'require-concurrent-index-creation';
    const codesOf = (items: Awaited<ReturnType<TestClient['workspaceDiagnostics']>>, file: string): unknown[] | undefined =>
      items.find((item) => item.uri === uri(file))?.items?.map((d) => d.code);
    const first = await client.workspaceDiagnostics();
    expect(codesOf(first, 'migrations/003_more.sql')).toContain(rule);
    const refreshed = new Promise<void>((resolve) => client.connection.onRequest(DiagnosticRefreshRequest.type, () => resolve()));
    client.settings = { rules: { [rule]: 'off' } };
    try {
      await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      await refreshed;
      const second = await client.workspaceDiagnostics(first.map((item) => ({ uri: item.uri, value: item.resultId! })));
      expect(second.map((item) => item.kind)).toEqual(['full', 'full', 'full', 'full']);
      expect(codesOf(second, 'migrations/003_more.sql')).toEqual(codesOf(first, 'migrations/003_more.sql')!.filter((code) => code !== rule));
    } finally {
      client.settings = {};
      await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    }
  });

  it('leaves open documents to the document pulls', async () => {
    await client.open(uri('queries/report.sql'), 'SELECT 1;');
    const items = await client.workspaceDiagnostics();
    expect(items.map((item) => item.uri)).not.toContain(uri('queries/report.sql'));
  });
});

describe('migration-safety rules and their quick fixes over LSP', () => {
  const server = serverOnWorkspace();
  const uri = (file: string): string => server.uri(file);
  let client: TestClient;
  let root: string;
  beforeAll(() => {
    ({ client, root } = server);
  });

  it('flags an index on an existing table and offers CONCURRENTLY as the preferred fix', async () => {
    const file = 'migrations/004_index.sql';
    const text = 'CREATE INDEX orders_user_id_idx ON orders (user_id);\n';
    fs.writeFileSync(path.join(root, file), text);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(file), type: 1 }] });
    await client.open(uri(file), text);
    // The server learns of the new migration from the file watcher, asynchronously: pull until it has.
    const finding = await client.until(async () => (await client.diagnostics(uri(file))).find((d) => d.code === 'require-concurrent-index-creation'));
    expect(finding?.severity).toBe(1);
    const actions = await client.codeActions(uri(file), finding!.range, [finding!]);
    const preferred = actions.find((action) => action.isPreferred);
    expect(preferred?.title).toBe('Create the index CONCURRENTLY (outside a transaction)');
    expect(preferred?.edit?.changes?.[uri(file)]).toEqual([{ range: { start: { line: 0, character: 12 }, end: { line: 0, character: 12 } }, newText: ' CONCURRENTLY' }]);
    expect(actions.map((action) => action.title)).toContain('Ignore require-concurrent-index-creation for this statement');
  });

  it('does not flag an index on a table created in the same file', async () => {
    const file = 'migrations/005_new.sql';
    const text = 'CREATE TABLE tags (id bigint PRIMARY KEY, name text);\nCREATE INDEX tags_name_idx ON tags (name);\n';
    fs.writeFileSync(path.join(root, file), text);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(file), type: 1 }] });
    await client.open(uri(file), text);
    expect((await client.diagnostics(uri(file))).filter((d) => d.code === 'require-concurrent-index-creation')).toEqual([]);
  });
});
