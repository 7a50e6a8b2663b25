/**
 * Faults and TLS against a PostgreSQL cluster this file starts (temp-cluster.ts): the shared server is
 * never restarted or reconfigured. One cluster for both parts; they run one after the other.
 *
 * Faults, through the real language server over stdio: its session killed (pg_terminate_backend),
 * the server restarted, the network stalled (a local proxy stops forwarding bytes). Each time the
 * status says what happened, the server process stays up, and it reconnects by itself.
 * TLS: sslmode disable, prefer, require, verify-ca and verify-full, each checked in pg_stat_ssl, with
 * the certificate's host name mismatch failing verify-full only, and an unknown CA failing both verify modes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionConfig, ConnectionStatus } from '../../protocol/messages';
import { fromTransferable, openDatabase, toTransferable } from '../../server/src/connection/open';
import { resolveInput } from '../../server/src/connection/resolve';
import { runPglens } from '../cli/run';
import { TEST_DATABASE_URL } from '../integration/database';
import { generateForEditor } from '../../server/src/lsp/generate';
import { loadParser } from '../../server/src/sql/parser';
import { TestClient } from '../lsp/client';
import { startStallProxy } from './stall-proxy';
import type { StallProxy } from './stall-proxy';
import { startTempCluster } from './temp-cluster';
import type { TempCluster } from './temp-cluster';

let cluster: TempCluster;

// With the real-server suites (CI sets PGLENS_TEST_DATABASE_URL, and has PostgreSQL's binaries and openssl).
const enabled = Boolean(TEST_DATABASE_URL);

beforeAll(async () => {
  await loadParser();
  if (enabled) cluster = await startTempCluster();
}, 120_000);

afterAll(() => cluster?.stop());

/** Real files, but no ~/.postgresql/root.crt and no PG* variables: only what each test names. */
const RESOLVE = { env: {}, homedir: '/nonexistent', username: 'postgres' };

