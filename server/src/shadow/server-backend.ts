import * as crypto from 'node:crypto';
import { Client } from 'pg';
import type { ClientConfig } from 'pg';
import { PgDatabase } from '../db/pg';
import type { Database } from '../db/port';
import { quoteIdent } from '../sql/quote';
import type { OpenedShadow, ShadowBackend } from './backend';

/** Every scratch database pglens creates starts with this, so a person can recognise (and drop) it. */
export const SCRATCH_PREFIX = 'pglens_shadow_';

/**
 * `pglens.shadow = server`: the shadow is a scratch database on a real server (for extensions
 * PGlite lacks, or the exact server version). pglens creates it under a recognisable name and drops
 * it when done; the user's own databases are never touched.
 */
export class ServerBackend implements ShadowBackend {
  readonly name = 'server';
  private readonly scratch = new Map<Database, string>();

  /** `maintenance` reaches a database pglens may connect to in order to CREATE/DROP DATABASE (e.g. `postgres`). */
  constructor(private readonly maintenance: ClientConfig) {}

  async open(): Promise<OpenedShadow> {
    const name = `${SCRATCH_PREFIX}${crypto.randomBytes(6).toString('hex')}`;
    await this.withMaintenance((client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
    try {
      const db = await PgDatabase.connect({ config: { ...this.maintenance, database: name, connectionString: undefined, ...hostOf(this.maintenance) }, statementTimeoutMs: 60_000, lockTimeoutMs: 10_000 });
      this.scratch.set(db, name);
      return { db };
    } catch (error) {
      await this.drop(name);
      throw error;
    }
  }

  async discard(db: Database): Promise<void> {
    await db.close();
    const name = this.scratch.get(db);
    this.scratch.delete(db);
    if (name) await this.drop(name);
  }

  private async drop(name: string): Promise<void> {
    if (!name.startsWith(SCRATCH_PREFIX)) throw new Error(`refusing to drop ${name}: not a pglens scratch database`);
    await this.withMaintenance((client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)).catch(() => undefined);
  }

  private async withMaintenance<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ ...this.maintenance, application_name: 'pglens', connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** Discrete host/port/user/password from a connection string, so the database name can be replaced. */
function hostOf(config: ClientConfig): ClientConfig {
  if (!config.connectionString) return {};
  const url = new URL(config.connectionString);
  return {
    host: decodeURIComponent(url.hostname) || undefined,
    port: url.port ? Number(url.port) : undefined,
    user: decodeURIComponent(url.username) || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
  };
}
