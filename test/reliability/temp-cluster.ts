/**
 * A PostgreSQL cluster of the test's own (never the shared 5432 server): initdb in a temporary
 * folder, its own port, ssl=on with a CA and a server certificate made here with openssl. The
 * certificate names `localhost` only, so `127.0.0.1` fails verify-full and passes verify-ca. Tests
 * may restart it and kill its sessions. As root (CI), the server runs as the `postgres` user.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TempCluster {
  port: number;
  /** The folder of the CA certificate (`ca.crt`), another CA's (`other-ca.crt`) and the server's files. */
  dir: string;
  caFile: string;
  otherCaFile: string;
  restart(): void;
  stop(): void;
  /** Runs SQL as the superuser through psql on the cluster's socket; returns psql's output. */
  psql(sql: string): string;
}

/** Where initdb and pg_ctl are: PGLENS_PG_BIN, else Debian's PostgreSQL 15, else pg_config's. */
function binDir(): string {
  if (process.env.PGLENS_PG_BIN) return process.env.PGLENS_PG_BIN;
  const debian = '/usr/lib/postgresql/15/bin';
  if (fs.existsSync(path.join(debian, 'initdb'))) return debian;
  return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary as the user that owns the cluster. */
function run(binary: string, args: string[]): string {
  const file = path.join(binDir(), binary);
  return asRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    : execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'ignore' });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A CA and a certificate for `localhost` signed by it, plus an unrelated CA. */
function makeCertificates(dir: string): void {
  const days = ['-days', '2'];
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=pglens test CA', ...days], dir);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other-ca.key', '-out', 'other-ca.crt', '-subj', '/CN=pglens other CA', ...days], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'], dir);
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName = DNS:localhost\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-extfile', 'server.ext', ...days], dir);
}

export async function startTempCluster(): Promise<TempCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-cluster-'));
  const data = path.join(dir, 'data');
  const port = await freePort();
  makeCertificates(dir);
  fs.chmodSync(dir, 0o755);
  for (const file of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, file), file.endsWith('.key') ? 0o600 : 0o644);
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  fs.appendFileSync(
    path.join(data, 'postgresql.conf'),
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      'ssl = on',
      `ssl_cert_file = '${path.join(dir, 'server.crt')}'`,
      `ssl_key_file = '${path.join(dir, 'server.key')}'`,
      'fsync = off',
      'max_connections = 40',
      'shared_buffers = 16MB',
      '',
    ].join('\n'),
  );
  const logFile = path.join(dir, 'server.log');
  const pgCtl = (...args: string[]): string => run('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '60', ...args]);
  pgCtl('start');
  const cluster: TempCluster = {
    port,
    dir,
    caFile: path.join(dir, 'ca.crt'),
    otherCaFile: path.join(dir, 'other-ca.crt'),
    restart: () => void pgCtl('restart', '-m', 'fast'),
    stop: () => {
      try {
        pgCtl('stop', '-m', 'immediate');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    psql: (sql) => {
      const file = path.join(binDir(), '..', 'bin', 'psql');
      const psql = fs.existsSync(file) ? file : 'psql';
      return execFileSync(psql, ['-X', '-q', '-At', '-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
    },
  };
  return cluster;
}
