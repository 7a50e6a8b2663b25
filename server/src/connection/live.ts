/**
 * The user's live database: at most one connection, its schema snapshot kept fresh by a cheap
 * fingerprint poll, and reconnection with backoff when the connection drops. Everything pglens runs
 * here is read-only (loadSnapshot and the fingerprint run in `BEGIN READ ONLY` transactions).
 */
import type { ClientConfig } from 'pg';
import type { ConnectionConfig, ConnectionStatus } from '../../../protocol/messages';
import type { SchemaSnapshot } from '../../../protocol/schema';
import { PgDatabase } from '../db/pg';
import type { PgOptions } from '../db/pg';
import type { Database, QueryResult } from '../db/port';
import { loadSnapshot, readFingerprint } from '../schema/snapshot';
import { PglensErrorCode, UnsupportedVersionError, explainConnectionError, isConnectionLost, isRetryable } from './errors';
import { withPasswordGuard } from './open';
import { resolveConnection } from './resolve';
import type { ResolveOptions, ResolvedConnection } from './resolve';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface LiveConnectionOptions {
  /** How often to compare the catalog fingerprint; a ConnectionConfig's own value wins. Default 5000. */
  pollIntervalMs?: number;
  /** statement_timeout of the session; a ConnectionConfig's own value wins. Default 5000. */
  statementTimeoutMs?: number;
  /** Default: the connection's connect_timeout, else 5000. */
  connectTimeoutMs?: number;
  /** Waits between reconnection attempts; the last one repeats. Default 1 s, 2 s, 5 s, 10 s. */
  retryDelaysMs?: readonly number[];
  logger?: Logger;
  /** Environment and files for resolveConnection (tests inject them). */
  resolve?: ResolveOptions;
  /** Opens the database (tests inject a stub). Default: PgDatabase.connect. */
  open?: (options: PgOptions) => Promise<Database>;
}

export interface Disposable {
  dispose(): void;
}

/** PostgreSQL 12: the oldest server pglens supports. */
export const MIN_SERVER_VERSION_NUM = 120000;
const RETRY_DELAYS_MS = [1000, 2000, 5000, 10_000];
const EMBEDDED: ConnectionStatus = { state: 'embedded', label: 'embedded' };

const stderrLogger: Logger = {
  info: () => undefined,
  warn: (message) => console.error(`[pglens] ${message}`),
  error: (message) => console.error(`[pglens] ${message}`),
};

export class LiveConnection {
  private readonly logger: Logger;
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private readonly snapshotListeners = new Set<(snapshot: SchemaSnapshot | undefined) => void>();
  private current: ConnectionStatus = EMBEDDED;
  private config: ConnectionConfig | undefined;
  /** Bumped by connect, disconnect and dispose: async work of an older generation drops its results. */
  private generation = 0;
  private raw: Database | undefined;
  private shared: LiveDatabase | undefined;
  private lastSnapshot: SchemaSnapshot | undefined;
  private target: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retries = 0;
  private attempting: Promise<ConnectionStatus> | undefined;
  private disposed = false;

  constructor(private readonly options: LiveConnectionOptions = {}) {
    this.logger = options.logger ?? stderrLogger;
  }

  get status(): ConnectionStatus {
    return this.current;
  }

  /** The live database while connected; undefined otherwise. Queries on it are serialised with pglens's own. */
  get database(): Database | undefined {
    return this.current.state === 'connected' ? this.shared : undefined;
  }

  /** The last snapshot loaded; kept (and marked stale in the status) while reconnecting. */
  /** How the current connection was made (password included): for a scratch shadow database on the same server. */
  get clientConfig(): ClientConfig | undefined {
    return this.current.state === 'connected' ? this.connectedConfig : undefined;
  }

  private usedConfig: ClientConfig | undefined;
  private connectedConfig: ClientConfig | undefined;

  get snapshot(): SchemaSnapshot | undefined {
    return this.lastSnapshot;
  }

  onStatus(listener: (status: ConnectionStatus) => void): Disposable {
    this.statusListeners.add(listener);
    return { dispose: () => this.statusListeners.delete(listener) };
  }

