import { describe, expect, it } from 'vitest';
import type { ConnectionConfig } from '../../protocol/messages';
import { ConnectionConfigError } from '../../server/src/connection/errors';
import { redactSecrets } from '../../server/src/connection/redact';
import { describeTarget, resolveConnection } from '../../server/src/connection/resolve';
import type { FileReader, ResolvedConnection } from '../../server/src/connection/resolve';

type Files = Record<string, string | { text: string; mode: number }>;

/** An in-memory file system: a string is a file with mode 0600. */
function memoryFiles(files: Files): FileReader {
  const entry = (file: string): { text: string; mode: number } | undefined => {
    const value = files[file];
    return typeof value === 'string' ? { text: value, mode: 0o600 } : value;
  };
  return { read: (file) => entry(file)?.text, mode: (file) => entry(file)?.mode };
}

function resolve(config: ConnectionConfig | undefined, env: Record<string, string> = {}, files: Files = {}, platform: NodeJS.Platform = 'linux'): ResolvedConnection {
  return resolveConnection(config, { env, files: memoryFiles(files), homedir: '/home/ada', username: 'ada', platform });
}

const named = (fields: Omit<ConnectionConfig, 'name'>): ConnectionConfig => ({ name: 'test', ...fields });
const NO_VERIFY = { rejectUnauthorized: false };

describe('connection strings', () => {
  it('reads a URL with percent-encoding, port and sslmode', () => {
    const resolved = resolve(named({ connectionString: 'postgres://alice:s%40cret@db.example.com:6543/app?sslmode=require' }));
    expect(resolved.config).toEqual({ host: 'db.example.com', port: 6543, database: 'app', user: 'alice', password: 's@cret', ssl: NO_VERIFY });
    expect(resolved.sslmode).toBe('require');
    expect(resolved.passwordSource).toBe('connection');
    expect(resolved.fallback).toBeUndefined();
    expect(resolved.target).toBe('app@db.example.com:6543');
    expect(resolved.warnings).toEqual([]);
  });

  it('reads postgresql:// with an IPv6 host and query parameters', () => {
    const resolved = resolve(named({ connectionString: 'postgresql://[::1]:5433/app?user=bob&connect_timeout=3&sslmode=disable' }));
    expect(resolved.config).toEqual({ host: '::1', port: 5433, database: 'app', user: 'bob', ssl: false });
    expect(resolved.connectTimeoutMs).toBe(3000);
    expect(resolved.target).toBe('app@[::1]:5433');
  });

  it('takes a percent-encoded socket directory as host, without SSL', () => {
    const resolved = resolve(named({ connectionString: 'postgres://%2Fvar%2Frun%2Fpostgresql/app' }));
    expect(resolved.config).toEqual({ host: '/var/run/postgresql', port: 5432, database: 'app', user: 'ada', ssl: false });
    expect(resolved.fallback).toBeUndefined();
  });

  it('fills an empty URL host with the defaults: localhost, 5432, the OS user, sslmode prefer with a plain fallback', () => {
    const resolved = resolve(named({ connectionString: 'postgres:///app' }));
    expect(resolved.config).toEqual({ host: 'localhost', port: 5432, database: 'app', user: 'ada', ssl: NO_VERIFY });
    expect(resolved.sslmode).toBe('prefer');
    expect(resolved.fallback).toEqual({ host: 'localhost', port: 5432, database: 'app', user: 'ada', ssl: false });
  });

  it('uses the local socket by default when there is one, as libpq does', () => {
    const resolved = resolve(named({ database: 'app' }), {}, { '/var/run/postgresql/.s.PGSQL.5432': { text: '', mode: 0o777 } });
    expect(resolved.config).toEqual({ host: '/var/run/postgresql', port: 5432, database: 'app', user: 'ada', ssl: false });
  });

  it('reads a key=value DSN with quoting and escapes', () => {
    const resolved = resolve(named({ connectionString: "host=db port = 5433 dbname='my app' user=bob password='it\\'s a \\\\ secret' sslmode=disable" }));
    expect(resolved.config).toEqual({ host: 'db', port: 5433, database: 'my app', user: 'bob', password: "it's a \\ secret", ssl: false });
  });

  it('rejects malformed connection strings, ports, sslmodes and host lists with ConnectionConfigError', () => {
    expect(() => resolve(named({ connectionString: 'host db' }))).toThrow(ConnectionConfigError);
    expect(() => resolve(named({ connectionString: "host='db" }))).toThrow(/unterminated quoted value of "host"/);
    expect(() => resolve(named({ connectionString: 'postgres://h:99999/db' }))).toThrow(/Invalid port "99999"/);
    expect(() => resolve(named({ connectionString: 'postgres://h/db?sslmode=maybe' }))).toThrow(/Invalid sslmode "maybe"/);
    expect(() => resolve(named({ connectionString: 'postgres://a,b/db' }))).toThrow(/Several hosts/);
    expect(() => resolve(named({ connectionString: 'postgres://u:%zz@h/db' }))).toThrow(/percent-encoding in postgres:\/\/u:\*\*\*@h\/db/);
  });

  it('warns about options it ignores', () => {
    const resolved = resolve(named({ connectionString: 'postgres://h/db?target_session_attrs=read-write' }));
    expect(resolved.warnings).toEqual(['pglens ignores the connection option "target_session_attrs".']);
  });
});

