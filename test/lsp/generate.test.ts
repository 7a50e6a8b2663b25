import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { ConnectionStatus, GenerateMigrationRequest } from '../../protocol/messages';
import { PgDatabase } from '../../server/src/db/pg';
import type { Database } from '../../server/src/db/port';
import { quoteIdent } from '../../server/src/sql/quote';
import { TEST_DATABASE_URL } from '../integration/database';
import { describeVerification } from '../../server/src/lsp/generate';
import { TestClient } from './client';

describe('Generate migration over LSP (the right-click command)', () => {
  let client: TestClient;
  let root: string;
  const uri = (file: string): string => pathToFileURL(path.join(root, file)).href;
  const generate = (params: GenerateMigrationRequest.Params): Promise<GenerateMigrationRequest.Result> => client.connection.sendRequest('pglens/generateMigration', params);

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-lsp-generate-'));
    fs.mkdirSync(path.join(root, 'db/migrations'), { recursive: true });
    fs.writeFileSync(path.join(root, 'db/migrations/20240101000000_users.sql'), '-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, name text);\n\n-- migrate:down\nDROP TABLE users;\n');
    fs.writeFileSync(
      path.join(root, 'schema.sql'),
      'CREATE TABLE users (id bigint PRIMARY KEY, full_name text, email text NOT NULL);\nCREATE INDEX users_email_idx ON users (email);\nCOMMENT ON TABLE users IS \'People\';\n',
    );
    ({ client } = await TestClient.start(undefined, { folders: [root] }));
  });

  afterAll(async () => {
    await client?.stop();
  });

  it('offers the look-alike column as a rename, and writes nothing itself', async () => {
    const result = await generate({ uri: uri('schema.sql'), mode: 'schema' });
    if (!result.ok) throw new Error(result.message);
    expect(result.format).toBe('dbmate');
    // Best match first; `name` → `email` is a weaker candidate the user is asked about only if the first is refused.
    expect(result.renameCandidates[0]).toMatchObject({ kind: 'column', from: 'name', to: 'full_name', table: 'public.users' });
    expect(result.hazards.some((hazard) => /name/.test(hazard))).toBe(true);
    expect(result.files.length).toBeGreaterThan(0);
    expect(fs.readdirSync(path.join(root, 'db/migrations'))).toHaveLength(1);
  });

  it('with the rename confirmed: a verified dbmate migration with up and down, safe forms, the remaining hazard listed', async () => {
    const result = await generate({ uri: uri('schema.sql'), mode: 'schema', renames: [{ kind: 'column', table: 'public.users', from: 'name', to: 'full_name' }] });
    if (!result.ok) throw new Error(result.message);
    expect(result.verification).toMatch(/^passed/);
    expect(result.hazards).toEqual(['lock public.users.email: NOT NULL without a default fails when the table has rows']);
    for (const file of result.files) {
      expect(path.dirname(file.path)).toBe(path.join(root, 'db/migrations'));
      expect(path.basename(file.path)).toMatch(/^\d{14}_[a-z0-9_]+\.sql$/);
      expect(file.content).toMatch(/^-- migrate:up/);
      expect(file.content).toMatch(/\n-- migrate:down/);
    }
    const all = result.files.map((file) => file.content).join('\n');
    expect(all).toMatch(/RENAME COLUMN "name" TO "full_name"/);
    // dbmate runs each file in a transaction unless told otherwise: the concurrent index gets a file that says so.
    expect(result.files.find((file) => /CREATE INDEX CONCURRENTLY/.test(file.content))?.content).toMatch(/^-- migrate:up transaction:false/);
  });

  it('asks for a connection before diffing against the database', async () => {
    const result = await generate({ uri: uri('schema.sql'), mode: 'drift-capture' });
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/^Connect to a database first/) });
  });
});

