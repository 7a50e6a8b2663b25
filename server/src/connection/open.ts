/**
 * Connecting with a resolved config, as the CLI, the generator and the server shadow do:
 * `openDatabase(resolved, options)`. The config goes to `pg` as it is (never through a URL).
 */
import type { ClientConfig } from 'pg';
import { PgDatabase } from '../db/pg';
import type { PgOptions } from '../db/pg';
import { PasswordRequiredError, PglensErrorCode, explainConnectionError } from './errors';
import type { ResolvedConnection } from './resolve';

/** What openDatabase needs of a ResolvedConnection (the language server's live config is one too). */
export type DatabaseTarget = Pick<ResolvedConnection, 'config' | 'fallback' | 'target' | 'connectTimeoutMs'>;

export interface OpenOptions {
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  /** Default: the connection's connect_timeout, else 5000. */
  connectTimeoutMs?: number;
  /** The user's database (not a scratch one of pglens's): every statement goes alone, extended protocol. */
  userDatabase?: boolean;
}

/**
 * Connects to `resolved`; with sslmode prefer/allow, again without SSL when the server has none.
 * A failure is thrown as an Error whose message says what to do (explainConnectionError) and never
 * holds the password.
 */
export async function openDatabase(resolved: DatabaseTarget, options: OpenOptions = {}): Promise<PgDatabase> {
  const connectTimeoutMs = options.connectTimeoutMs ?? resolved.connectTimeoutMs ?? 5000;
  const open = (config: ClientConfig): Promise<PgDatabase> =>
    PgDatabase.connect({ config: withPasswordGuard(config), statementTimeoutMs: options.statementTimeoutMs, lockTimeoutMs: options.lockTimeoutMs, connectTimeoutMs, userDatabase: options.userDatabase } satisfies PgOptions);
  try {
    try {
      return await open(resolved.config);
    } catch (error) {
      const sslMissing = explainConnectionError(error, resolved.target).code === PglensErrorCode.sslNotSupported;
      if (!resolved.fallback || !sslMissing) throw error;
      return await open(resolved.fallback);
    }
  } catch (error) {
    const explained = explainConnectionError(error, resolved.target, { timeoutMs: connectTimeoutMs, user: String(resolved.config.user ?? '') });
    throw Object.assign(new Error(explained.message), explained.code !== undefined ? { code: explained.code } : {});
  }
}

/**
 * A config that can cross to a worker thread (structured clone): verify-ca's host-check function
 * becomes a flag, which `fromTransferable` turns back into the function.
 */
export function toTransferable(config: ClientConfig): ClientConfig & { skipHostCheck?: true } {
  if (typeof config.ssl !== 'object' || config.ssl === null || config.ssl.checkServerIdentity === undefined) return config;
  const ssl = { ...config.ssl };
  delete ssl.checkServerIdentity;
  return { ...config, ssl, skipHostCheck: true };
}

export function fromTransferable(config: ClientConfig & { skipHostCheck?: true }): ClientConfig {
  const { skipHostCheck, ...rest } = config;
  if (!skipHostCheck || typeof rest.ssl !== 'object' || rest.ssl === null) return rest;
  return { ...rest, ssl: { ...rest.ssl, checkServerIdentity: () => undefined } };
}

/** Without a password, `pg` would send an empty one; this asks for none and says so if the server wants one. */
export function withPasswordGuard(config: ClientConfig): ClientConfig {
  if (config.password !== undefined) return config;
  const user = String(config.user ?? '');
  return {
    ...config,
    password: () => {
      throw new PasswordRequiredError(user);
    },
  };
}
