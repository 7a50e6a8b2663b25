/**
 * The canary: every adversarial input of corpus.json goes through every path by which pglens reaches a
 * live database without the user's confirmation (`pglens check --db`, `explain --db --analyze` (which falls back to
 * the plain plan), `schema --db`, `diff`, and the language server's diagnostics, workspace diagnostics, hover,
 * completion, code actions with their quick fixes applied, plan requests and cancellations), against a
 * scratch database created here. A checksum of its catalog, every table's rows, sequences, large
 * objects, prepared transactions and role settings must be the same afterwards, no file may appear
 * where COPY … TO PROGRAM would have made one, and no pglens session may be left idle in a
 * transaction or holding a lock.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import { CancellationTokenSource, DocumentDiagnosticRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import type { CodeAction, Position, TextEdit } from 'vscode-languageserver-protocol/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionStatus, ExplainRequest } from '../../protocol/messages';
import { runCli } from '../../server/src/cli/main';
import { quoteIdent, quoteLiteral } from '../../server/src/sql/quote';
import { loadParser } from '../../server/src/sql/parser';
import { splitStatements } from '../../server/src/sql/splitter';
import { runPglens } from '../cli/run';
import { TEST_DATABASE_URL } from '../integration/database';
import { TestClient } from '../lsp/client';

interface Corpus {
  payloads: string[];
  wrappers: string[];
  suffix: string;
  inputs: string[];
}

const corpus = JSON.parse(fs.readFileSync(path.join(__dirname, 'corpus.json'), 'utf8')) as Corpus;

/** The corpus with its placeholders filled in for this run. */
export function canaryInputs(values: { db: string; dblink: string; marker: string }): string[] {
  const fill = (text: string): string => text.replace(/\{db\}/g, quoteIdent(values.db)).replace(/\{dblink\}/g, values.dblink.replace(/'/g, "''")).replace(/\{marker\}/g, values.marker);
  const combined = corpus.wrappers.flatMap((wrapper) => corpus.payloads.map((payload) => wrapper.replace('{payload}', payload) + corpus.suffix));
  return [...combined, ...corpus.inputs].map(fill);
}

const SETUP = `
CREATE TABLE items (id bigserial PRIMARY KEY, name text NOT NULL, price numeric NOT NULL DEFAULT 0, begin int, atomic int);
CREATE TABLE audit (note text);
INSERT INTO items (name, price) SELECT 'item ' || g, g FROM generate_series(1, 200) g;
CREATE FUNCTION touch() RETURNS int LANGUAGE plpgsql VOLATILE AS $$
BEGIN INSERT INTO audit VALUES ('touched'); UPDATE items SET price = price + 1; RETURN 1; END $$;
CREATE FUNCTION touch_row(i items) RETURNS int LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit VALUES ('row ' || i.id); RETURN 1; END $$;
CREATE PROCEDURE wipe() LANGUAGE sql AS $$ DELETE FROM items $$;
CREATE VIEW touched AS SELECT touch() AS t;
CREATE DOMAIN audited AS int CHECK (touch() = 1);
SELECT lo_from_bytea(0, 'a large object');
ANALYZE items;
`;

/** Everything the canary watches, as one text: equal before and after, or the test shows what moved. */
async function databaseState(db: Client): Promise<string> {
  const parts: string[] = [];
  const one = async (label: string, sql: string): Promise<void> => {
    const { rows } = await db.query<{ v: string | null }>(sql);
    parts.push(`${label}: ${rows[0]?.v ?? ''}`);
  };
  const user = "NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";
  await one('relations', `SELECT string_agg(n.nspname || '.' || c.relname || ':' || c.relkind::text || ':' || c.relnatts || ':' || coalesce(c.relacl::text, '') || ':' || coalesce(d.description, ''), ',' ORDER BY 1) AS v
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_description d ON d.objoid = c.oid AND d.objsubid = 0 WHERE n.nspname ${user} AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'`);
  await one('columns', `SELECT string_agg(c.relname || '.' || a.attname || ':' || a.atttypid, ',' ORDER BY 1) AS v FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname ${user} AND n.nspname NOT LIKE 'pg_%temp%' AND a.attnum > 0`);
  await one('functions', `SELECT string_agg(p.proname || ':' || md5(p.prosrc) || ':' || p.provolatile::text, ',' ORDER BY 1) AS v FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname ${user}`);
  await one('types', `SELECT string_agg(t.typname, ',' ORDER BY 1) AS v FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname ${user} AND n.nspname NOT LIKE 'pg_%temp%'`);
  await one('namespaces', `SELECT string_agg(nspname, ',' ORDER BY 1) AS v FROM pg_namespace WHERE nspname NOT LIKE 'pg_%temp%'`);
  await one('extensions', `SELECT string_agg(extname || ':' || extversion, ',' ORDER BY 1) AS v FROM pg_extension`);
  await one('large objects', `SELECT string_agg(m.oid || ':' || md5(lo_get(m.oid)), ',' ORDER BY 1) AS v FROM pg_largeobject_metadata m`);
  await one('prepared transactions', `SELECT string_agg(gid, ',' ORDER BY 1) AS v FROM pg_prepared_xacts WHERE database = current_database() OR gid LIKE 'pglens_canary%'`);
  await one(
    'role settings',
    `SELECT string_agg(s.setdatabase || ':' || s.setrole || ':' || array_to_string(s.setconfig, ';'), ',' ORDER BY 1) AS v FROM pg_db_role_setting s
      WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()) OR (s.setdatabase = 0 AND s.setrole = (SELECT oid FROM pg_roles WHERE rolname = current_user))`,
  );
  await one('database', `SELECT datname || ':' || coalesce(datacl::text, '') AS v FROM pg_database WHERE datname = current_database()`);
  const relations = await db.query<{ name: string; relkind: string }>(
    `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name, c.relkind::text AS relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'S') AND n.nspname ${user} AND n.nspname NOT LIKE 'pg_%temp%' ORDER BY 1`,
  );
  for (const { name, relkind } of relations.rows) {
    await one(name, relkind === 'S' ? `SELECT last_value || ':' || is_called AS v FROM ${name}` : `SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS v FROM ${name} t`);
  }
  return parts.join('\n');
}

describe.skipIf(!TEST_DATABASE_URL)('the canary: adversarial input through every path that reaches the live database', () => {
  const database = `pglens_canary_${randomBytes(6).toString('hex')}`;
  const marker = path.join(os.tmpdir(), `${database}.marker`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-canary-'));
  let admin: Client;
  let watcher: Client;
  let url = '';
  let inputs: string[] = [];
  let before = '';
  let client: TestClient | undefined;
  const files: string[] = [];

  /** pglens's sessions on the canary database that are in a transaction or hold any lock. */
  const leftovers = async (): Promise<unknown[]> =>
    (
      await admin.query(
        `SELECT a.pid, a.state, a.query, l.locktype, l.mode FROM pg_stat_activity a LEFT JOIN pg_locks l ON l.pid = a.pid
          WHERE a.datname = $1 AND a.application_name = 'pglens' AND (a.state LIKE 'idle in transaction%' OR l.pid IS NOT NULL)`,
        [database],
      )
    ).rows;

  beforeAll(async () => {
    await loadParser();
    admin = new Client({ connectionString: TEST_DATABASE_URL, application_name: 'pglens-tests' });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
    const target = new URL(TEST_DATABASE_URL as string);
    target.pathname = `/${database}`;
    url = target.toString();
    watcher = new Client({ connectionString: url, application_name: 'pglens-tests' });
    await watcher.connect();
    const { rows } = await watcher.query<{ available: boolean }>("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'dblink') AS available");
    if (rows[0].available) await watcher.query('CREATE EXTENSION dblink');
    await watcher.query(SETUP);
    const dblink = `host=${target.hostname} port=${target.port || 5432} dbname=${database} user=${decodeURIComponent(target.username || 'postgres')}`;
    inputs = canaryInputs({ db: database, dblink, marker });
    fs.mkdirSync(path.join(root, 'queries'));
    inputs.forEach((sql, k) => {
      const file = path.join(root, 'queries', `canary-${String(k).padStart(3, '0')}.sql`);
      fs.writeFileSync(file, sql);
      files.push(file);
    });
    before = await databaseState(watcher);
  }, 120_000);

  afterAll(async () => {
    await client?.stop().catch(() => undefined);
    await watcher?.end().catch(() => undefined);
    await admin?.query(`SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]).catch(() => undefined);
    await admin?.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    await admin?.query(`SELECT 1 FROM pg_prepared_xacts WHERE gid LIKE 'pglens_canary%'`);
    await admin?.end();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(marker, { force: true });
  });

  const unchanged = async (): Promise<void> => {
    expect(await databaseState(watcher)).toBe(before);
    expect(fs.existsSync(marker)).toBe(false);
    expect(await leftovers()).toEqual([]);
  };

  it('holds at least 200 adversarial inputs', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(200);
    expect(inputs.filter((sql) => sql.includes('\r')).length).toBeGreaterThan(0);
  });

  it('pglens check --db on every input leaves the database unchanged', async () => {
    // Files, not their folder: a folder of .sql files alone would count as migrations, replayed in the shadow.
    const result = runPglens(root, ['check', '--db', url, '--reporter', 'json', ...files.map((file) => path.relative(root, file))]);
    expect(result.code, result.stderr).not.toBeNull();
    expect(result.stderr).not.toMatch(/TypeError|ReferenceError|at .*\.js:\d+/);
    await unchanged();
    // The query check really ran against the database: a missing table or column is PostgreSQL's 42P01/42703.
    expect(result.stdout).toMatch(/42P01|42703|42883/);
  }, 600_000);

  it('pglens explain --db --analyze without --yes on every input leaves the database unchanged', async () => {
    // --analyze covers plain EXPLAIN too: what is not proven read-only falls back to the plan alone.
    let analyzed = 0;
    for (const file of files) {
      let out = '';
      const code = await runCli(['explain', '--db', url, '--timeout-ms', '2000', '--analyze', '-f', file], { stdout: (text) => (out += text), stderr: () => undefined });
      if (code === 0 && /actual time=/.test(out)) analyzed++;
    }
    // Some inputs are proven read-only and really analyzed; the rest were refused or planned only.
    expect(analyzed).toBeGreaterThan(0);
    await unchanged();
  }, 900_000);

  it('pglens schema --db and diff against the database leave it unchanged', async () => {
    const schema = runPglens(root, ['schema', '--db', url, '--format', 'json']);
    expect(schema.code, schema.stderr).toBe(0);
    const all = path.join(root, 'all.sql');
    fs.writeFileSync(all, inputs.join(';\n'));
    const diff = runPglens(root, ['diff', '--from', url, '--to', all]);
    expect(diff.code, diff.stderr).not.toBeNull();
    expect(diff.stderr).not.toMatch(/TypeError|ReferenceError/);
    await unchanged();
  }, 600_000);

  it('every LSP request on every input, with the language server connected, leaves the database and sessions clean', async () => {
    ({ client } = await TestClient.start(undefined, { folders: [root] }));
    const lsp = client;
    const status = (await lsp.connection.sendRequest('pglens/connect', { name: 'canary', connectionString: url })) as ConnectionStatus;
    expect(status.state).toBe('connected');
    const uriOf = (file: string): string => pathToFileURL(file).href;
    const positionAt = (text: string, offset: number): Position => {
      const before = text.slice(0, offset).split(/\r\n|\r|\n/);
      return { line: before.length - 1, character: before[before.length - 1].length };
    };
    let diagnosed = 0;
    for (const file of files) {
      const uri = uriOf(file);
      const text = fs.readFileSync(file, 'utf8');
      await lsp.open(uri, text);
      const diagnostics = await lsp.diagnostics(uri);
      if (diagnostics.some((diagnostic) => /^(42|22)/.test(String(diagnostic.code)))) diagnosed++;
      await lsp.completion(uri, positionAt(text, text.length));
      const actions: CodeAction[] = await lsp.codeActions(uri, { start: { line: 0, character: 0 }, end: positionAt(text, text.length) }, diagnostics);
      for (const action of actions) {
        const edits = (action.edit?.changes?.[uri] ?? []) as TextEdit[];
        if (edits.length === 0) continue;
        await lsp.change(uri, [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character).map((edit) => ({ range: edit.range, text: edit.newText })));
        await lsp.diagnostics(uri);
        break; // the edit moved the text: the other actions' ranges are stale
      }
      for (const segment of splitStatements(text).filter((candidate) => candidate.kind === 'statement')) {
        const start = positionAt(text, segment.start);
        await lsp.hover(uri, { line: start.line, character: start.character + 1 });
        for (const analyze of [false, true]) {
          const params: ExplainRequest.Params = { uri, position: { line: start.line, character: start.character + 1 }, analyze };
          await lsp.connection.sendRequest('pglens/explain', params);
        }
      }
      // Cancelled mid-request: a hover and a diagnostics pull, cancelled as soon as they are sent.
      const source = new CancellationTokenSource();
      const cancelled = Promise.allSettled([
        lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 1 } }, source.token),
        lsp.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }, source.token),
      ]);
      source.cancel();
      await cancelled;
    }
    await lsp.workspaceDiagnostics();
    await lsp.connection.sendRequest('pglens/explain', { uri: uriOf(files[0]), text: 'SELECT count(*) FROM items', analyze: true } satisfies ExplainRequest.Params);
    expect(lsp.alive).toBe(true);
    // The query check reached the database (PostgreSQL's own errors came back) and stayed connected.
    expect(diagnosed).toBeGreaterThan(0);
    expect(((await lsp.connection.sendRequest('pglens/refreshSchema')) as ConnectionStatus).state).toBe('connected');
    await unchanged();
  }, 1_800_000);

  it('the role settings and the marker are really watched: a change made outside pglens shows up', async () => {
    await watcher.query(`ALTER ROLE CURRENT_USER IN DATABASE ${quoteIdent(database)} SET work_mem = ${quoteLiteral('3MB')}`);
    await watcher.query(`INSERT INTO audit VALUES ('outside')`);
    const after = await databaseState(watcher);
    expect(after).not.toBe(before);
    expect(after).toMatch(/role settings: \d+:\d+:work_mem=3MB/);
  });
});
