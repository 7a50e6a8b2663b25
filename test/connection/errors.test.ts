import { describe, expect, it } from 'vitest';
import {
  ConnectionConfigError,
  PasswordRequiredError,
  UnsupportedVersionError,
  explainConnectionError,
  isConnectionLost,
  isRetryable,
} from '../../server/src/connection/errors';

const T = 'app@db.example.com:5432';

/** The shape of a `pg` DatabaseError (fields of the server's ErrorResponse). */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'FATAL' });
}

function nodeError(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, ...extra });
}

describe('explainConnectionError', () => {
  // The live wrong-password test is skipped when pg_hba.conf trusts 127.0.0.1; this covers the message.
  it('wrong password (28P01): names the user and the target and says how to fix it', () => {
    expect(explainConnectionError(pgError('28P01', 'password authentication failed for user "alice"'), T)).toEqual({
      code: '28P01',
      message: 'Password authentication failed for user "alice" on app@db.example.com:5432; run "pglens: Connect" to enter it again.',
    });
  });

  it('no password given (PasswordRequiredError)', () => {
    expect(explainConnectionError(new PasswordRequiredError('bob'), T)).toEqual({
      code: 'PGLENS_NO_PASSWORD',
      message: 'User "bob" needs a password on app@db.example.com:5432 and none was found (PGPASSWORD, .pgpass); run "pglens: Connect" to enter it.',
    });
  });

  it('no such database (3D000) and no such role (28000)', () => {
    expect(explainConnectionError(pgError('3D000', 'database "shop" does not exist'), T)).toEqual({
      code: '3D000',
      message: 'Database "shop" does not exist on app@db.example.com:5432: check the database name of the connection.',
    });
    expect(explainConnectionError(pgError('28000', 'role "ghost" does not exist'), T)).toEqual({
      code: '28000',
      message: 'Role "ghost" does not exist on app@db.example.com:5432: check the user name of the connection.',
    });
    const hba = 'no pg_hba.conf entry for host "10.0.0.1", user "u", database "d", no encryption';
    expect(explainConnectionError(pgError('28000', hba), T).message).toBe(
      `The server refuses the connection to app@db.example.com:5432: no pg_hba.conf entry allows it (${hba}).`,
    );
  });

  it('server down (ECONNREFUSED), also inside the AggregateError of a dual-stack connect', () => {
    const expected = { code: 'ECONNREFUSED', message: 'Cannot reach app@db.example.com:5432: connection refused: is PostgreSQL running and listening on that port?' };
    expect(explainConnectionError(nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), T)).toEqual(expected);
    const aggregate = new AggregateError([nodeError('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432'), nodeError('ECONNREFUSED', 'x')], '');
    expect(explainConnectionError(aggregate, T)).toEqual(expected);
  });

  it('unknown host (ENOTFOUND, EAI_AGAIN)', () => {
    expect(explainConnectionError(nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND nohost', { hostname: 'nohost' }), T)).toEqual({
      code: 'ENOTFOUND',
      message: 'Cannot reach app@db.example.com:5432: unknown host "nohost".',
    });
    expect(explainConnectionError(nodeError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN h'), T).message).toBe(
      'Cannot reach app@db.example.com:5432: the host name lookup failed (DNS did not answer); check the network.',
    );
  });

  it('timeouts and a stalled network, with the timeout in force', () => {
    const expected = {
      code: 'PGLENS_TIMEOUT',
      message: 'No answer from app@db.example.com:5432 within 5 s: is the host reachable, the port right and the network up?',
    };
    expect(explainConnectionError(new Error('timeout expired'), T)).toEqual(expected);
    expect(explainConnectionError(new Error('Connection terminated due to connection timeout'), T)).toEqual(expected);
    expect(explainConnectionError(new Error('Query read timeout'), T, { timeoutMs: 1500 }).message).toContain('within 1.5 s');
    expect(explainConnectionError(nodeError('ETIMEDOUT', 'connect ETIMEDOUT'), T, { timeoutMs: 10_000 }).message).toBe(
      'No answer from app@db.example.com:5432 within 10 s: is the host reachable and the port open?',
    );
  });

  it('TLS: self-signed, unknown CA, host name mismatch, no SSL on the server', () => {
    expect(explainConnectionError(nodeError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), T).message).toBe(
      'The server certificate of app@db.example.com:5432 is not trusted (self-signed): set sslrootcert to the CA certificate, or use sslmode=require to encrypt without verifying.',
    );
    expect(explainConnectionError(nodeError('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate'), T).message).toContain('(unknown CA)');
    expect(explainConnectionError(nodeError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), T)).toEqual({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      message:
        'The server certificate of app@db.example.com:5432 does not match the host name (sslmode=verify-full): connect with a name the certificate lists, or use sslmode=verify-ca.',
    });
    expect(explainConnectionError(new Error('The server does not support SSL connections'), T)).toEqual({
      code: 'PGLENS_SSL_NOT_SUPPORTED',
      message:
        'The server at app@db.example.com:5432 does not support SSL, but the connection requires it (sslmode=require or verify-*): use sslmode=prefer or disable, or enable ssl on the server.',
    });
  });

  it('too many connections (53300) and a server shutting down (57P01, 57P03)', () => {
    expect(explainConnectionError(pgError('53300', 'sorry, too many clients already'), T).message).toBe(
      'Too many connections to app@db.example.com:5432: the server has reached max_connections; close other sessions or raise the limit.',
    );
    expect(explainConnectionError(pgError('57P01', 'terminating connection due to administrator command'), T).message).toBe(
      'The server closed the connection to app@db.example.com:5432 (shutdown or administrator command): terminating connection due to administrator command.',
    );
    expect(explainConnectionError(pgError('57P03', 'the database system is shutting down'), T).message).toBe(
      'The server at app@db.example.com:5432 is not accepting connections right now (starting up, shutting down or in recovery): the database system is shutting down.',
    );
  });

  it('an unsupported version and bad settings pass their own message through', () => {
    expect(explainConnectionError(new UnsupportedVersionError('11.22'), T)).toEqual({
      code: 'PGLENS_UNSUPPORTED_VERSION',
      message: 'PostgreSQL 11.22 is not supported: pglens needs PostgreSQL 12 or later',
    });
    expect(explainConnectionError(new ConnectionConfigError('Invalid port "x".'), T)).toEqual({ code: 'PGLENS_CONFIG', message: 'Invalid port "x".' });
  });

  it('a dropped connection, other server errors and anything else', () => {
    expect(explainConnectionError(new Error('Connection terminated unexpectedly'), T)).toEqual({
      code: 'PGLENS_CONNECTION_LOST',
      message: 'Lost the connection to app@db.example.com:5432: Connection terminated unexpectedly.',
    });
    expect(explainConnectionError(pgError('42501', 'permission denied for database app'), T)).toEqual({
      code: '42501',
      message: 'app@db.example.com:5432: permission denied for database app',
    });
    expect(explainConnectionError('weird', T)).toEqual({ message: 'Cannot connect to app@db.example.com:5432: weird' });
  });
});