describe('the verification line the editor shows', () => {
  const phase = { status: 'passed' as const, leftover: [] };
  const timings = { buildMs: 1, upMs: 1, downMs: 1, totalMs: 3 };
  it('says what failed: the statement PostgreSQL rejected, or what still differs', () => {
    const rejected = describeVerification({ status: 'failed', up: { status: 'failed', leftover: [], error: { statement: 'ALTER TABLE "t" ADD "x" int', message: 'relation "t" does not exist' } }, down: { status: 'not verified', leftover: [] }, shadow: 'embedded', notes: [], timings });
    expect(rejected).toBe('failed: up: relation "t" does not exist (in: ALTER TABLE "t" ADD "x" int)');
    const leftover = describeVerification({ status: 'failed', up: phase, down: { status: 'failed', leftover: ['create index public.t_x_idx'] }, shadow: 'embedded', notes: [], timings });
    expect(leftover).toBe('failed: down: still differs: create index public.t_x_idx');
    expect(describeVerification({ status: 'passed', up: phase, down: phase, shadow: 'embedded', notes: ['Data was not checked.'], timings })).toBe('passed (Data was not checked.)');
  });
});

describe.skipIf(!TEST_DATABASE_URL)('Generate migration from database drift, over LSP, on the live server', () => {
  const scratch = `pglens_drift_${randomBytes(4).toString('hex')}`;
  let maintenance: Database;
  let client: TestClient;
  let root: string;
  const migration = 'CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);\n';

  beforeAll(async () => {
    maintenance = await PgDatabase.connect({ config: { connectionString: TEST_DATABASE_URL } });
    await maintenance.exec(`CREATE DATABASE ${quoteIdent(scratch)}`);
    const target = new URL(TEST_DATABASE_URL!);
    target.pathname = `/${scratch}`;
    // The database drifted: someone added a column and an index by hand.
    const db = await PgDatabase.connect({ config: { connectionString: target.toString() } });
    await db.exec(`${migration}ALTER TABLE accounts ADD COLUMN plan text DEFAULT 'free';\nCREATE INDEX accounts_plan_idx ON accounts (plan);`);
    await db.close();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-lsp-drift-'));
    fs.mkdirSync(path.join(root, 'migrations'));
    fs.writeFileSync(path.join(root, 'migrations/001_accounts.sql'), migration);
    ({ client } = await TestClient.start(undefined, { folders: [root] }));
    const status = (await client.connection.sendRequest('pglens/connect', { name: 'drift', connectionString: target.toString() })) as ConnectionStatus;
    expect(status.state).toBe('connected');
  }, 60_000);

  afterAll(async () => {
    await client?.stop();
    await maintenance?.exec(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`).catch(() => undefined);
    await maintenance?.close();
  });

  const generate = (mode: GenerateMigrationRequest.Params['mode']): Promise<GenerateMigrationRequest.Result> =>
    client.connection.sendRequest('pglens/generateMigration', { uri: pathToFileURL(path.join(root, 'migrations')).href, mode });

  it('captures the changes made on the database as a migration, verified', async () => {
    const result = await generate('drift-capture');
    if (!result.ok) throw new Error(result.message);
    expect(result.verification).toMatch(/^passed/);
    expect(result.hazards).toEqual([]);
    const all = result.files.map((file) => file.content).join('\n');
    expect(all).toMatch(/ALTER TABLE "public"\."accounts" ADD COLUMN "plan" text DEFAULT 'free'::text/);
    expect(all).toMatch(/CREATE INDEX CONCURRENTLY accounts_plan_idx ON public\.accounts USING btree \(plan\)/);
  });

  it('or brings the database in line with the migrations, listing the drop as a hazard', async () => {
    const result = await generate('drift-apply');
    if (!result.ok) throw new Error(result.message);
    expect(result.hazards.some((hazard) => /public\.accounts\.plan/.test(hazard))).toBe(true);
    expect(result.files.map((file) => file.content).join('\n')).toMatch(/ALTER TABLE "public"\."accounts" DROP COLUMN "plan"/);
  });
});
