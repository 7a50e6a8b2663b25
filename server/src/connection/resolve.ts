/**
 * The one module that turns user input into a connection config. Its API (stable; the client and
 * every server path use these and nothing else):
 * - `resolveConnection(config, options)`: a ConnectionConfig (the editor's settings) → ResolvedConnection;
 * - `resolveInput(text, options)`: what a user typed (`--db`, `--from`, `--shadow-url`: a URL, a
 *   keyword DSN, `service=…`, or nothing: the PG* environment) → ResolvedConnection;
 * - `isConnectionString(text)`: whether text is a URL or a keyword DSN rather than a path;
 * - `parseConnectionString(text)`: libpq keywords of a URL or DSN (for display, no defaults applied);
 * - `describeTarget(config)`: `database@host:port`, for messages and the status bar.
 * The result's `config` is a `pg` ClientConfig with discrete fields and TLS options; pass it on as
 * it is (`openDatabase` in open.ts connects with it): it is never turned back into a URL, which would
 * lose socket directories, IPv6 hosts and sslrootcert. Redaction is redact.ts's `redactSecrets`.
 *
 * Resolves a ConnectionConfig into a `pg` ClientConfig the way libpq (psql) would: a connection string
 * (`postgres://…` URL or `key=value` DSN), then the settings' discrete fields, then the service named by
 * `service=` or PGSERVICE (pg_service.conf), then the PG* environment variables, then the defaults;
 * the password, when none is given, from .pgpass. DATABASE_URL stands in for the connection string only
 * when nothing at all is configured. Everything it reads (environment, files) comes in through
 * ResolveOptions, so tests inject them.
 *
 * Differences from libpq, on purpose: one host only (no `host=a,b` failover); `sslmode=allow` behaves as
 * `prefer` (SSL first, plain if the server has none); without any host and no local socket found,
 * `localhost` over TCP.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ClientConfig } from 'pg';
import type { ConnectionConfig } from '../../../protocol/messages';
import { ConnectionConfigError } from './errors';
import { redactSecrets } from './redact';

export type SslMode = NonNullable<ConnectionConfig['sslmode']>;
const SSL_MODES: readonly string[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] satisfies SslMode[];

/** How resolve reads files; the default is node:fs. */
export interface FileReader {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  read(file: string): string | undefined;
  /** The permission bits (`mode & 0o777`), or undefined when the file does not exist. */
  mode(file: string): number | undefined;
}

export interface ResolveOptions {
  /** Defaults to process.env. */
  env?: Record<string, string | undefined>;
  files?: FileReader;
  /** Defaults to os.homedir(). */
  homedir?: string;
  /** The operating-system user: libpq's default user name. Defaults to os.userInfo().username. */
  username?: string;
  /** Defaults to process.platform (Windows: %APPDATA%\postgresql\pgpass.conf, no permission check). */
  platform?: NodeJS.Platform;
}

export interface ResolvedConnection {
  /** host, port, database, user, ssl, and password when one was found. */
  config: ClientConfig;
  /** For sslmode prefer/allow: the same without SSL, to use when the server does not support SSL. */
  fallback?: ClientConfig;
  sslmode: SslMode;
  /** Where the password came from, when there is one. */
  passwordSource?: 'connection' | 'service' | 'PGPASSWORD' | 'pgpass';
  /** `connect_timeout` / PGCONNECT_TIMEOUT, in milliseconds. */
  connectTimeoutMs?: number;
  /** `database@host:port`, for messages and the status bar. */
  target: string;
  /** Things the user should know (an unsafe .pgpass ignored, an option pglens ignores). */
  warnings: string[];
}

