/**
 * User-facing explanations of connection failures. The driver's messages ("connect ECONNREFUSED
 * 127.0.0.1:5432", "timeout expired") say what broke, not what to do; these say both, and name the
 * target (`database@host:port`, never a password).
 */

/** Codes pglens raises itself, next to SQLSTATEs and Node's `E…` codes in `ConnectionStatus.errorCode`. */
export const PglensErrorCode = {
  /** The connection settings are unusable (bad URL, unknown service, unreadable certificate). */
  config: 'PGLENS_CONFIG',
  /** The server asked for a password and none was given, in PGPASSWORD or in .pgpass. */
  noPassword: 'PGLENS_NO_PASSWORD',
  /** PostgreSQL 11 or older. */
  unsupportedVersion: 'PGLENS_UNSUPPORTED_VERSION',
  /** The connection requires SSL and the server does not offer it. */
  sslNotSupported: 'PGLENS_SSL_NOT_SUPPORTED',
  /** No answer within the connect timeout, or a query on a stalled connection. */
  timeout: 'PGLENS_TIMEOUT',
  /** An established connection went away. */
  connectionLost: 'PGLENS_CONNECTION_LOST',
} as const;

/** The connection settings cannot be turned into a connection; the message says which and why. */
export class ConnectionConfigError extends Error {
  readonly code = PglensErrorCode.config;
}

/** Raised by the password callback when the server wants a password that nobody provided. */
export class PasswordRequiredError extends Error {
  readonly code = PglensErrorCode.noPassword;
  constructor(readonly user: string) {
    super(`no password for user "${user}"`);
  }
}

/** The server is older than PostgreSQL 12. */
export class UnsupportedVersionError extends Error {
  readonly code = PglensErrorCode.unsupportedVersion;
  constructor(readonly version: string) {
    super(`PostgreSQL ${version} is not supported: pglens needs PostgreSQL 12 or later`);
  }
}

export interface ExplainedError {
  message: string;
  /** SQLSTATE, Node error code (`ECONNREFUSED`) or a PglensErrorCode. */
  code?: string;
}

export interface ExplainOptions {
  /** The connect timeout in force, for "No answer … within 5 s". */
  timeoutMs?: number;
  /** The user name, when the driver's message does not carry it. */
  user?: string;
}

