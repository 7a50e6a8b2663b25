import * as crypto from 'node:crypto';
import type { ClientConfig } from 'pg';
import { openDatabase } from '../connection/open';
import { describeTarget, resolveInput } from '../connection/resolve';
import type { PgDatabase } from '../db/pg';
import type { Database, QueryResult } from '../db/port';
import { quoteIdent } from '../sql/quote';
import type { AnalyzedStatement } from '../document/analyze';
import type { OpenedShadow, ShadowBackend } from './backend';
import { clusterWideReason } from './cluster-wide';

/** Every scratch database (and its role) pglens creates starts with this, so a person can recognise (and drop) it. */
export const SCRATCH_PREFIX = 'pglens_shadow_';

/**
 * `pglens.shadow = server`: the shadow is a scratch database on a real server (for extensions
 * PGlite lacks, or the exact server version). pglens creates it under a recognisable name and drops
 * it when done; the user's own databases are never touched.
 *
 * Two guards keep the replay inside the scratch database. (1) Statements with cluster-wide effects
 * (roles, ALTER ROLE/DATABASE … SET, ALTER SYSTEM, tablespaces, dblink and foreign servers, server
 * signals; see cluster-wide.ts) are refused with a warning instead of run. (2) When the user may
 * create roles, the replay runs as a NOLOGIN role made for this scratch database, without superuser
 * or CREATEROLE, that owns it (`SET ROLE`): what the first guard misses fails with "permission
 * denied" instead of changing the cluster. CREATE EXTENSION runs as the connecting user, because
 * most extensions need superuser to install. `RESET ROLE` and `SET ROLE` in the replayed SQL are
 * refused by the first guard, as they would leave the role. Without the right to create roles, the
 * replay runs as the connecting user (who then cannot create roles either) and the first guard alone
 * applies.
 */
export class ServerBackend implements ShadowBackend {
  readonly name = 'server';
  private readonly scratch = new Map<Database, { name: string; role: boolean }>();

  /**
   * `maintenance` reaches a database pglens may connect to in order to CREATE/DROP DATABASE (e.g.
   * `postgres`); `fallback` is the same without SSL (sslmode prefer/allow).
   */
  private readonly maintenance: ClientConfig;
  private readonly fallback?: ClientConfig;

  constructor(maintenance: ClientConfig, fallback?: ClientConfig) {
    // A connection string would override the scratch database's name when merged into a config: resolved once, here.
    if (maintenance.connectionString !== undefined) {
      const { connectionString, ...rest } = maintenance;
      const resolved = resolveInput(connectionString);
      this.maintenance = { ...resolved.config, ...rest };
      this.fallback = fallback ?? (resolved.fallback && { ...resolved.fallback, ...rest });
    } else {
      this.maintenance = maintenance;
      this.fallback = fallback;
    }
  }

  refuses(statement: AnalyzedStatement): string | undefined {
    const reason = clusterWideReason(statement);
    return reason && `Not run in the server shadow: ${reason}. It runs in the embedded shadow (pglens.shadow = embedded, the default).`;
  }

  async open(): Promise<OpenedShadow> {
    const name = `${SCRATCH_PREFIX}${crypto.randomBytes(6).toString('hex')}`;
    const role = await this.withMaintenance(async (db) => {
      const owner = await createOwnRole(db, name);
      await db.exec(`CREATE DATABASE ${quoteIdent(name)}${owner ? ` OWNER ${quoteIdent(name)}` : ''}`);
      return owner;
    });
    try {
      const db = await this.connect(name);
      if (role) await db.exec(`SET ROLE ${quoteIdent(name)}`);
      const shadow = role ? new AsOwnRole(db, name) : db;
      this.scratch.set(shadow, { name, role });
      return { db: shadow };
    } catch (error) {
      await this.drop(name, role);
      throw error;
    }
  }

  async discard(db: Database): Promise<void> {
    await db.close();
    const scratch = this.scratch.get(db);
    this.scratch.delete(db);
    if (scratch) await this.drop(scratch.name, scratch.role);
  }

  private connect(database: string): Promise<PgDatabase> {
    const target = { ...this.maintenance, database };
    return openDatabase(
      { config: target, fallback: this.fallback && { ...this.fallback, database }, target: describeTarget(target) },
      { statementTimeoutMs: 60_000, lockTimeoutMs: 10_000 },
    );
  }

  private async drop(name: string, role: boolean): Promise<void> {
    if (!name.startsWith(SCRATCH_PREFIX)) throw new Error(`refusing to drop ${name}: not a pglens scratch database`);
    await this.withMaintenance(async (db) => {
      await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      if (role) await db.exec(`DROP ROLE IF EXISTS ${quoteIdent(name)}`);
    }).catch(() => undefined);
  }

  private async withMaintenance<T>(work: (db: PgDatabase) => Promise<T>): Promise<T> {
    const db = await openDatabase({ config: this.maintenance, fallback: this.fallback, target: describeTarget(this.maintenance) }, { statementTimeoutMs: 60_000 });
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  }
}

/**
 * A NOLOGIN role named like the scratch database, without superuser, CREATEROLE, CREATEDB or
 * replication; the connecting user becomes a member so it may SET ROLE to it and hand it the
 * database. False when the user may not create roles.
 */
async function createOwnRole(db: PgDatabase, name: string): Promise<boolean> {
  const { rows } = await db.query<{ allowed: boolean }>('SELECT rolsuper OR rolcreaterole AS allowed FROM pg_roles WHERE rolname = current_user');
  if (!rows[0]?.allowed) return false;
  try {
    await db.exec(`CREATE ROLE ${quoteIdent(name)} NOLOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS`);
  } catch {
    return false;
  }
  try {
    await db.exec(`GRANT ${quoteIdent(name)} TO CURRENT_USER`);
  } catch {
    // A superuser is a member of every role already; PostgreSQL 16 makes the creator a member itself.
  }
  return true;
}

/** The scratch database as its own role: CREATE EXTENSION alone runs as the connecting user. */
class AsOwnRole implements Database {
  readonly kind = 'pg' as const;

  constructor(
    private readonly db: PgDatabase,
    private readonly role: string,
  ) {}

  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
    return this.db.query<Row>(sql, params);
  }

  async exec(sql: string): Promise<void> {
    if (!CREATE_EXTENSION.test(withoutLeadingComments(sql))) return this.db.exec(sql);
    const back = `SET ROLE ${quoteIdent(this.role)}`;
    await this.db.exec('RESET ROLE');
    try {
      await this.db.exec(sql);
    } catch (error) {
      // Inside a failed savepoint this fails too, and rolling the savepoint back restores the role.
      await this.db.exec(back).catch(() => undefined);
      throw error;
    }
    await this.db.exec(back);
  }

  readOnly<T>(work: (db: Database) => Promise<T>): Promise<T> {
    return this.db.readOnly(work);
  }

  rolledBack<T>(work: (db: Database) => Promise<T>): Promise<T> {
    return this.db.rolledBack(work);
  }

  cancel(): Promise<void> {
    return this.db.cancel();
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

const CREATE_EXTENSION = /^create\s+extension\b/i;

function withoutLeadingComments(sql: string): string {
  return sql.replace(/^(\s+|--[^\n\r]*|\/\*[\s\S]*?\*\/)*/, '');
}
