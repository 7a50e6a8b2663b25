import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../integration/database';
import { TEST_CACHE_DIR } from '../lsp/client';

const ROOT = path.join(__dirname, '../..');
const CLI = path.join(ROOT, 'bin/pglens.js');

interface JsonFinding {
  file: string;
  code: string;
  message: string;
  range: { start: { line: number; character: number } };
}

function pglens(args: string[], cwd = ROOT): { code: number | null; findings: JsonFinding[]; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, 'check', '--reporter', 'json', '--cache-dir', TEST_CACHE_DIR, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, findings: result.stdout ? (JSON.parse(result.stdout) as JsonFinding[]) : [], stderr: result.stderr };
}

/** Syntax and PostgreSQL's own findings (migration-safety rules are tested in test/rules and below). */
const summary = (findings: JsonFinding[]): string[] =>
  findings.filter((f) => f.code === 'syntax' || /^[0-9A-Z]{5}$/.test(f.code)).map((f) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.code} ${f.message}`);

/** The deliberate mistakes of examples/ (see examples/README.md): two syntax, three schema. */
const EXAMPLE_FINDINGS = [
  'examples/migrations/20240315090000_create_credit_notes.sql:9:42 42P01 relation "credit_note_reasons" does not exist',
  'examples/migrations/20240415090000_set_payment_defaults.sql:6:7 syntax syntax error at or near "TABEL"',
  'examples/queries/import_invoice_lines.sql:13:68 syntax syntax error at or near "quantity"',
  'examples/queries/invoice_writes.sql:29:13 42P01 relation "invoice_line" does not exist',
  'examples/queries/revenue_reports.sql:59:12 42703 column i.total_cents does not exist',
];

describe('pglens check with the embedded shadow', () => {
  it('replays the examples migrations and reports schema errors with SQLSTATE codes', () => {
    const result = pglens(['examples']);
    expect(result.code).toBe(1);
    expect(summary(result.findings)).toEqual(EXAMPLE_FINDINGS);
  });

  it('gives the same answer from the replay cache', () => {
    expect(summary(pglens(['examples']).findings)).toEqual(EXAMPLE_FINDINGS);
  });

  it('checks syntax only with --no-schema', () => {
    expect(summary(pglens(['--no-schema', 'examples']).findings).map((line) => line.split(' ')[1])).toEqual(['syntax', 'syntax']);
  });

  it('prints the schema the migrations produce with `pglens schema`', () => {
    const result = spawnSync(process.execPath, [CLI, 'schema', 'examples', '--cache-dir', TEST_CACHE_DIR], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    const snapshot = JSON.parse(result.stdout) as { source: string; tables: Array<{ schema: string; name: string; columns: Array<{ name: string }> }> };
    expect(snapshot.source).toBe('pglite');
    const invoices = snapshot.tables.find((table) => table.schema === 'public' && table.name === 'invoices');
    expect(invoices?.columns.map((column) => column.name)).toContain('amount_cents');
    expect(snapshot.tables.map((table) => `${table.schema}.${table.name}`)).toContain('audit.audit_log_2025');
  });

  it('flags the deliberate unsafe index in the examples with its rule', () => {
    const rules = pglens(['--no-schema', 'examples']).findings.filter((f) => !/^[0-9A-Z]{5}$|^syntax$/.test(f.code));
    expect(rules.map((f) => `${path.basename(f.file)}:${f.range.start.line + 1} ${f.code}`)).toContain('20240401090000_speed_up_collections.sql:5 require-concurrent-index-creation');
  });

  it('counts tables created by migrations added since --since REF as new', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-since-'));
    const git = (...args: string[]): void => void spawnSync('git', ['-C', directory, ...args], { encoding: 'utf8' });
    git('init', '-q');
    git('config', 'user.email', 'test@pglens.invalid');
    git('config', 'user.name', 'pglens test');
    fs.mkdirSync(path.join(directory, 'migrations'));
    fs.writeFileSync(path.join(directory, 'migrations/1_orders.sql'), 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n');
    git('add', '.');
    git('commit', '-qm', 'deployed');
    git('tag', 'deployed');
    fs.writeFileSync(path.join(directory, 'migrations/2_refunds.sql'), 'CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint);\n');
    fs.writeFileSync(path.join(directory, 'migrations/3_indexes.sql'), 'CREATE INDEX ON refunds (order_id);\nCREATE INDEX ON orders (customer_id);\n');
    const flagged = (args: string[]): string[] =>
      pglens(['--no-schema', ...args, directory]).findings.filter((f) => f.code === 'require-concurrent-index-creation').map((f) => `${path.basename(f.file)}:${f.range.start.line + 1}`);
    expect(flagged([])).toEqual(['3_indexes.sql:1', '3_indexes.sql:2']);
    expect(flagged(['--since', 'deployed'])).toEqual(['3_indexes.sql:2']);
    expect(pglens(['--no-schema', '--since', 'no-such-ref', directory]).code).toBe(2);
  });

  it('refuses --shadow server without --db', () => {
    const result = pglens(['--shadow', 'server', 'examples']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--shadow server needs --db/);
  });

  it('treats a folder of ordered .sql files as the migrations', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-plain-'));
    fs.mkdirSync(path.join(directory, 'migrations'));
    fs.writeFileSync(path.join(directory, 'migrations/1_users.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY);\n');
    fs.writeFileSync(path.join(directory, 'migrations/2_posts.sql'), 'CREATE TABLE posts (id bigint PRIMARY KEY, author bigint REFERENCES usr (id));\n');
    const result = pglens([directory]);
    const schema = result.findings.filter((f) => /^[0-9A-Z]{5}$/.test(f.code));
    expect(schema.map((f) => [path.basename(f.file), f.code, f.message])).toEqual([['2_posts.sql', '42P01', 'relation "usr" does not exist']]);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('pglens check against the real server', () => {
  const database = `pglens_test_cli_${process.pid}`;
  let admin: Client;
  let url: string;

  beforeAll(async () => {
    admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const target = new URL(TEST_DATABASE_URL!);
    target.pathname = `/${database}`;
    url = target.toString();
    const setup = new Client({ connectionString: url });
    await setup.connect();
    await setup.query('CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL); INSERT INTO accounts VALUES (1, $$a@example.com$$)');
    await setup.end();
  });

  afterAll(async () => {
    await admin?.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin?.end();
  });

  it('analyses query files against --db without running them', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-live-'));
    fs.writeFileSync(path.join(directory, 'report.sql'), 'SELECT id, emial FROM accounts;\nDELETE FROM accounts WHERE id = 1;\n');
    const result = pglens(['--db', url, directory]);
    const schema = result.findings.filter((f) => /^[0-9A-Z]{5}$/.test(f.code));
    expect(schema.map((f) => [f.code, f.message.split('\n')[0], f.range.start.character])).toEqual([['42703', 'column "emial" does not exist', 11]]);
  });

  it('never changed the live database', async () => {
    const check = new Client({ connectionString: url });
    await check.connect();
    const { rows } = await check.query('SELECT count(*)::int AS n FROM accounts');
    await check.end();
    expect(rows[0].n).toBe(1);
  });

  it('replays migrations into a scratch database on the server with --shadow server, and drops it', async () => {
    const result = pglens(['--db', url, '--shadow', 'server', 'examples/migrations']);
    expect(summary(result.findings)).toEqual(EXAMPLE_FINDINGS.filter((line) => line.startsWith('examples/migrations')));
    const { rows } = await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'pglens_shadow_%'");
    expect(rows).toEqual([]);
  });

  it('says clearly when the server cannot be reached', () => {
    const result = pglens(['--db', 'postgres://postgres@127.0.0.1:1/postgres', 'examples/queries']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("cannot use the database postgres@127.0.0.1:1: Cannot reach postgres@127.0.0.1:1: connection refused");
  });
});