/** libpq keyword → environment variable. */
const ENVIRONMENT: Record<string, string> = {
  host: 'PGHOST',
  port: 'PGPORT',
  dbname: 'PGDATABASE',
  user: 'PGUSER',
  password: 'PGPASSWORD',
  sslmode: 'PGSSLMODE',
  sslrootcert: 'PGSSLROOTCERT',
  sslcert: 'PGSSLCERT',
  sslkey: 'PGSSLKEY',
  connect_timeout: 'PGCONNECT_TIMEOUT',
  passfile: 'PGPASSFILE',
  options: 'PGOPTIONS',
};
const SUPPORTED = new Set([...Object.keys(ENVIRONMENT), 'service', 'application_name']);
/** Where libpq-based clients put the server socket by default (Debian's, then upstream's). */
const SOCKET_DIRECTORIES = ['/var/run/postgresql', '/tmp'];

type Params = Record<string, string>;

export const nodeFiles: FileReader = {
  read(file) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  mode(file) {
    try {
      return fs.statSync(file).mode & 0o777;
    } catch {
      return undefined;
    }
  },
};

/** Resolves `config` (or nothing: the environment alone) into a `pg` ClientConfig. Throws ConnectionConfigError. */
export function resolveConnection(config: ConnectionConfig | undefined, options: ResolveOptions = {}): ResolvedConnection {
  const env = options.env ?? process.env;
  const files = options.files ?? nodeFiles;
  const home = options.homedir ?? os.homedir();
  const platform = options.platform ?? process.platform;
  const warnings: string[] = [];
  let passwordSource: ResolvedConnection['passwordSource'];

  // 1. What the connection says: its connection string (or DATABASE_URL), then its fields on top.
  const params: Params = {};
  const connectionString = config?.connectionString?.trim() || (isConfigured(config) ? undefined : env.DATABASE_URL?.trim() || undefined);
  if (connectionString) Object.assign(params, parseConnectionString(connectionString));
  if (config) {
    const fields: Params = {
      host: config.host ?? '',
      port: config.port === undefined ? '' : String(config.port),
      dbname: config.database ?? '',
      user: config.user ?? '',
      password: config.password ?? '',
      sslmode: config.sslmode ?? '',
      sslrootcert: config.sslrootcert ?? '',
    };
    for (const [key, value] of Object.entries(fields)) if (value !== '') params[key] = value;
  }
  if (params.password !== undefined) passwordSource = 'connection';

  // 2. The service file fills what is still missing, then 3. the environment.
  const service = params.service ?? nonEmpty(env.PGSERVICE);
  if (service !== undefined) {
    for (const [key, value] of Object.entries(lookupService(service, env, home, files))) {
      if (params[key] === undefined && key !== 'service') {
        params[key] = value;
        if (key === 'password') passwordSource = 'service';
      }
    }
  }
  for (const [key, variable] of Object.entries(ENVIRONMENT)) {
    const value = nonEmpty(env[variable]);
    if (params[key] === undefined && value !== undefined) {
      params[key] = value;
      if (key === 'password') passwordSource = 'PGPASSWORD';
    }
  }
  for (const key of Object.keys(params)) {
    if (!SUPPORTED.has(key)) warnings.push(`pglens ignores the connection option "${key}".`);
  }

  // 4. Defaults, as libpq: the local socket if there is one, port 5432, the OS user, a database named after the user.
  if (params.host?.includes(',')) throw new ConnectionConfigError(`Several hosts (host=${params.host}) are not supported: pglens connects to one host.`);
  const port = parsePort(params.port ?? '5432');
  const host = params.host ?? defaultHost(port, files, platform);
  const user = params.user ?? options.username ?? os.userInfo().username;
  const database = params.dbname ?? user;
  const sslmode = parseSslMode(params.sslmode ?? 'prefer');
  const socket = host.startsWith('/');

  // 5. The password file, when no password is given.
  let password: string | undefined = params.password;
  if (password === undefined) {
    const passfile = params.passfile ?? defaultPassfile(env, home, platform);
    password = passwordFromFile(passfile, { host: socket ? 'localhost' : host, port: String(port), database, user }, files, platform, warnings);
    if (password !== undefined) passwordSource = 'pgpass';
  }

  const ssl = socket ? false : sslConfig(sslmode, params, home, files);
  const clientConfig: ClientConfig = {
    host,
    port,
    database,
    user,
    ...(password !== undefined ? { password } : {}),
    ssl,
    ...(params.options !== undefined ? { options: params.options } : {}),
  };
  const connectTimeout = params.connect_timeout === undefined ? undefined : Number(params.connect_timeout);
  return {
    config: clientConfig,
    ...(ssl !== false && (sslmode === 'prefer' || sslmode === 'allow') ? { fallback: { ...clientConfig, ssl: false } } : {}),
    sslmode,
    ...(passwordSource !== undefined ? { passwordSource } : {}),
    // libpq: 0 means wait forever, and less than 2 s is raised to 2 s.
    ...(connectTimeout !== undefined && Number.isFinite(connectTimeout) && connectTimeout > 0
      ? { connectTimeoutMs: Math.max(2, Math.floor(connectTimeout)) * 1000 }
      : {}),
    target: describeTarget(clientConfig),
    warnings,
  };
}