describe('fields and environment', () => {
  it('uses discrete fields', () => {
    const resolved = resolve(named({ host: 'h', port: 5444, database: 'd', user: 'u', sslmode: 'disable' }));
    expect(resolved.config).toEqual({ host: 'h', port: 5444, database: 'd', user: 'u', ssl: false });
    expect(resolved.target).toBe('d@h:5444');
  });

  it('lets fields (the password from SecretStorage) override the connection string', () => {
    const resolved = resolve(named({ connectionString: 'postgres://a:old@h/db', password: 'new' }));
    expect(resolved.config).toEqual({ host: 'h', port: 5432, database: 'db', user: 'a', password: 'new', ssl: NO_VERIFY });
    expect(resolved.passwordSource).toBe('connection');
  });

  it('falls back to PG* variables for what the connection leaves out, and the connection wins', () => {
    const env = { PGHOST: 'envhost', PGPORT: '6000', PGDATABASE: 'envdb', PGUSER: 'envuser', PGPASSWORD: 'envpw', PGSSLMODE: 'disable' };
    const resolved = resolve(named({ host: 'h' }), env);
    expect(resolved.config).toEqual({ host: 'h', port: 6000, database: 'envdb', user: 'envuser', password: 'envpw', ssl: false });
    expect(resolved.passwordSource).toBe('PGPASSWORD');
  });

  it('defaults the database to the user name', () => {
    expect(resolve(named({ host: 'h' }), { PGUSER: 'carol' }).config.database).toBe('carol');
  });

  it('reads PGSSLROOTCERT and PGCONNECT_TIMEOUT (at least 2 s, as libpq)', () => {
    const resolved = resolve(named({ host: 'h', sslmode: 'verify-full' }), { PGSSLROOTCERT: '/ca.pem', PGCONNECT_TIMEOUT: '1' }, { '/ca.pem': 'CA' });
    expect(resolved.config.ssl).toEqual({ ca: 'CA' });
    expect(resolved.connectTimeoutMs).toBe(2000);
  });

  it('uses DATABASE_URL only when no connection is configured', () => {
    const env = { DATABASE_URL: 'postgres://app@dbhost:5439/appdb', PGPASSWORD: 'pw' };
    const expected = { host: 'dbhost', port: 5439, database: 'appdb', user: 'app', password: 'pw', ssl: NO_VERIFY };
    expect(resolve(undefined, env).config).toEqual(expected);
    // The "Environment" entry of the client: a name, maybe the password the user typed.
    expect(resolve({ name: 'Environment', password: 'typed' }, env).config).toEqual({ ...expected, password: 'typed' });
    expect(resolve(named({ host: 'other' }), env).config).toEqual({ host: 'other', port: 5432, database: 'ada', user: 'ada', password: 'pw', ssl: NO_VERIFY });
  });

  it('resolves nothing configured and no environment to the libpq defaults', () => {
    expect(resolve(undefined).config).toEqual({ host: 'localhost', port: 5432, database: 'ada', user: 'ada', ssl: NO_VERIFY });
  });
});