describe('isRetryable and isConnectionLost', () => {
  it('retries what time can fix, not what the user must fix', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'PGLENS_TIMEOUT', 'PGLENS_CONNECTION_LOST', '57P01', '57P03', '53300', '3D000', undefined]) {
      expect(isRetryable(code), String(code)).toBe(true);
    }
    for (const code of ['28P01', '28000', 'PGLENS_NO_PASSWORD', 'PGLENS_UNSUPPORTED_VERSION', 'PGLENS_CONFIG', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID']) {
      expect(isRetryable(code), code).toBe(false);
    }
  });

  it('tells a lost connection from a failed statement', () => {
    expect(isConnectionLost(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLost(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
    expect(isConnectionLost(new Error('Query read timeout'))).toBe(true);
    expect(isConnectionLost(nodeError('ECONNRESET', 'read ECONNRESET'))).toBe(true);
    expect(isConnectionLost(pgError('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isConnectionLost(pgError('08006', 'connection failure'))).toBe(true);
    expect(isConnectionLost(pgError('57014', 'canceling statement due to statement timeout'))).toBe(false);
    expect(isConnectionLost(pgError('42501', 'permission denied'))).toBe(false);
    expect(isConnectionLost(new TypeError('a bug'))).toBe(false);
  });
});