/**
 * What a user typed as a database (`--db`, `--from`, `--shadow-url`), resolved as psql would resolve
 * it: a URL or a keyword DSN, else (empty) the PG* environment and DATABASE_URL.
 */
export function resolveInput(input: string | undefined, options: ResolveOptions = {}): ResolvedConnection {
  return resolveConnection(input?.trim() ? { name: 'command line', connectionString: input } : undefined, options);
}

/** A `postgres://` URL or a libpq keyword DSN (`host=… dbname=…`), as opposed to a file or folder. */
export function isConnectionString(text: string): boolean {
  return isUrl(text) || /^\s*[A-Za-z_]+\s*=/.test(text);
}

/** `database@host:port` (never the password), for the status bar and messages. */
export function describeTarget(config: ClientConfig | ConnectionConfig): string {
  let fields: { host?: string; port?: number | string; database?: string; user?: string } = config;
  if (config.connectionString && config.host === undefined) {
    try {
      const params = parseConnectionString(config.connectionString);
      fields = { host: params.host, port: params.port, database: params.dbname, user: params.user };
    } catch {
      return redactSecrets(config.connectionString);
    }
  }
  const host = fields.host || 'localhost';
  const database = fields.database || fields.user || '(default)';
  return `${database}@${host.includes(':') ? `[${host}]` : host}:${fields.port ?? 5432}`;
}

/** Parses a `postgres://` URL or a `key=value` DSN into libpq keywords. Throws ConnectionConfigError. */
export function parseConnectionString(connectionString: string): Params {
  return isUrl(connectionString) ? parseUrl(connectionString) : parseDsn(connectionString);
}

function isUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//i.test(s.trim());
}

/** `postgresql://[user[:password]@][host][:port][/dbname][?key=value&…]`, percent-decoded. */
function parseUrl(url: string): Params {
  const params: Params = {};
  const rest = url.trim().replace(/^postgres(ql)?:\/\//i, '');
  const queryAt = rest.indexOf('?');
  const beforeQuery = queryAt < 0 ? rest : rest.slice(0, queryAt);
  const slash = beforeQuery.indexOf('/');
  const authority = slash < 0 ? beforeQuery : beforeQuery.slice(0, slash);
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    setIf(params, 'user', decode(colon < 0 ? userinfo : userinfo.slice(0, colon), url));
    if (colon >= 0) setIf(params, 'password', decode(userinfo.slice(colon + 1), url));
  }
  const hostport = authority.slice(at + 1);
  const hostMatch = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostport);
  if (hostMatch) {
    setIf(params, 'host', decode(hostMatch[1].replace(/^\[(.*)\]$/, '$1'), url));
    setIf(params, 'port', decode(hostMatch[2] ?? '', url));
  }
  if (slash >= 0) setIf(params, 'dbname', decode(beforeQuery.slice(slash + 1), url));
  if (queryAt >= 0) {
    for (const pair of rest.slice(queryAt + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      if (eq < 0) throw new ConnectionConfigError(`Invalid URL parameter "${pair}" in ${redactSecrets(url)}: expected key=value.`);
      params[decode(pair.slice(0, eq), url)] = decode(pair.slice(eq + 1), url);
    }
  }
  return params;
}

