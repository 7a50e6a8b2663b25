import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionConfig, ConnectionStatus } from '../../protocol/messages';
import type { SchemaSnapshot } from '../../protocol/schema';
import { LiveConnection, formatVersionNum } from '../../server/src/connection/live';
import type { LiveConnectionOptions, Logger } from '../../server/src/connection/live';
import type { FileReader } from '../../server/src/connection/resolve';
import { PgDatabase } from '../../server/src/db/pg';
import type { PgOptions } from '../../server/src/db/pg';
import type { Database, QueryResult } from '../../server/src/db/port';
import { quoteIdent } from '../../server/src/sql/quote';
import { registerLiveConnection } from '../../server/src/lsp/live-connection';

/** Unset: skipped. Set but unreachable: beforeAll fails, so CI cannot pass by skipping. */
const url = process.env.PGLENS_TEST_DATABASE_URL;

/** No PG* variables, no ~/.pgpass, no service file: only what each test passes. */
const NO_FILES: FileReader = { read: () => undefined, mode: () => undefined };
const RESOLVE = { env: {}, files: NO_FILES, homedir: '/nonexistent', username: 'postgres' };

const lives: LiveConnection[] = [];
const logs: string[] = [];
const logger: Logger = {
  info: (message) => logs.push(`info: ${message}`),
  warn: (message) => logs.push(`warn: ${message}`),
  error: (message) => logs.push(`error: ${message}`),
};

function live(options: LiveConnectionOptions = {}): LiveConnection {
  const connection = new LiveConnection({ logger, resolve: RESOLVE, ...options });
  lives.push(connection);
  return connection;
}

afterEach(() => {
  for (const connection of lives.splice(0)) connection.dispose();
});

/** Resolves with the first status (the current one included) that satisfies `predicate`. */
function statusWhere(connection: LiveConnection, predicate: (status: ConnectionStatus) => boolean): Promise<ConnectionStatus> {
  if (predicate(connection.status)) return Promise.resolve(connection.status);
  return new Promise((resolve) => {
    const subscription = connection.onStatus((status) => {
      if (!predicate(status)) return;
      subscription.dispose();
      resolve(status);
    });
  });
}

/** Resolves with the next snapshot that satisfies `predicate`. */
function snapshotWhere(connection: LiveConnection, predicate: (snapshot: SchemaSnapshot) => boolean): Promise<SchemaSnapshot> {
  return new Promise((resolve) => {
    const subscription = connection.onSnapshot((snapshot) => {
      if (!snapshot || !predicate(snapshot)) return;
      subscription.dispose();
      resolve(snapshot);
    });
  });
}

interface Recorded {
  sql: string;
  inReadOnlyTransaction: boolean;
}

/** Wraps a Database to record every statement and whether it ran inside readOnly(). */
function recording(inner: Database, log: Recorded[], onQuery: () => void, inTransaction = false): Database {
  return {
    kind: inner.kind,
    query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
      log.push({ sql, inReadOnlyTransaction: inTransaction });
      onQuery();
      return inner.query<Row>(sql, params);
    },
    exec(sql: string) {
      log.push({ sql, inReadOnlyTransaction: inTransaction });
      return inner.exec(sql);
    },
    readOnly: (work) => inner.readOnly((tx) => work(recording(tx, log, onQuery, true))),
    rolledBack: (work) => inner.rolledBack((tx) => work(recording(tx, log, onQuery, false))),
    cancel: () => inner.cancel(),
    close: () => inner.close(),
  };
}