  /** Fires with each new snapshot (connect, schema change, refresh, reconnect) and with undefined on disconnect. */
  onSnapshot(listener: (snapshot: SchemaSnapshot | undefined) => void): Disposable {
    this.snapshotListeners.add(listener);
    return { dispose: () => this.snapshotListeners.delete(listener) };
  }

  /** Connects to `config` (replacing any connection) and loads its snapshot. Never throws: failures are an `error` status. */
  async connect(config: ConnectionConfig): Promise<ConnectionStatus> {
    if (this.disposed) return this.current;
    await this.stop();
    this.config = config;
    this.lastSnapshot = undefined;
    this.target = undefined;
    this.retries = 0;
    this.setStatus({ state: 'connecting', label: this.safeTarget(config) });
    return this.attempt(this.generation, false);
  }

  /** Closes the connection: back to the embedded shadow. */
  async disconnect(): Promise<ConnectionStatus> {
    const hadSnapshot = this.lastSnapshot !== undefined;
    await this.stop();
    this.config = undefined;
    this.lastSnapshot = undefined;
    this.target = undefined;
    this.setStatus(EMBEDDED);
    if (hadSnapshot) this.fireSnapshot(undefined);
    return this.current;
  }

  /** Reloads the snapshot now; in state `error`, tries to reconnect now. */
  async refresh(): Promise<ConnectionStatus> {
    if (this.disposed || !this.config) return this.current;
    const generation = this.generation;
    if (this.current.state === 'connected') {
      try {
        await this.reload(generation, true);
      } catch (error) {
        await this.handlePollError(generation, error);
      }
      return this.current;
    }
    if (this.current.state === 'error') {
      this.clearTimer();
      this.retries = 0;
      return this.attempt(generation, true);
    }
    return this.attempting ?? this.current;
  }

  /** Stops polling and retrying and closes the connection. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    void this.stop();
    this.statusListeners.clear();
    this.snapshotListeners.clear();
  }

  private attempt(generation: number, reconnecting: boolean): Promise<ConnectionStatus> {
    if (this.attempting) return this.attempting;
    const attempt = this.tryConnect(generation, reconnecting).finally(() => {
      if (this.attempting === attempt) this.attempting = undefined;
    });
    this.attempting = attempt;
    return attempt;
  }

  private async tryConnect(generation: number, reconnecting: boolean): Promise<ConnectionStatus> {
    const config = this.config;
    if (!config) return this.current;
    let resolved: ResolvedConnection;
    try {
      resolved = resolveConnection(config, this.options.resolve);
    } catch (error) {
      return this.fail(generation, error, config.name, undefined);
    }
    for (const warning of resolved.warnings) this.logger.warn(warning);
    this.target = resolved.target;
    const connectTimeoutMs = this.options.connectTimeoutMs ?? resolved.connectTimeoutMs ?? 5000;
    let db: Database | undefined;
    try {
      db = await this.open(resolved, connectTimeoutMs);
      if (generation !== this.generation) throw new Superseded();
      const opened = db;
      const shared = new LiveDatabase(db, (error) => void this.handleLost(generation, opened, error));
      const version = await checkServerVersion(shared);
      const snapshot = await loadSnapshot(shared);
      if (generation !== this.generation) throw new Superseded();
      this.raw = db;
      this.shared = shared;
      this.connectedConfig = this.usedConfig;
      this.lastSnapshot = snapshot;
      this.retries = 0;
      this.logger.info(`${reconnecting ? 'reconnected' : 'connected'} to ${resolved.target} (PostgreSQL ${version}, ${snapshot.tables.length} tables)`);
      this.setStatus({ state: 'connected', label: resolved.target, serverVersion: version, tables: snapshot.tables.length });
      this.fireSnapshot(snapshot);
      this.schedulePoll(generation);
      return this.current;
    } catch (error) {
      await db?.close().catch(() => undefined);
      if (error instanceof Superseded || generation !== this.generation) return this.current;
      return this.fail(generation, error, resolved.target, { timeoutMs: connectTimeoutMs, user: String(resolved.config.user ?? '') });
    }
  }

  /** Opens the connection; with sslmode prefer/allow, again without SSL when the server has none. */
  private async open(resolved: ResolvedConnection, connectTimeoutMs: number): Promise<Database> {
    const open = this.options.open ?? ((options: PgOptions) => PgDatabase.connect(options));
    const statementTimeoutMs = this.config?.statementTimeoutMs ?? this.options.statementTimeoutMs ?? 5000;
    const options = (config: ClientConfig): PgOptions => ({ config: withPasswordGuard(config), statementTimeoutMs, connectTimeoutMs, userDatabase: true });
    try {
      this.usedConfig = resolved.config;
      return await open(options(resolved.config));
    } catch (error) {
      const sslMissing = explainConnectionError(error, resolved.target).code === PglensErrorCode.sslNotSupported;
      if (!resolved.fallback || !sslMissing) throw error;
      this.logger.info(`${resolved.target} does not support SSL; connecting without it (sslmode=${resolved.sslmode})`);
      this.usedConfig = resolved.fallback;
      return open(options(resolved.fallback));
    }
  }

