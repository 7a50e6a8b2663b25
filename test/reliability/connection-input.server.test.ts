/**
 * Issue #12, findings 4, 6 and 7 on the real server: a keyword DSN given to `--db` reaches the
 * server it names; the editor's generate-migration uses the live connection's own config (a socket
 * directory host and its user are kept); `--shadow server` leaves nothing behind in the cluster.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateForEditor } from '../../server/src/lsp/generate';
import { loadParser } from '../../server/src/sql/parser';
import { runPglens } from '../cli/run';
import { TEST_DATABASE_URL, connectTestDatabase } from '../integration/database';

const SOCKET_DIR = '/var/run/postgresql';
const suffix = randomBytes(4).toString('hex');
const database = `pglens_secrets_db_${suffix}`;
let admin: Client;
let work: string;

describe.skipIf(!TEST_DATABASE_URL)('connection input on the real server', () => {
  beforeAll(async () => {
    await loadParser();
    admin = await connectTestDatabase();
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = `/${database}`;
    const db = new Client({ connectionString: url.toString() });
    await db.connect();
    await db.query('CREATE TABLE drifted (id int PRIMARY KEY, note text)');
    await db.end();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-secrets-'));
  });

  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('finding 4: --db takes a keyword DSN, spaces around = and quoted values included', () => {
    const url = new URL(TEST_DATABASE_URL!);
    const dsn = `host = ${url.hostname} port=${url.port || 5432} user='${decodeURIComponent(url.username)}' dbname = '${database}'`;
    const schema = runPglens(work, ['schema', '--db', dsn, '--format', 'text']);
    expect(schema.stderr).toBe('');
    expect(schema.code).toBe(0);
    expect(schema.stdout).toContain('drifted');

    fs.writeFileSync(path.join(work, 'query.sql'), 'SELECT note FROM drifted;\nSELECT missing FROM drifted;\n');
    const check = runPglens(work, ['check', '--db', dsn, '--reporter', 'json', 'query.sql']);
    const findings = JSON.parse(check.stdout) as Array<{ code: string; message: string }>;
    expect(findings.map((finding) => finding.code)).toEqual(['42703']);
  });

  it('finding 6: generate-migration from drift keeps a socket-directory host, its port and user', async () => {
    fs.mkdirSync(path.join(work, 'migrations'), { recursive: true });
    fs.writeFileSync(path.join(work, 'migrations', '1_init.sql'), 'CREATE TABLE kept (id int);\n');
    const live = { host: SOCKET_DIR, port: Number(new URL(TEST_DATABASE_URL!).port || 5432), user: 'postgres', database, ssl: false as const };
    const drift = await generateForEditor({ uri: `file://${work}/migrations/1_init.sql`, mode: 'drift-capture' }, path.join(work, 'migrations'), {
      workspaceRoot: work,
      live,
      cacheDir: process.env.PGLENS_CACHE_DIR,
    });
    if (!drift.ok) throw new Error(drift.message);
    const sql = drift.files.map((file: { content: string }) => file.content).join('\n');
    // The drift is this database's: its table appears, the migrations' table goes.
    expect(sql).toMatch(/CREATE TABLE "public"\."drifted"/);
    expect(sql).toMatch(/DROP TABLE "public"\."kept"/);
  }, 120_000);

  it('finding 7: --shadow server refuses cluster-wide statements and leaves the cluster as it was', async () => {
    const role = `pglens_secrets_role_${suffix}`;
    const leak = `pglens_secrets_leak_${suffix}`;
    const folder = path.join(work, 'shadow');
    fs.mkdirSync(folder, { recursive: true });
    const cluster = [
      `CREATE ROLE ${role} SUPERUSER LOGIN;`,
      `ALTER ROLE postgres SET work_mem = '7MB';`,
      `ALTER DATABASE postgres SET work_mem = '7MB';`,
      'CREATE EXTENSION IF NOT EXISTS dblink;',
      `SELECT dblink_exec('host=127.0.0.1 user=postgres dbname=postgres', 'CREATE TABLE ${leak} (x int)');`,
      `DO $$ BEGIN EXECUTE 'CREATE ROLE ${role}_do'; END $$;`,
      'RESET ROLE;',
      `CREATE ROLE ${role}_after;`,
      `GRANT pg_read_server_files TO PUBLIC;`,
      'SELECT pg_reload_conf();',
    ];
    fs.writeFileSync(path.join(folder, '1_init.sql'), 'CREATE TABLE account (id int PRIMARY KEY);\n');
    fs.writeFileSync(
      path.join(folder, '2_cluster.sql'),
      [
        ...cluster,
        // Runs as the shadow's own role, not as the connecting superuser.
        `DO $$ BEGIN IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN RAISE EXCEPTION 'replayed as a superuser'; END IF; END $$;`,
        'CREATE TABLE ledger (id int REFERENCES account);',
      ].join('\n') + '\n',
    );
    const before = await clusterState();
    const run = runPglens(work, ['check', '--shadow', 'server', '--db', TEST_DATABASE_URL!, '--reporter', 'json', 'shadow']);
    const findings = JSON.parse(run.stdout) as Array<{ code: string; message: string; range: { start: { line: number } } }>;
    const refused = findings.filter((finding) => finding.code === 'pglens-shadow-refused');
    // Every line but CREATE EXTENSION, which runs (as the connecting user).
    expect(refused.map((finding) => finding.range.start.line)).toEqual(cluster.map((_, line) => line).filter((line) => !cluster[line].startsWith('CREATE EXTENSION')));
    expect(refused[0].message).toMatch(/^Not run in the server shadow: roles belong to the whole cluster\./);
    // Everything else replayed cleanly, as the scratch database's own role (dblink installed by the connecting user).
    expect(findings.filter((finding) => finding.code !== 'pglens-shadow-refused' && !finding.code.startsWith('pglens-') && /^[0-9A-Z]{5}$/.test(finding.code))).toEqual([]);
    expect(await clusterState()).toEqual(before);
    const left = await admin.query<{ name: string }>(
      `SELECT rolname AS name FROM pg_roles WHERE rolname LIKE $1 UNION ALL SELECT relname FROM pg_class WHERE relname = $2`,
      [`${role}%`, leak],
    );
    expect(left.rows).toEqual([]);
  }, 180_000);
});

/** What a replay must not change: role settings, pglens's own leftovers, and the databases that exist. */
async function clusterState(): Promise<unknown> {
  const settings = await admin.query('SELECT setdatabase, setrole, setconfig FROM pg_db_role_setting ORDER BY 1, 2');
  const scratch = await admin.query(`SELECT rolname FROM pg_roles WHERE rolname LIKE 'pglens\\_shadow\\_%' AND rolname IN (SELECT datname FROM pg_database) ORDER BY 1`);
  const publicGrants = await admin.query(`SELECT count(*)::int AS n FROM pg_auth_members WHERE member = 0`);
  return { settings: settings.rows, scratch: scratch.rows, publicGrants: publicGrants.rows };
}