describe.skipIf(!url)('LiveConnection on the real PostgreSQL server', () => {
  const suffix = randomBytes(6).toString('hex');
  const scratch = `pglens_test_conn_${suffix}`;
  const passwordRole = 'pglens_test_pw';
  let admin: Client | undefined;
  let created = false;
  let roleCreated = false;
  let serverVersion = '';

  const scratchUrl = (): string => {
    const target = new URL(url as string);
    target.pathname = `/${scratch}`;
    return target.toString();
  };
  const scratchConfig = (): ConnectionConfig => ({ name: 'scratch', connectionString: scratchUrl() });
  const scratchHost = (): string => `${new URL(url as string).hostname}:${new URL(url as string).port || 5432}`;

  beforeAll(async () => {
    admin = new Client({ connectionString: url, application_name: 'pglens-tests', connectionTimeoutMillis: 5000 });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${quoteIdent(scratch)}`);
    created = true;
    const { rows } = await admin.query<{ version: string }>("SELECT current_setting('server_version') AS version");
    serverVersion = /^\d+(\.\d+)*/.exec(rows[0].version)?.[0] ?? '';
  }, 60_000);

  afterAll(async () => {
    for (const connection of lives.splice(0)) connection.dispose();
    if (!admin) return;
    if (created) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`);
    if (roleCreated) await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(passwordRole)}`);
    await admin.end();
  });

  it('connects: status connected with label, server version and table count; snapshot and database available', async () => {
    const connection = live({ pollIntervalMs: 60_000 });
    const seen: ConnectionStatus['state'][] = [];
    connection.onStatus((status) => seen.push(status.state));
    const status = await connection.connect(scratchConfig());
    expect(status).toEqual({ state: 'connected', label: `${scratch}@${scratchHost()}`, serverVersion, tables: 0 });
    expect(seen).toEqual(['connecting', 'connected']);
    expect(connection.snapshot?.source).toBe('pg');
    expect(connection.snapshot?.serverVersionNum).toBeGreaterThanOrEqual(120000);
    const db = connection.database;
    expect(db).toBeDefined();
    const { rows } = await (db as Database).query<{ name: string }>('SELECT current_setting($1) AS name', ['application_name']);
    expect(rows[0].name).toBe('pglens');

    expect(await connection.disconnect()).toEqual({ state: 'embedded', label: 'embedded' });
    expect(connection.database).toBeUndefined();
    expect(connection.snapshot).toBeUndefined();
  });

  it('wrong password: 28P01 with the explained message', async (context) => {
    await admin?.query(
      `DO $$ BEGIN
         IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${passwordRole}') THEN CREATE ROLE ${passwordRole} WITH LOGIN PASSWORD 'right';
         ELSE ALTER ROLE ${passwordRole} WITH LOGIN PASSWORD 'right'; END IF;
         -- CI makes members of this group log in with scram-sha-256 (scripts/e2e/password-role.sh).
         IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'pglens_needs_password') THEN GRANT pglens_needs_password TO ${passwordRole}; END IF;
       END $$`,
    );
    roleCreated = true;
    const target = new URL(scratchUrl());
    target.hostname = '127.0.0.1';
    target.username = passwordRole;
    target.password = 'wrong';
    const connection = live();
    const status = await connection.connect({ name: 'pw', connectionString: target.toString() });
    if (status.state === 'connected') {
      // pg_hba.conf says `trust` for 127.0.0.1 here (a machine where scripts/e2e/password-role.sh has not
      // run), so there is no 28P01 to observe; errors.test.ts asserts the explained message instead.
      // CI runs that script first, so there the password is checked and this test runs.
      expect(process.env.CI, 'CI sets up password authentication (scripts/e2e/password-role.sh)').toBeFalsy();
      context.skip('pg_hba.conf trusts 127.0.0.1: the password is not checked');
    }
    expect(status.state).toBe('error');
    expect(status.errorCode).toBe('28P01');
    expect(status.error).toBe(
      `Password authentication failed for user "${passwordRole}" on ${scratch}@127.0.0.1:${target.port || 5432}; run "pglens: Connect" to enter it again.`,
    );
    expect(status.reconnecting).toBeUndefined();
  });

  it('a refused port: a clear "connection refused" error, and reconnection scheduled', async () => {
    const connection = live({ retryDelaysMs: [60_000] });
    const status = await connection.connect({ name: 'refused', connectionString: 'postgres://postgres@127.0.0.1:1/postgres' });
    expect(status).toEqual({
      state: 'error',
      label: 'postgres@127.0.0.1:1',
      error: 'Cannot reach postgres@127.0.0.1:1: connection refused: is PostgreSQL running and listening on that port?',
      errorCode: 'ECONNREFUSED',
      reconnecting: true,
    });
    expect(connection.database).toBeUndefined();
  });

  // PGLENS_TIMEOUT says the connect timeout fired (not another error); how long that takes is not asserted in a test.
  it('a stalled network: a timeout message within the connect timeout', async () => {
    const sockets: net.Socket[] = [];
    const stalled = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    const port = (stalled.address() as net.AddressInfo).port;
    try {
      const connection = live({ connectTimeoutMs: 1000, retryDelaysMs: [60_000] });
      const status = await connection.connect({ name: 'stalled', host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      expect(status.state).toBe('error');
      expect(status.errorCode).toBe('PGLENS_TIMEOUT');
      expect(status.error).toBe(`No answer from postgres@127.0.0.1:${port} within 1 s: is the host reachable, the port right and the network up?`);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => stalled.close(() => resolve()));
    }
  });

  it('picks up DDL made outside pglens by itself; polls only the fingerprint otherwise; reads only in read-only transactions', async () => {
    const statements: Recorded[] = [];
    let fingerprintWaiters: Array<() => void> = [];
    const onQuery = (): void => {
      const last = statements[statements.length - 1];
      if (last?.sql.includes('AS fingerprint')) {
        const waiters = fingerprintWaiters;
        fingerprintWaiters = [];
        for (const waiter of waiters) waiter();
      }
    };
    const nextFingerprintPoll = (): Promise<void> => new Promise((resolve) => fingerprintWaiters.push(resolve));
    const connection = live({
      pollIntervalMs: 200,
      open: async (options: PgOptions) => recording(await PgDatabase.connect(options), statements, onQuery),
    });
    const snapshots: SchemaSnapshot[] = [];
    connection.onSnapshot((snapshot) => snapshot && snapshots.push(snapshot));
    expect((await connection.connect(scratchConfig())).state).toBe('connected');
    expect(snapshots).toHaveLength(1);

    // Without DDL, polls read the fingerprint and load nothing.
    for (let i = 0; i < 3; i++) await nextFingerprintPoll();
    expect(snapshots).toHaveLength(1);

    const changed = snapshotWhere(connection, (snapshot) => snapshot.tables.some((table) => table.name === 'pglens_ddl_probe'));
    const outside = new Client({ connectionString: scratchUrl(), application_name: 'pglens-tests' });
    await outside.connect();
    try {
      await outside.query('CREATE TABLE public.pglens_ddl_probe (id int PRIMARY KEY, note text)');
    } finally {
      await outside.end();
    }
    const snapshot = await changed;
    expect(snapshot.tables.find((table) => table.name === 'pglens_ddl_probe')?.columns.map((column) => column.name)).toEqual(['id', 'note']);
    expect(connection.status).toMatchObject({ state: 'connected', tables: 1 });
    expect(connection.snapshot).toBe(snapshot);

    expect(statements.length).toBeGreaterThan(0);
    expect(statements.filter((statement) => !statement.inReadOnlyTransaction)).toEqual([]);
  });

  it('reconnects by itself after the connection is killed, keeping the stale snapshot meanwhile', async () => {
    const connection = live({ pollIntervalMs: 200, retryDelaysMs: [200, 500] });
    expect((await connection.connect(scratchConfig())).state).toBe('connected');
    const before = connection.snapshot;
    const pidOf = async (): Promise<number> => (await (connection.database as Database).query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const oldPid = await pidOf();

    const dropped = statusWhere(connection, (status) => status.state === 'error');
    const { rows } = await (admin as Client).query<{ killed: boolean }>(
      "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = 'pglens' AND datname = $1",
      [scratch],
    );
    expect(rows.length).toBeGreaterThan(0);
    const error = await dropped;
    expect(error).toMatchObject({ state: 'error', label: `${scratch}@${scratchHost()}`, stale: true, reconnecting: true });
    expect(error.error).toMatch(new RegExp(`^Lost the connection to ${scratch}@`));
    expect(connection.snapshot).toBe(before);

    const fresh = snapshotWhere(connection, () => true);
    const back = await statusWhere(connection, (status) => status.state === 'connected');
    expect(back).toEqual({ state: 'connected', label: `${scratch}@${scratchHost()}`, serverVersion, tables: expect.any(Number) });
    expect(await fresh).not.toBe(before);
    expect(await pidOf()).not.toBe(oldPid);
  });
});

describe('the server version gate', () => {
  function stubDatabase(serverVersionNum: string, serverVersion: string): Database & { closed: boolean } {
    const stub = {
      kind: 'pg' as const,
      closed: false,
      async query<Row>(): Promise<QueryResult<Row>> {
        return { rows: [{ num: serverVersionNum, version: serverVersion } as Row] };
      },
      async exec(): Promise<void> {},
      readOnly<T>(work: (db: Database) => Promise<T>): Promise<T> {
        return work(stub);
      },
      rolledBack<T>(work: (db: Database) => Promise<T>): Promise<T> {
        return work(stub);
      },
      async cancel(): Promise<void> {},
      async close(): Promise<void> {
        stub.closed = true;
      },
    };
    return stub;
  }

  it('refuses PostgreSQL 11 and closes the connection, without retrying', async () => {
    const stub = stubDatabase('110022', '11.22');
    const connection = new LiveConnection({ logger, resolve: RESOLVE, open: async () => stub });
    try {
      const status = await connection.connect({ name: 'old', host: 'old.example.com', user: 'u', database: 'd', sslmode: 'disable' });
      expect(status).toEqual({
        state: 'error',
        label: 'd@old.example.com:5432',
        error: 'PostgreSQL 11.22 is not supported: pglens needs PostgreSQL 12 or later',
        errorCode: 'PGLENS_UNSUPPORTED_VERSION',
      });
      expect(stub.closed).toBe(true);
      expect(connection.database).toBeUndefined();
      expect(connection.snapshot).toBeUndefined();
    } finally {
      connection.dispose();
    }
  });

  it('is served over LSP: pglens/connect answers the status and pglens/status notifies each change', async () => {
    const handlers = new Map<string, (params?: unknown) => Promise<unknown>>();
    const notifications: Array<[string, unknown]> = [];
    const methodOf = (type: string | { method: string }): string => (typeof type === 'string' ? type : type.method);
    const fakeConnection = {
      onRequest: (type: string | { method: string }, handler: (params?: unknown) => Promise<unknown>) => {
        handlers.set(methodOf(type), handler);
        return { dispose: () => handlers.delete(methodOf(type)) };
      },
      sendNotification: async (type: string | { method: string }, params: unknown) => {
        notifications.push([methodOf(type), params]);
      },
    };
    const connection = new LiveConnection({ logger, resolve: RESOLVE, open: async () => stubDatabase('110022', '11.22') });
    registerLiveConnection(fakeConnection as unknown as Parameters<typeof registerLiveConnection>[0], { live: connection });
    try {
      expect([...handlers.keys()]).toEqual(['pglens/connect', 'pglens/disconnect', 'pglens/refreshSchema', 'pglens/describeConnection']);
      const status = (await handlers.get('pglens/connect')?.({ name: 'old', host: 'h', user: 'u', sslmode: 'disable' })) as ConnectionStatus;
      expect(status.errorCode).toBe('PGLENS_UNSUPPORTED_VERSION');
      expect(await handlers.get('pglens/disconnect')?.()).toEqual({ state: 'embedded', label: 'embedded' });
      expect(notifications.map(([method, params]) => `${method} ${(params as ConnectionStatus).state}`)).toEqual([
        'pglens/status connecting',
        'pglens/status error',
        'pglens/status embedded',
      ]);
      // The picker's text for a connection: never the password, whatever form the string has.
      const describe = handlers.get('pglens/describeConnection')!;
      expect(await describe({ name: 'url', connectionString: 'postgres://app:secret@db.example.com:6543/shop' })).toEqual({ detail: 'app@db.example.com:6543/shop' });
      expect(await describe({ name: 'service', connectionString: 'service=billing' })).toEqual({ detail: 'service=billing' });
      expect(await describe({ name: 'fields', host: 'h', user: 'u' })).toEqual({ detail: 'u@h:5432/u' });
    } finally {
      connection.dispose();
    }
  });

  it('formats server_version_num as the status bar shows it', () => {
    expect(formatVersionNum(150019)).toBe('15.19');
    expect(formatVersionNum(110022)).toBe('11.22');
    expect(formatVersionNum(90624)).toBe('9.6.24');
  });
});

/**
 * A fake server that speaks just enough of the startup protocol: refuses SSL ('N'), asks for a
 * cleartext password and answers any password with 28P01. It stands in for a pg_hba.conf that
 * checks passwords, which the test machine's server may not have (trust for 127.0.0.1).
 */
async function passwordCheckingServer(): Promise<{ port: number; connections: number; passwords: string[]; close(): Promise<void> }> {
  const sockets: net.Socket[] = [];
  const state = { port: 0, connections: 0, passwords: [] as string[], close: async () => undefined as void };
  const message = (type: string, body: Buffer): Buffer => {
    const header = Buffer.alloc(5);
    header.write(type, 0, 'latin1');
    header.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([header, body]);
  };
  const server = net.createServer((socket) => {
    sockets.push(socket);
    state.connections++;
    let buffer = Buffer.alloc(0);
    let user = '';
    let started = false;
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (true) {
        if (!started) {
          if (buffer.length < 8 || buffer.length < buffer.readInt32BE(0)) return;
          const length = buffer.readInt32BE(0);
          const code = buffer.readInt32BE(4);
          const params = buffer.subarray(8, length).toString('utf8').split('\0');
          buffer = buffer.subarray(length);
          if (code === 80877103) {
            socket.write('N');
            continue;
          }
          started = true;
          user = params[params.indexOf('user') + 1] ?? '';
          const request = Buffer.alloc(4);
          request.writeInt32BE(3); // AuthenticationCleartextPassword
          socket.write(message('R', request));
        } else {
          if (buffer.length < 5 || buffer.length < 1 + buffer.readInt32BE(1)) return;
          const type = String.fromCharCode(buffer[0]);
          const length = buffer.readInt32BE(1);
          const body = buffer.subarray(5, 1 + length);
          buffer = buffer.subarray(1 + length);
          if (type !== 'p') continue;
          state.passwords.push(body.toString('utf8').replace(/\0$/, ''));
          const fields = ['SFATAL', 'VFATAL', 'C28P01', `Mpassword authentication failed for user "${user}"`].map((field) => `${field}\0`).join('') + '\0';
          socket.end(message('E', Buffer.from(fields, 'utf8')));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as net.AddressInfo).port;
  state.close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}

describe('authentication against a fake password-checking server', () => {
  it('a wrong password: 28P01 with the explained message, no retry (after the sslmode=prefer fallback)', async () => {
    const server = await passwordCheckingServer();
    try {
      const connection = live({ retryDelaysMs: [60_000] });
      const status = await connection.connect({ name: 'pw', host: '127.0.0.1', port: server.port, user: 'alice', database: 'app', password: 'wrong' });
      expect(status).toEqual({
        state: 'error',
        label: `app@127.0.0.1:${server.port}`,
        error: `Password authentication failed for user "alice" on app@127.0.0.1:${server.port}; run "pglens: Connect" to enter it again.`,
        errorCode: '28P01',
      });
      expect(server.passwords).toEqual(['wrong']);
      // First with SSL (refused by the server), then without.
      expect(server.connections).toBe(2);
      expect(logs).toContain(`info: app@127.0.0.1:${server.port} does not support SSL; connecting without it (sslmode=prefer)`);
    } finally {
      await server.close();
    }
  });

  it('no password at all: PGLENS_NO_PASSWORD, and nothing is sent', async () => {
    const server = await passwordCheckingServer();
    try {
      const connection = live({ retryDelaysMs: [60_000] });
      const status = await connection.connect({ name: 'pw', host: '127.0.0.1', port: server.port, user: 'alice', database: 'app', sslmode: 'disable' });
      expect(status).toEqual({
        state: 'error',
        label: `app@127.0.0.1:${server.port}`,
        error: `User "alice" needs a password on app@127.0.0.1:${server.port} and none was found (PGPASSWORD, .pgpass); run "pglens: Connect" to enter it.`,
        errorCode: 'PGLENS_NO_PASSWORD',
      });
      expect(server.passwords).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