/** libpq's `key=value key2='value with spaces'` with backslash escapes. */
function parseDsn(dsn: string): Params {
  const params: Params = {};
  let i = 0;
  const skipSpace = (): void => {
    while (i < dsn.length && /\s/.test(dsn[i])) i++;
  };
  while (true) {
    skipSpace();
    if (i >= dsn.length) break;
    const keyStart = i;
    while (i < dsn.length && dsn[i] !== '=' && !/\s/.test(dsn[i])) i++;
    const key = dsn.slice(keyStart, i);
    skipSpace();
    if (dsn[i] !== '=' || key === '') {
      throw new ConnectionConfigError(`Invalid connection string: missing "=" after "${key}" (expected a postgres:// URL or key=value pairs).`);
    }
    i++;
    skipSpace();
    let value = '';
    if (dsn[i] === "'") {
      i++;
      while (i < dsn.length && dsn[i] !== "'") {
        if (dsn[i] === '\\' && i + 1 < dsn.length) i++;
        value += dsn[i++];
      }
      if (dsn[i] !== "'") throw new ConnectionConfigError(`Invalid connection string: unterminated quoted value of "${key}".`);
      i++;
    } else {
      while (i < dsn.length && !/\s/.test(dsn[i])) {
        if (dsn[i] === '\\' && i + 1 < dsn.length) i++;
        value += dsn[i++];
      }
    }
    params[key] = value;
  }
  return params;
}

/**
 * The `[name]` section of the user's service file (PGSERVICEFILE, else ~/.pg_service.conf), else of
 * the system one ($PGSYSCONFDIR/pg_service.conf), as libpq looks them up.
 */
function lookupService(name: string, env: Record<string, string | undefined>, home: string, files: FileReader): Params {
  const candidates = [nonEmpty(env.PGSERVICEFILE) ?? path.join(home, '.pg_service.conf')];
  const sysconf = nonEmpty(env.PGSYSCONFDIR);
  if (sysconf !== undefined) candidates.push(path.join(sysconf, 'pg_service.conf'));
  for (const file of candidates) {
    const text = files.read(file);
    if (text === undefined) continue;
    const section = parseServiceFile(text).get(name);
    if (section) return section;
  }
  throw new ConnectionConfigError(`Service "${name}" not found in ${candidates.join(' or ')}.`);
}

/** INI sections of `key=value` lines; `#` starts a comment line. */
export function parseServiceFile(text: string): Map<string, Params> {
  const sections = new Map<string, Params>();
  let current: Params | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      const name = header[1].trim();
      current = sections.get(name) ?? {};
      sections.set(name, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0 && current) current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return sections;
}

function defaultPassfile(env: Record<string, string | undefined>, home: string, platform: NodeJS.Platform): string {
  const fromEnv = nonEmpty(env.PGPASSFILE);
  if (fromEnv !== undefined) return fromEnv;
  if (platform === 'win32') return path.join(env.APPDATA ?? home, 'postgresql', 'pgpass.conf');
  return path.join(home, '.pgpass');
}

interface PasswordKey {
  host: string;
  port: string;
  database: string;
  user: string;
}

/**
 * The password of the first matching `host:port:database:user:password` line (`*` matches anything,
 * `\:` and `\\` escape; the password ends at the next unescaped colon). Like libpq, a file that others
 * can read or write is ignored, with a warning.
 */