  private safeTarget(config: ConnectionConfig): string {
    try {
      return resolveConnection(config, this.options.resolve).target;
    } catch {
      return config.name;
    }
  }

  private fail(generation: number, error: unknown, target: string, explain: { timeoutMs?: number; user?: string } | undefined): ConnectionStatus {
    const explained = explainConnectionError(error, target, explain);
    const retry = isRetryable(explained.code);
    this.logger.warn(`cannot connect to ${target}: ${explained.message}`);
    this.setStatus({
      state: 'error',
      label: target,
      error: explained.message,
      ...(explained.code !== undefined ? { errorCode: explained.code } : {}),
      ...(this.lastSnapshot ? { stale: true } : {}),
      ...(retry ? { reconnecting: true } : {}),
    });
    if (retry) this.scheduleRetry(generation);
    return this.current;
  }

  private schedulePoll(generation: number): void {
    const interval = this.config?.pollIntervalMs ?? this.options.pollIntervalMs ?? 5000;
    this.clearTimer();
    this.timer = setTimeout(() => void this.poll(generation), interval);
    this.timer.unref();
  }

  private scheduleRetry(generation: number): void {
    const delays = this.options.retryDelaysMs ?? RETRY_DELAYS_MS;
    const delay = delays[Math.min(this.retries, delays.length - 1)];
    this.retries++;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (generation !== this.generation) return;
      this.attempt(generation, true).catch((error: unknown) => this.logger.error(`reconnection failed: ${messageOf(error)}`));
    }, delay);
    this.timer.unref();
  }

  private async poll(generation: number): Promise<void> {
    this.timer = undefined;
    if (generation !== this.generation) return;
    try {
      await this.reload(generation, false);
    } catch (error) {
      await this.handlePollError(generation, error);
    }
    if (generation === this.generation && this.current.state === 'connected' && !this.timer) this.schedulePoll(generation);
  }

  /** Reloads the snapshot when the catalog fingerprint changed (or always, when forced). */
  private async reload(generation: number, force: boolean): Promise<void> {
    const db = this.shared;
    if (!db) return;
    if (!force) {
      const fingerprint = await db.readOnly((tx) => readFingerprint(tx));
      if (generation !== this.generation || fingerprint === this.lastSnapshot?.fingerprint) return;
    }
    const snapshot = await loadSnapshot(db);
    if (generation !== this.generation) return;
    this.lastSnapshot = snapshot;
    if (this.current.state === 'connected') this.setStatus({ ...this.current, tables: snapshot.tables.length });
    this.fireSnapshot(snapshot);
  }

  /** A lost connection turns into `error` + reconnection; anything else is logged and polling goes on. */
  private async handlePollError(generation: number, error: unknown): Promise<void> {
    if (generation !== this.generation) return;
    if (!isConnectionLost(error)) {
      this.logger.warn(`schema refresh failed: ${messageOf(error)}`);
      return;
    }
    await this.handleLost(generation, this.raw, error);
  }

  /**
   * The session `raw` is gone (seen by the poll, or by any feature's query failing): status `error`
   * at once, and reconnection. Only the first report about a session counts.
   */
  private async handleLost(generation: number, raw: Database | undefined, error: unknown): Promise<void> {
    try {
      if (generation !== this.generation || raw === undefined || raw !== this.raw) return;
      const target = this.target ?? 'the database';
      this.raw = undefined;
      this.shared = undefined;
      this.clearTimer();
      await raw.close().catch(() => undefined);
      if (generation !== this.generation) return;
      this.retries = 0;
      this.fail(generation, error, target, { timeoutMs: this.options.connectTimeoutMs ?? 5000 });
    } catch (unexpected) {
      this.logger.error(`connection watchdog failed: ${messageOf(unexpected)}`);
    }
  }

  private async stop(): Promise<void> {
    this.generation++;
    this.clearTimer();
    this.attempting = undefined;
    const raw = this.raw;
    this.raw = undefined;
    this.shared = undefined;
    await raw?.close().catch(() => undefined);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private setStatus(status: ConnectionStatus): void {
    if (JSON.stringify(status) === JSON.stringify(this.current)) return;
    this.current = status;
    for (const listener of this.statusListeners) {
      try {
        listener(status);
      } catch (error) {
        this.logger.error(`status listener failed: ${messageOf(error)}`);
      }
    }
  }

  private fireSnapshot(snapshot: SchemaSnapshot | undefined): void {
    for (const listener of this.snapshotListeners) {
      try {
        listener(snapshot);
      } catch (error) {
        this.logger.error(`snapshot listener failed: ${messageOf(error)}`);
      }
    }
  }
}