describe('pg_service.conf', () => {
  const serviceFile = ['# services', '[prod]', 'host=prod.example.com', 'port=5440', 'user = deploy', 'dbname=shop', 'sslmode=disable', '', '[other]', 'host=x'].join('\n');

  it('fills from the service named in a DSN, PGSERVICEFILE first; the DSN wins', () => {
    const resolved = resolve(named({ connectionString: 'service=prod dbname=override' }), { PGSERVICEFILE: '/etc/pgs.conf' }, { '/etc/pgs.conf': serviceFile });
    expect(resolved.config).toEqual({ host: 'prod.example.com', port: 5440, database: 'override', user: 'deploy', ssl: false });
  });

  it('reads PGSERVICE and ~/.pg_service.conf; the service wins over PG* variables', () => {
    const resolved = resolve(undefined, { PGSERVICE: 'prod', PGHOST: 'envhost', PGPASSWORD: 'pw' }, { '/home/ada/.pg_service.conf': serviceFile });
    expect(resolved.config).toEqual({ host: 'prod.example.com', port: 5440, database: 'shop', user: 'deploy', password: 'pw', ssl: false });
  });

  it('looks in $PGSYSCONFDIR/pg_service.conf when the user file does not define the service', () => {
    const files = { '/home/ada/.pg_service.conf': '[mine]\nhost=mine', '/etc/postgresql-common/pg_service.conf': serviceFile };
    const resolved = resolve(named({ connectionString: 'service=prod' }), { PGSYSCONFDIR: '/etc/postgresql-common' }, files);
    expect(resolved.config.host).toBe('prod.example.com');
  });

  it('fails clearly on an unknown service', () => {
    expect(() => resolve(named({ connectionString: 'service=nope' }))).toThrow('Service "nope" not found in /home/ada/.pg_service.conf.');
  });
});

describe('.pgpass', () => {
  const pgpass = [
    '# host:port:database:user:password',
    'other.example.com:5432:*:alice:nope',
    'db.example.com:*:app:alice:first:ignored',
    'localhost:5432:*:alice:socket',
    '*:*:*:alice:wild\\:card\\\\pw',
  ].join('\n');

  it('takes the first matching line, with * wildcards and \\: escapes', () => {
    const files = { '/home/ada/.pgpass': pgpass };
    const first = resolve(named({ connectionString: 'postgres://alice@db.example.com:7000/app' }), {}, files);
    expect(first.config.password).toBe('first');
    expect(first.passwordSource).toBe('pgpass');
    expect(resolve(named({ connectionString: 'postgres://alice@elsewhere/app' }), {}, files).config.password).toBe('wild:card\\pw');
    expect(resolve(named({ connectionString: 'postgres://bob@elsewhere/app' }), {}, files).config.password).toBeUndefined();
  });

  it('matches a socket directory as localhost', () => {
    const resolved = resolve(named({ host: '/tmp', user: 'alice' }), {}, { '/home/ada/.pgpass': pgpass });
    expect(resolved.config).toEqual({ host: '/tmp', port: 5432, database: 'alice', user: 'alice', password: 'socket', ssl: false });
  });

  it('reads PGPASSFILE, and is not consulted when a password is given', () => {
    const files = { '/secrets/pgpass': pgpass };
    expect(resolve(named({ host: 'x', user: 'alice' }), { PGPASSFILE: '/secrets/pgpass' }, files).config.password).toBe('wild:card\\pw');
    expect(resolve(named({ host: 'x', user: 'alice' }), { PGPASSFILE: '/secrets/pgpass', PGPASSWORD: 'env' }, files).config.password).toBe('env');
  });

  it('ignores a file that group or others can access, with a warning, as libpq does', () => {
    for (const mode of [0o640, 0o604, 0o660]) {
      const resolved = resolve(named({ host: 'x', user: 'alice' }), {}, { '/home/ada/.pgpass': { text: pgpass, mode } });
      expect(resolved.config.password).toBeUndefined();
      expect(resolved.warnings).toEqual([
        `Password file /home/ada/.pgpass has group or world access (mode 0${mode.toString(8)}); it is ignored: run chmod 0600 /home/ada/.pgpass.`,
      ]);
    }
    expect(resolve(named({ host: 'x', user: 'alice' }), {}, { '/home/ada/.pgpass': { text: pgpass, mode: 0o400 } }).config.password).toBe('wild:card\\pw');
  });

  it('uses %APPDATA%\\postgresql\\pgpass.conf on Windows, without the permission check', () => {
    const files = { '/appdata/postgresql/pgpass.conf': { text: pgpass, mode: 0o666 } };
    const resolved = resolve(named({ host: 'x', user: 'alice' }), { APPDATA: '/appdata' }, files, 'win32');
    expect(resolved.config.password).toBe('wild:card\\pw');
  });
});