function passwordFromFile(file: string, key: PasswordKey, files: FileReader, platform: NodeJS.Platform, warnings: string[]): string | undefined {
  const mode = files.mode(file);
  if (mode === undefined) return undefined;
  if (platform !== 'win32' && (mode & 0o077) !== 0) {
    warnings.push(`Password file ${file} has group or world access (mode ${mode.toString(8).padStart(4, '0')}); it is ignored: run chmod 0600 ${file}.`);
    return undefined;
  }
  const text = files.read(file);
  if (text === undefined) return undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = splitPgpassLine(line);
    if (fields.length < 5) continue;
    const [host, port, database, user] = fields;
    const matches = (pattern: string, value: string): boolean => pattern === '*' || pattern === value;
    if (matches(host, key.host) && matches(port, key.port) && matches(database, key.database) && matches(user, key.user)) {
      return fields[4];
    }
  }
  return undefined;
}

function splitPgpassLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && i + 1 < line.length) {
      field += line[++i];
    } else if (ch === ':') {
      fields.push(field);
      field = '';
    } else {
      field += ch;
    }
  }
  fields.push(field);
  return fields;
}

function sslConfig(mode: SslMode, params: Params, home: string, files: FileReader): ClientConfig['ssl'] {
  if (mode === 'disable') return false;
  const client: { cert?: string; key?: string } = {};
  if (params.sslcert !== undefined) client.cert = readRequired(params.sslcert, 'sslcert', files);
  if (params.sslkey !== undefined) client.key = readRequired(params.sslkey, 'sslkey', files);

  const rootcert = params.sslrootcert ?? path.join(home, '.postgresql', 'root.crt');
  // libpq: with require, an existing root certificate makes the check that of verify-ca.
  const verify = mode === 'verify-ca' || mode === 'verify-full' || (mode === 'require' && rootcert !== 'system' && files.read(rootcert) !== undefined);
  if (!verify) return { rejectUnauthorized: false, ...client };
  // sslrootcert=system (PostgreSQL 16): the trusted CAs of the platform, i.e. Node's defaults.
  const ca = rootcert === 'system' ? {} : { ca: readRequired(rootcert, 'sslrootcert', files, mode) };
  if (mode === 'verify-full') return { ...ca, ...client };
  return { ...ca, ...client, checkServerIdentity: () => undefined };
}

function readRequired(file: string, option: string, files: FileReader, mode?: SslMode): string {
  const text = files.read(file);
  if (text === undefined) {
    const why = mode ? `sslmode=${mode} needs the CA certificate, but ` : '';
    throw new ConnectionConfigError(`${why}${option} ${file} cannot be read: set ${option} to the right file.`);
  }
  return text;
}

function defaultHost(port: number, files: FileReader, platform: NodeJS.Platform): string {
  if (platform === 'win32') return 'localhost';
  return SOCKET_DIRECTORIES.find((dir) => files.mode(path.posix.join(dir, `.s.PGSQL.${port}`)) !== undefined) ?? 'localhost';
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new ConnectionConfigError(`Invalid port "${value}": expected a number from 1 to 65535.`);
  return port;
}

function parseSslMode(value: string): SslMode {
  if (!SSL_MODES.includes(value)) throw new ConnectionConfigError(`Invalid sslmode "${value}": expected one of ${SSL_MODES.join(', ')}.`);
  return value as SslMode;
}

/** A connection that names no database at all (only a name, maybe a password): the environment decides. */
function isConfigured(config: ConnectionConfig | undefined): boolean {
  if (!config) return false;
  return [config.connectionString, config.host, config.port, config.database, config.user, config.sslmode, config.sslrootcert].some(
    (value) => value !== undefined && value !== '',
  );
}

function decode(value: string, url: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ConnectionConfigError(`Invalid percent-encoding in ${redactSecrets(url)}.`);
  }
}

function setIf(params: Params, key: string, value: string): void {
  if (value !== '') params[key] = value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
