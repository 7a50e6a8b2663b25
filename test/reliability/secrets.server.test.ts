/**
 * Issue #12, finding 5: no password is ever shown. Every error path of the CLI and of the language
 * server runs with passwords in every form (URL, URL with an empty user, `?password=`, keyword DSN
 * with spaces around `=` and quoted values, PGPASSWORD), and all output, logs, statuses and the
 * cache directory are searched for any piece of them.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionConfig } from '../../protocol/messages';
import { CLI } from '../cli/run';
import { TEST_DATABASE_URL, connectTestDatabase } from '../integration/database';
import { TestClient } from '../lsp/client';

const suffix = randomBytes(4).toString('hex');
const role = `pglens_secrets_pw_${suffix}`;
/** The right password and a wrong one: spaces, quotes, `@`, `:` and `/`, so every quoting path is taken. */
const RIGHT = `Xq7${suffix} s3cr3t'pw@:/`;
const WRONG = `Wr0ng${suffix} pw'X7@:`;
/** Any of these in any output is a leak (each password's words apart, as a half-redacted value shows one). */
const PIECES = [`Xq7${suffix}`, "s3cr3t'pw", `Wr0ng${suffix}`, "pw'X7", encodeURIComponent("s3cr3t'pw"), encodeURIComponent("pw'X7")];

const dsnQuote = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const enc = encodeURIComponent;

let admin: Client;
let work: string;
let cacheDir: string;
let host: string;
let port: string;
const transcripts: Array<{ what: string; text: string }> = [];

function leaks(text: string): string[] {
  return PIECES.filter((piece) => text.includes(piece));
}

/** Runs the built CLI with `env` on top of a clean environment, and keeps what it printed. */
function pglens(what: string, args: string[], env: Record<string, string> = {}): { code: number | null; out: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: work, PGLENS_CACHE_DIR: cacheDir, ...env },
  });
  const out = `${result.stdout}\n${result.stderr}`;
  transcripts.push({ what, text: out });
  return { code: result.status, out };
}