/**
 * Checks `server_version_num` and returns the version for display (`15.19`). Throws
 * UnsupportedVersionError for PostgreSQL 11 and older.
 */
export async function checkServerVersion(db: Database): Promise<string> {
  const { rows } = await db.readOnly((tx) =>
    tx.query<{ num: string | number; version: string }>(
      "SELECT pg_catalog.current_setting('server_version_num') AS num, pg_catalog.current_setting('server_version') AS version",
    ),
  );
  const num = Number(rows[0]?.num);
  const display = /^\d+(\.\d+)*/.exec(rows[0]?.version ?? '')?.[0] ?? formatVersionNum(num);
  if (!(num >= MIN_SERVER_VERSION_NUM)) throw new UnsupportedVersionError(formatVersionNum(num));
  return display;
}

/** 150019 → `15.19`; 90624 → `9.6.24`. */
export function formatVersionNum(num: number): string {
  if (!Number.isFinite(num)) return 'unknown';
  if (num >= 100000) return `${Math.floor(num / 10000)}.${num % 10000}`;
  return `${Math.floor(num / 10000)}.${Math.floor(num / 100) % 100}.${num % 100}`;
}

/**
 * The live session as features see it (PgDatabase's gate already runs one call at a time): `close` is
 * LiveConnection's business, and a call that fails because the connection is gone reports it at once,
 * so the status says so and reconnection starts without waiting for the next poll.
 */
class LiveDatabase implements Database {
  readonly kind: Database['kind'];

  constructor(
    private readonly inner: Database,
    private readonly onLost: (error: unknown) => void,
  ) {
    this.kind = inner.kind;
  }

  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
    return this.watch(this.inner.query<Row>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.watch(this.inner.exec(sql));
  }

  readOnly<T>(work: (db: Database) => Promise<T>): Promise<T> {
    return this.watch(this.inner.readOnly(work));
  }

  rolledBack<T>(work: (db: Database) => Promise<T>): Promise<T> {
    return this.watch(this.inner.rolledBack(work));
  }

  cancel(): Promise<void> {
    return this.inner.cancel();
  }

  async close(): Promise<void> {
    // Owned by LiveConnection.
  }

  private async watch<T>(call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (error) {
      if (isConnectionLost(error)) this.onLost(error);
      throw error;
    }
  }
}

/** Thrown inside tryConnect when connect/disconnect started something newer meanwhile. */
class Superseded extends Error {}

/** Without a password, a server that asks for one gets a clear PasswordRequiredError instead of pg's own lookups. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