describe('sslmode', () => {
  const base = { host: 'h', port: 5432, database: 'd', user: 'u' };
  const ssl = (fields: Omit<ConnectionConfig, 'name'>, files: Files = {}): ResolvedConnection =>
    resolve(named({ host: 'h', database: 'd', user: 'u', ...fields }), {}, files);

  it('disable: no SSL', () => {
    expect(ssl({ sslmode: 'disable' }).config).toEqual({ ...base, ssl: false });
  });

  it('allow and prefer: SSL without verification, and a plain fallback', () => {
    for (const sslmode of ['allow', 'prefer'] as const) {
      const resolved = ssl({ sslmode });
      expect(resolved.config).toEqual({ ...base, ssl: NO_VERIFY });
      expect(resolved.fallback).toEqual({ ...base, ssl: false });
    }
  });

  it('require: SSL without verification and no fallback; with a root certificate, verify-ca (libpq)', () => {
    const plain = ssl({ sslmode: 'require' });
    expect(plain.config).toEqual({ ...base, ssl: NO_VERIFY });
    expect(plain.fallback).toBeUndefined();
    const withCa = ssl({ sslmode: 'require' }, { '/home/ada/.postgresql/root.crt': 'ROOT' });
    expect(withCa.config.ssl).toEqual({ ca: 'ROOT', checkServerIdentity: expect.any(Function) });
  });

  it('verify-ca: the CA from sslrootcert, no host name check', () => {
    const resolved = ssl({ sslmode: 'verify-ca', sslrootcert: '/certs/ca.pem' }, { '/certs/ca.pem': 'CA' });
    expect(resolved.config).toEqual({ ...base, ssl: { ca: 'CA', checkServerIdentity: expect.any(Function) } });
    const check = (resolved.config.ssl as { checkServerIdentity: () => unknown }).checkServerIdentity;
    expect(check()).toBeUndefined();
  });

  it('verify-full: the CA and the host name check (Node default); ~/.postgresql/root.crt by default; sslrootcert=system', () => {
    expect(ssl({ sslmode: 'verify-full', sslrootcert: '/certs/ca.pem' }, { '/certs/ca.pem': 'CA' }).config).toEqual({ ...base, ssl: { ca: 'CA' } });
    expect(ssl({ sslmode: 'verify-full' }, { '/home/ada/.postgresql/root.crt': 'ROOT' }).config.ssl).toEqual({ ca: 'ROOT' });
    expect(ssl({ sslmode: 'verify-full', sslrootcert: 'system' }).config.ssl).toEqual({});
  });

  it('verify-*: a missing CA file is a clear error', () => {
    expect(() => ssl({ sslmode: 'verify-full' })).toThrow(
      'sslmode=verify-full needs the CA certificate, but sslrootcert /home/ada/.postgresql/root.crt cannot be read: set sslrootcert to the right file.',
    );
  });

  it('reads client certificates from sslcert and sslkey', () => {
    const resolved = resolve(named({ connectionString: 'host=h dbname=d user=u sslmode=require sslcert=/c.crt sslkey=/c.key' }), {}, { '/c.crt': 'CERT', '/c.key': 'KEY' });
    expect(resolved.config.ssl).toEqual({ rejectUnauthorized: false, cert: 'CERT', key: 'KEY' });
  });
});

describe('describeTarget and redactSecrets', () => {
  it('describes database@host:port and never the password', () => {
    expect(describeTarget({ host: 'h', port: 5433, database: 'd', user: 'u', password: 'secret' })).toBe('d@h:5433');
    expect(describeTarget({ name: 'x', connectionString: 'postgres://u:secret@h/d' })).toBe('d@h:5432');
    expect(describeTarget({ name: 'x', connectionString: 'host=h user=u password=secret' })).toBe('u@h:5432');
    expect(describeTarget({ name: 'x', connectionString: "host='h password=secret" })).toBe("host='h password=***");
  });

  it('redacts URL passwords, password parameters and DSN passwords', () => {
    expect(redactSecrets('postgres://u:p%40ss@h:5432/d')).toBe('postgres://u:***@h:5432/d');
    expect(redactSecrets('postgresql://u@h/d?password=x&sslmode=require')).toBe('postgresql://u@h/d?password=***&sslmode=require');
    expect(redactSecrets('postgres://h/d')).toBe('postgres://h/d');
    expect(redactSecrets("host=h password='a b\\' c' user=u")).toBe('host=h password=*** user=u');
    expect(redactSecrets('host=h password = secret user=u')).toBe('host=h password = *** user=u');
  });
});