describe.skipIf(!TEST_DATABASE_URL)('no password is ever shown', () => {
  beforeAll(async () => {
    admin = await connectTestDatabase();
    const url = new URL(TEST_DATABASE_URL!);
    host = url.hostname;
    port = url.port || '5432';
    await admin.query("SET password_encryption = 'scram-sha-256'");
    await admin.query(`CREATE ROLE ${role} LOGIN CREATEDB PASSWORD '${RIGHT.replace(/'/g, "''")}'`);
    // Members of pglens_needs_password must give a password on 127.0.0.1 (scripts/e2e/password-role.sh).
    await admin.query(`GRANT pglens_needs_password TO ${role}`);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-secrets-'));
    cacheDir = path.join(work, 'cache');
    fs.mkdirSync(path.join(work, 'migrations'));
    fs.writeFileSync(path.join(work, 'migrations', '1_init.sql'), 'CREATE TABLE account (id int PRIMARY KEY);\n');
    fs.writeFileSync(path.join(work, 'query.sql'), 'SELECT 1 AS one;\n');
    fs.writeFileSync(path.join(work, 'schema.sql'), 'CREATE TABLE account (id int PRIMARY KEY, name text);\n');
  });

  afterAll(async () => {
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('the CLI shows none on any error path, nor on success', () => {
    const url = (password: string, user = role, database = 'postgres'): string => `postgres://${enc(user)}:${enc(password)}@${host}:${port}/${database}`;
    const dsn = (password: string, extra = ''): string => `host=${host} port = ${port} user=${role} password = ${dsnQuote(password)} dbname=postgres ${extra}`;
    const missing = `pglens_secrets_nodb_${suffix}`;

    // [what, args, env, expected exit code]
    const runs: Array<[string, string[], Record<string, string>, number]> = [
      ['check: wrong password (URL)', ['check', '--db', url(WRONG), 'query.sql'], {}, 2],
      ['check: wrong password (DSN, spaces, quotes)', ['check', '--db', dsn(WRONG), 'query.sql'], {}, 2],
      ['check: wrong password (?password=)', ['check', '--db', `postgresql://${role}@${host}:${port}/postgres?password=${enc(WRONG)}`, 'query.sql'], {}, 2],
      ['check: wrong PGPASSWORD', ['check', '--db', `host=${host} port=${port} user=${role} dbname=postgres`, 'query.sql'], { PGPASSWORD: WRONG }, 2],
      ['check: host down, empty user', ['check', '--db', `postgres://:${enc(WRONG)}@127.0.0.1:1/postgres`, 'query.sql'], {}, 2],
      ['check: bad port in a URL', ['check', '--db', `postgres://${role}:${enc(RIGHT)}@${host}:notaport/postgres`, 'query.sql'], {}, 2],
      ['check: bad percent-encoding', ['check', '--db', `postgres://${role}:${enc(RIGHT)}%zz@${host}/postgres`, 'query.sql'], {}, 2],
      ['check: several hosts', ['check', '--db', `host=a,b user=${role} password=${dsnQuote(RIGHT)}`, 'query.sql'], {}, 2],
      ['check: unknown sslmode', ['check', '--db', dsn(RIGHT, 'sslmode=sometimes'), 'query.sql'], {}, 2],
      ['check: unterminated quote', ['check', '--db', `host=${host} password='${RIGHT}`, 'query.sql'], {}, 2],
      ['check: database missing', ['check', '--db', dsn(RIGHT).replace('dbname=postgres', `dbname=${missing}`), 'query.sql'], {}, 2],
      ['check: --shadow server, wrong password', ['check', '--shadow', 'server', '--db', dsn(WRONG), '.'], {}, 2],
      ['schema: wrong password', ['schema', '--db', url(WRONG)], {}, 2],
      ['schema: wrong password (DSN)', ['schema', '--db', dsn(WRONG)], {}, 2],
      ['explain: wrong password', ['explain', 'SELECT 1', '--db', dsn(WRONG)], {}, 2],
      ['explain: host down', ['explain', 'SELECT 1', '--db', url(WRONG).replace(`${host}:${port}`, '127.0.0.1:1')], {}, 2],
      ['diff: --from DSN, --to missing', ['diff', '--from', dsn(RIGHT), '--to', 'nothing-here.sql'], {}, 2],
      ['diff: --from missing, --to URL', ['diff', '--from', 'nothing-here.sql', '--to', url(RIGHT)], {}, 2],
      ['diff: --from wrong password', ['diff', '--from', url(WRONG), '--to', 'schema.sql'], {}, 2],
      ['diff: --to wrong password (DSN)', ['diff', '--from', 'schema.sql', '--to', dsn(WRONG)], {}, 2],
      ['diff: --shadow-url wrong password', ['diff', '--from', 'migrations', '--to', 'schema.sql', '--shadow-url', dsn(WRONG)], {}, 2],
      ['diff: --from a broken DSN', ['diff', '--from', `host=${host} password=${dsnQuote(RIGHT)} port=x`, '--to', 'schema.sql'], {}, 2],
      // Successes print nothing secret either (the target is `database@host:port`).
      ['check: right password (DSN)', ['check', '--db', dsn(RIGHT), 'query.sql'], {}, 0],
      ['check: --shadow server, right password', ['check', '--shadow', 'server', '--db', url(RIGHT), '.'], {}, 0],
      ['explain: right password', ['explain', 'SELECT 1', '--db', url(RIGHT)], {}, 0],
      ['diff: from the database', ['diff', '--from', dsn(RIGHT).replace('dbname=postgres', 'dbname=template1'), '--to', 'schema.sql', '--no-verify'], {}, 0],
    ];
    const problems: string[] = [];
    for (const [what, args, env, expected] of runs) {
      const { code, out } = pglens(what, args, env);
      if (code !== expected) problems.push(`${what}: exit ${code}, expected ${expected}:\n${out}`);
      if (leaks(out).length > 0) problems.push(`${what} leaks ${leaks(out).join(', ')}:\n${out}`);
    }
    expect(problems).toEqual([]);
    // The messages say what went wrong (so the paths above are the error paths they claim to be).
    const said = (what: string): string => transcripts.find((transcript) => transcript.what === what)?.text ?? '';
    expect(said('check: wrong password (URL)')).toContain(`Password authentication failed for user "${role}" on postgres@${host}:${port}`);
    expect(said('check: several hosts')).toContain('Several hosts');
    expect(said('check: database missing')).toContain(`Database "${missing}" does not exist`);
    expect(said('diff: --from DSN, --to missing')).toContain('nothing-here.sql: no such file or folder');
  }, 600_000);

  it('the language server shows none in its logs, statuses and answers', async () => {
    const { client } = await TestClient.start(undefined, { folders: [work], cacheDir });
    const seen: string[] = [];
    client.connection.onNotification('window/logMessage', (params: { message: string }) => void seen.push(params.message));
    client.connection.onNotification('pglens/status', (params: unknown) => void seen.push(JSON.stringify(params)));
    client.connection.onNotification('window/showMessage', (params: { message: string }) => void seen.push(params.message));
    try {
      const configs: ConnectionConfig[] = [
        { name: 'url', connectionString: `postgres://${role}:${enc(WRONG)}@${host}:${port}/postgres` },
        { name: 'empty user', connectionString: `postgres://:${enc(WRONG)}@127.0.0.1:1/postgres` },
        { name: 'dsn', connectionString: `host=${host} port=${port} user=${role} password = ${dsnQuote(WRONG)} dbname=postgres` },
        { name: 'fields', host, port: Number(port), user: role, database: 'postgres', password: WRONG },
        { name: 'bad port', connectionString: `postgres://${role}:${enc(RIGHT)}@${host}:notaport/postgres` },
        { name: 'bad sslmode', connectionString: `host=${host} user=${role} password=${dsnQuote(RIGHT)} sslmode=sometimes` },
        { name: 'right', connectionString: `host=${host} port=${port} user=${role} password=${dsnQuote(RIGHT)} dbname=template1` },
      ];
      const statuses: Array<{ state: string; error?: string }> = [];
      for (const config of configs) {
        const status = (await client.connection.sendRequest('pglens/connect', config)) as { state: string; error?: string };
        statuses.push(status);
        seen.push(JSON.stringify(status));
      }
      expect(statuses.map((status) => status.state)).toEqual(['error', 'error', 'error', 'error', 'error', 'error', 'connected']);
      // Connected with a password: drift generation and a refresh log nothing secret either.
      const generated = await client.connection.sendRequest('pglens/generateMigration', { uri: `file://${work}/query.sql`, mode: 'drift-capture' });
      seen.push(JSON.stringify(generated));
      seen.push(JSON.stringify(await client.connection.sendRequest('pglens/refreshSchema')));
      seen.push(JSON.stringify(await client.connection.sendRequest('pglens/disconnect')));
    } finally {
      await client.stop();
    }
    const everything = [...seen, client.stderr].join('\n');
    expect(everything).toContain(`Password authentication failed for user "${role}"`);
    expect(leaks(everything)).toEqual([]);
  }, 300_000);

  it('the cache directory holds none', () => {
    const files: string[] = [];
    const visit = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) visit(full);
        else if (entry.isFile()) files.push(full);
      }
    };
    if (fs.existsSync(cacheDir)) visit(cacheDir);
    // The CLI's --shadow server and the language server's replay both ran; their caches (if any) are here.
    const leaking = files.filter((file) => leaks(fs.readFileSync(file).toString('latin1')).length > 0);
    expect(leaking).toEqual([]);
  });
});