describe.skipIf(!enabled)('TLS modes against a cluster with ssl=on and a CA made here', () => {
  /** Connects with `dsn` and says whether the session is encrypted, or the error's message. */
  async function sslOf(dsn: string): Promise<boolean | string> {
    let db;
    try {
      db = await openDatabase(resolveInput(dsn, RESOLVE));
    } catch (error) {
      return (error as Error).message;
    }
    try {
      const { rows } = await db.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      return rows[0].ssl;
    } finally {
      await db.close();
    }
  }
  const dsn = (host: string, rest: string): string => `host=${host} port=${cluster.port} user=postgres dbname=postgres ${rest}`;

  it('disable, prefer and require: plain, then encrypted without verification', async () => {
    expect(await sslOf(dsn('127.0.0.1', 'sslmode=disable'))).toBe(false);
    expect(await sslOf(dsn('127.0.0.1', 'sslmode=prefer'))).toBe(true);
    expect(await sslOf(dsn('127.0.0.1', 'sslmode=require'))).toBe(true);
    // require does not verify: an unrelated CA given as sslrootcert turns it into verify-ca (libpq), which fails.
    expect(await sslOf(dsn('127.0.0.1', `sslmode=require sslrootcert=${cluster.otherCaFile}`))).toMatch(/certificate of postgres@127\.0\.0\.1:\d+ is not trusted/);
  });

  it('verify-ca checks the CA and not the host name; verify-full checks both', async () => {
    expect(await sslOf(dsn('127.0.0.1', `sslmode=verify-ca sslrootcert=${cluster.caFile}`))).toBe(true);
    expect(await sslOf(dsn('127.0.0.1', `sslmode=verify-full sslrootcert=${cluster.caFile}`))).toMatch(/does not match the host name \(sslmode=verify-full\)/);
    expect(await sslOf(dsn('localhost', `sslmode=verify-full sslrootcert=${cluster.caFile}`))).toBe(true);
    for (const mode of ['verify-ca', 'verify-full']) {
      expect(await sslOf(dsn('localhost', `sslmode=${mode} sslrootcert=${cluster.otherCaFile}`))).toMatch(/is not trusted \(unknown CA\)/);
    }
    // sslrootcert=system: the platform's CAs, which do not include ours.
    expect(await sslOf(dsn('localhost', 'sslmode=verify-full sslrootcert=system'))).toMatch(/is not trusted/);
    // No CA at all: verify-* says which file it needs.
    expect(await sslOf(dsn('localhost', 'sslmode=verify-ca'))).toMatch(/sslmode=verify-ca needs the CA certificate/);
  });

  it('generate-migration connects with the live TLS settings as they are (verify-full stays verify-full)', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-tls-'));
    try {
      fs.mkdirSync(path.join(work, 'migrations'));
      fs.writeFileSync(path.join(work, 'migrations', '1_init.sql'), 'CREATE TABLE kept (id int);\n');
      const drift = (host: string) =>
        generateForEditor({ uri: `file://${work}/migrations/1_init.sql`, mode: 'drift-capture', renames: [] }, work, {
          workspaceRoot: work,
          live: resolveInput(dsn(host, `sslmode=verify-full sslrootcert=${cluster.caFile}`), RESOLVE).config,
        });
      // The certificate names localhost: by 127.0.0.1, verify-full must refuse (a URL rebuilt with sslmode=require would not).
      expect(await drift('127.0.0.1')).toMatchObject({ ok: false, message: expect.stringMatching(/does not match the host name/) });
      expect(await drift('localhost')).toMatchObject({ ok: true });
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);

  it('a verify-ca config crosses to the shadow worker thread and still skips only the host check', async () => {
    const config = resolveInput(dsn('127.0.0.1', `sslmode=verify-ca sslrootcert=${cluster.caFile}`), RESOLVE).config;
    expect(() => structuredClone(config)).toThrow();
    const crossed = fromTransferable(structuredClone(toTransferable(config)));
    const db = await openDatabase({ config: crossed, target: 'crossed' });
    await db.close();
    const full = resolveInput(dsn('127.0.0.1', `sslmode=verify-full sslrootcert=${cluster.caFile}`), RESOLVE).config;
    await expect(openDatabase({ config: fromTransferable(structuredClone(toTransferable(full))), target: 'full' })).rejects.toThrow(/does not match the host name/);
  });

  it('the CLI takes the same settings from a keyword DSN or a URL', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-tls-'));
    try {
      const full = runPglens(work, ['schema', '--format', 'text', '--db', dsn('localhost', `sslmode=verify-full sslrootcert=${cluster.caFile}`)]);
      expect(full.stderr).toBe('');
      expect(full.code).toBe(0);
      const mismatch = runPglens(work, ['schema', '--db', `postgres://postgres@127.0.0.1:${cluster.port}/postgres?sslmode=verify-full&sslrootcert=${encodeURIComponent(cluster.caFile)}`]);
      expect(mismatch.code).toBe(2);
      expect(mismatch.stderr).toContain('does not match the host name');
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!enabled)('faults survived by the language server', () => {
  let client: TestClient;
  const statuses: ConnectionStatus[] = [];
  let proxy: StallProxy;

  beforeAll(async () => {
    ({ client } = await TestClient.start());
    client.connection.onNotification('pglens/status', (status: ConnectionStatus) => void statuses.push(status));
    proxy = await startStallProxy(cluster.port);
  }, 60_000);

  afterAll(async () => {
    await client?.stop();
    await proxy?.close();
  });

  /** Waits (at most 60 s) for a status after index `from` that satisfies `predicate`. */
  async function statusAfter(from: number, predicate: (status: ConnectionStatus) => boolean): Promise<ConnectionStatus> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const found = statuses.slice(from).find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such status; saw ${JSON.stringify(statuses.slice(from))}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function connect(port: number): Promise<void> {
    const config: ConnectionConfig = {
      name: 'temp cluster',
      connectionString: `host=127.0.0.1 port=${port} user=postgres dbname=postgres sslmode=disable connect_timeout=2`,
      pollIntervalMs: 300,
      statementTimeoutMs: 1000,
    };
    const status = (await client.connection.sendRequest('pglens/connect', config)) as ConnectionStatus;
    expect(status.state).toBe('connected');
  }

  it('a killed backend: says the connection was lost, reconnects', async () => {
    await connect(cluster.port);
    const from = statuses.length;
    const killed = cluster.psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'pglens'").trim();
    expect(Number(killed)).toBeGreaterThan(0);
    const lost = await statusAfter(from, (status) => status.state === 'error');
    expect(lost.error).toMatch(/closed the connection|Lost the connection/);
    expect(lost.reconnecting).toBe(true);
    await statusAfter(from, (status) => status.state === 'connected');
    expect(client.alive).toBe(true);
  }, 120_000);

  it('a server restart: says so, reconnects once the server is back', async () => {
    await connect(cluster.port);
    const from = statuses.length;
    cluster.restart();
    const lost = await statusAfter(from, (status) => status.state === 'error');
    expect(lost.error).toMatch(/closed the connection|Lost the connection|Cannot reach|not accepting connections/);
    const back = await statusAfter(from, (status) => status.state === 'connected');
    expect(back.serverVersion).toMatch(/^15\./);
    expect(client.alive).toBe(true);
  }, 120_000);

  it('a stalled network: times out with a clear message, reconnects when bytes flow again', async () => {
    await connect(proxy.port);
    const from = statuses.length;
    proxy.stall();
    const lost = await statusAfter(from, (status) => status.state === 'error');
    expect(lost.error).toMatch(/No answer from postgres@127\.0\.0\.1:\d+ within|Lost the connection/);
    expect(lost.reconnecting).toBe(true);
    proxy.resume();
    await statusAfter(from, (status) => status.state === 'connected');
    const refreshed = (await client.connection.sendRequest('pglens/refreshSchema')) as ConnectionStatus;
    expect(refreshed.state).toBe('connected');
    expect(client.alive).toBe(true);
  }, 120_000);
});