const TLS_UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);
const TLS_EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const TIMEOUT_MESSAGES = /^(timeout expired|Query read timeout|Connection terminated due to connection timeout)$/;
const LOST_MESSAGES = /^(Connection terminated unexpectedly|Connection terminated|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)$/;
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Turns whatever the driver threw while connecting (or on a live connection) into a clear message. */
export function explainConnectionError(error: unknown, target: string, options: ExplainOptions = {}): ExplainedError {
  const { code, message } = codeAndMessage(error);
  const seconds = formatSeconds(options.timeoutMs ?? 5000);
  const quoted = (pattern: RegExp): string | undefined => pattern.exec(message)?.[1];

  switch (code) {
    case '28P01': {
      const user = quoted(/for user "([^"]*)"/) ?? options.user;
      return {
        code,
        message: `Password authentication failed for user ${user ? `"${user}"` : '(unknown)'} on ${target}; run "pglens: Connect" to enter it again.`,
      };
    }
    case PglensErrorCode.noPassword: {
      const user = error instanceof PasswordRequiredError ? error.user : options.user;
      return {
        code,
        message: `User ${user ? `"${user}"` : '(unknown)'} needs a password on ${target} and none was found (PGPASSWORD, .pgpass); run "pglens: Connect" to enter it.`,
      };
    }
    case '3D000': {
      const database = quoted(/database "([^"]*)"/);
      return { code, message: `Database ${database ? `"${database}" ` : ''}does not exist on ${target}: check the database name of the connection.` };
    }
    case '28000': {
      const role = quoted(/role "([^"]*)" does not exist/);
      if (role !== undefined) return { code, message: `Role "${role}" does not exist on ${target}: check the user name of the connection.` };
      if (/pg_hba\.conf/.test(message)) {
        return { code, message: `The server refuses the connection to ${target}: no pg_hba.conf entry allows it (${message}).` };
      }
      return { code, message: `Authentication failed on ${target}: ${message}.` };
    }
    case '53300':
      return { code, message: `Too many connections to ${target}: the server has reached max_connections; close other sessions or raise the limit.` };
    case '57P01':
    case '57P02':
      return { code, message: `The server closed the connection to ${target} (shutdown or administrator command): ${message}.` };
    case '57P03':
      return { code, message: `The server at ${target} is not accepting connections right now (starting up, shutting down or in recovery): ${message}.` };
    case 'ECONNREFUSED':
      return { code, message: `Cannot reach ${target}: connection refused: is PostgreSQL running and listening on that port?` };
    case 'ENOTFOUND':
      return { code, message: `Cannot reach ${target}: unknown host${hostOf(error) ? ` "${hostOf(error)}"` : ''}.` };
    case 'EAI_AGAIN':
      return { code, message: `Cannot reach ${target}: the host name lookup failed (DNS did not answer); check the network.` };
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { code: PglensErrorCode.timeout, message: `No answer from ${target} within ${seconds}: is the host reachable and the port open?` };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return {
        code,
        message: `The server certificate of ${target} does not match the host name (sslmode=verify-full): connect with a name the certificate lists, or use sslmode=verify-ca.`,
      };
    case PglensErrorCode.unsupportedVersion:
    case PglensErrorCode.config:
      return { code, message };
  }
  if (code !== undefined && TLS_UNTRUSTED.has(code)) {
    return {
      code,
      message: `The server certificate of ${target} is not trusted (${code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ? 'self-signed' : 'unknown CA'}): set sslrootcert to the CA certificate, or use sslmode=require to encrypt without verifying.`,
    };
  }
  if (code !== undefined && TLS_EXPIRED.has(code)) return { code, message: `The server certificate of ${target} is expired or not yet valid.` };
  if (message === 'The server does not support SSL connections') {
    return {
      code: PglensErrorCode.sslNotSupported,
      message: `The server at ${target} does not support SSL, but the connection requires it (sslmode=require or verify-*): use sslmode=prefer or disable, or enable ssl on the server.`,
    };
  }
  if (TIMEOUT_MESSAGES.test(message)) {
    return { code: PglensErrorCode.timeout, message: `No answer from ${target} within ${seconds}: is the host reachable, the port right and the network up?` };
  }
  if (LOST_MESSAGES.test(message) || (code !== undefined && LOST_CODES.has(code))) {
    return { code: PglensErrorCode.connectionLost, message: `Lost the connection to ${target}: ${message}.` };
  }
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) return { code, message: `${target}: ${message}` };
  return { ...(code !== undefined ? { code } : {}), message: `Cannot connect to ${target}: ${message || 'unknown error'}` };
}

/**
 * Whether trying again later can help: the server down, restarting or overloaded, the network gone.
 * Wrong credentials, bad settings and old servers wait for the user instead.
 */
export function isRetryable(code: string | undefined): boolean {
  if (code === undefined) return true;
  if (
    code === '28P01' ||
    code === '28000' ||
    code === PglensErrorCode.noPassword ||
    code === PglensErrorCode.unsupportedVersion ||
    code === PglensErrorCode.config ||
    code === PglensErrorCode.sslNotSupported ||
    code === 'ERR_TLS_CERT_ALTNAME_INVALID' ||
    TLS_UNTRUSTED.has(code) ||
    TLS_EXPIRED.has(code)
  ) {
    return false;
  }
  return true;
}

/**
 * Whether an error from a query means the connection itself is gone (as opposed to the statement
 * failing: a statement timeout or a permission error leaves the session usable).
 */
export function isConnectionLost(error: unknown): boolean {
  const { code, message } = codeAndMessage(error);
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) return code.startsWith('08') || code.startsWith('57P');
  if (TIMEOUT_MESSAGES.test(message) || LOST_MESSAGES.test(message)) return true;
  return code !== undefined && (LOST_CODES.has(code) || code === 'ETIMEDOUT');
}

function codeAndMessage(error: unknown): { code?: string; message: string } {
  if (!error || typeof error !== 'object') return { message: String(error ?? '') };
  const e = error as { code?: unknown; message?: unknown; errors?: unknown };
  let code = typeof e.code === 'string' && e.code !== '' ? e.code : undefined;
  // Node's happy-eyeballs connect (localhost → ::1 and 127.0.0.1) fails with an AggregateError.
  if (code === undefined && Array.isArray(e.errors) && e.errors.length > 0) code = codeAndMessage(e.errors[0]).code;
  const message = typeof e.message === 'string' ? e.message : String(error);
  return { ...(code !== undefined ? { code } : {}), message };
}

function hostOf(error: unknown): string | undefined {
  const host = (error as { hostname?: unknown } | null)?.hostname;
  return typeof host === 'string' ? host : undefined;
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
