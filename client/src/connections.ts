/**
 * Live-database connections on the extension side: the `pglens.connections` setting (plus the
 * environment, DATABASE_URL / PG*), the Connect / Disconnect / Refresh commands, passwords in
 * SecretStorage, and reconnection to the last used connection on startup. The server resolves and
 * opens the connection; this side only picks it and supplies the password.
 */
import * as vscode from 'vscode';
import { ConnectRequest, DescribeConnectionRequest, DisconnectRequest, RefreshSchemaRequest } from '../../protocol/messages';
import type { ConnectionConfig, ConnectionStatus } from '../../protocol/messages';
import type { Ctx } from './ctx';
import { sendRequest, sendRequest0 } from './requests';

/** workspaceState key of the last connection used, reconnected on startup. */
const LAST_CONNECTION = 'pglens.lastConnection';
/** The name of the entry that stands for DATABASE_URL / PG* variables. */
export const ENVIRONMENT_ENTRY = 'Environment';
/** Status codes after which the password is asked for. */
const PASSWORD_CODES = new Set(['28P01', 'PGLENS_NO_PASSWORD']);
const SSL_MODES = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

export interface ConnectionEntry {
  /** Never holds a password. */
  config: ConnectionConfig;
  /** `user@host:port/db`, for the picker; also what a stored password is bound to. */
  detail: string;
  source: 'settings' | 'environment';
}

/** Passwords as stored in SecretStorage: bound to the target, so a renamed or edited connection cannot receive them. */
interface StoredPassword {
  target: string;
  password: string;
}

const warned = new Set<string>();

/** The configured connections, then the environment's when DATABASE_URL or PG* variables are set. */
async function readConnections(ctx: Ctx, env: NodeJS.ProcessEnv = process.env): Promise<ConnectionEntry[]> {
  const raw = vscode.workspace.getConfiguration('pglens').get<unknown>('connections');
  const entries: ConnectionEntry[] = [];
  for (const item of Array.isArray(raw) ? raw : []) {
    const config = validate(item);
    if (config) entries.push({ config, detail: await detailOf(ctx, config), source: 'settings' });
  }
  const environment = await environmentEntry(ctx, env);
  if (environment && !entries.some((entry) => entry.config.name === ENVIRONMENT_ENTRY)) entries.push(environment);
  return entries;
}

/** pglens.connect: pick a connection, connect, ask for the password when the server says it is needed. */
export async function connectCommand(ctx: Ctx): Promise<void> {
  const entries = await readConnections(ctx);
  if (entries.length === 0) {
    const open = await vscode.window.showInformationMessage(
      'pglens: no database connection configured. Add one to the pglens.connections setting, or set DATABASE_URL or PGHOST/PGDATABASE/PGUSER.',
      'Open Settings',
    );
    if (open) await vscode.commands.executeCommand('workbench.action.openSettings', 'pglens.connections');
    return;
  }
  const current = ctx.extension.workspaceState.get<string>(LAST_CONNECTION);
  const picked = await vscode.window.showQuickPick(
    entries.map((entry) => ({
      label: entry.config.name,
      description: [entry.source === 'environment' ? 'DATABASE_URL / PG* variables' : '', entry.config.name === current ? '(last used)' : '']
        .filter(Boolean)
        .join(' '),
      detail: entry.detail,
      entry,
    })),
    { title: 'pglens: Connect to a Database', placeHolder: 'Which database should pglens read its schema from?', matchOnDetail: true },
  );
  if (!picked) return;
  const status = await connectTo(ctx, picked.entry, true);
  if (status.state === 'connected') {
    vscode.window.setStatusBarMessage(`pglens: connected to ${status.label}`, 3000);
  } else if (status.state === 'error') {
    void vscode.window.showErrorMessage(`pglens: ${status.error ?? 'cannot connect'}`);
  }
}

/** pglens.disconnect: back to the embedded shadow database; no reconnection on the next startup. */
export async function disconnectCommand(ctx: Ctx): Promise<void> {
  const status = await sendRequest0(ctx.client, DisconnectRequest.type);
  ctx.status.update(status);
  await ctx.extension.workspaceState.update(LAST_CONNECTION, undefined);
}

/** pglens.refreshSchema: reload the snapshot now (or, after an error, try to reconnect now). */
export async function refreshSchemaCommand(ctx: Ctx): Promise<void> {
  const status = await loading('pglens: loading the schema…', () => sendRequest0(ctx.client, RefreshSchemaRequest.type));
  ctx.status.update(status);
  if (status.state === 'error') {
    void vscode.window.showErrorMessage(`pglens: ${status.error ?? 'cannot refresh the schema'}`);
  } else if (status.state === 'embedded') {
    void vscode.window.showInformationMessage('pglens: not connected to a database; run "pglens: Connect to Database" first.');
  } else {
    vscode.window.setStatusBarMessage(`pglens: schema of ${status.label} refreshed`, 3000);
  }
}

/** After each start of the language server: reconnect to the connection used last in this workspace, without prompting. */
export async function reconnectLastUsed(ctx: Ctx): Promise<void> {
  const name = ctx.extension.workspaceState.get<string>(LAST_CONNECTION);
  if (!name) return;
  const entry = (await readConnections(ctx)).find((candidate) => candidate.config.name === name);
  if (!entry) {
    ctx.output.info(`The last used connection "${name}" is no longer configured.`);
    await ctx.extension.workspaceState.update(LAST_CONNECTION, undefined);
    return;
  }
  const status = await connectTo(ctx, entry, false);
  ctx.output.info(`Reconnecting to "${name}": ${status.state}${status.error ? ` (${status.error})` : ''}`);
}

/**
 * Connects with the stored password (or none: the server may find one in PGPASSWORD or .pgpass).
 * When the server reports a wrong or missing password: a wrong stored one is deleted and, if
 * `interactive`, the user is asked once; a password that works is stored.
 */
async function connectTo(ctx: Ctx, entry: ConnectionEntry, interactive: boolean): Promise<ConnectionStatus> {
  const secrets = ctx.extension.secrets;
  const key = `pglens.password.${entry.config.name}`;
  const stored = parseStored(await secrets.get(key), entry.detail);
  let status = await send(ctx, entry, stored);
  if (status.state === 'error' && status.errorCode !== undefined && PASSWORD_CODES.has(status.errorCode)) {
    if (stored !== undefined && status.errorCode === '28P01') await secrets.delete(key);
    if (!interactive) return status;
    const password = await vscode.window.showInputBox({
      title: `pglens: password for ${entry.detail}`,
      prompt: status.error,
      password: true,
      ignoreFocusOut: true,
    });
    if (password === undefined) return status;
    status = await send(ctx, entry, password);
    if (status.state === 'connected') {
      const value: StoredPassword = { target: entry.detail, password };
      await secrets.store(key, JSON.stringify(value));
    }
  }
  if (status.state === 'connected') await ctx.extension.workspaceState.update(LAST_CONNECTION, entry.config.name);
  return status;
}

async function send(ctx: Ctx, entry: ConnectionEntry, password: string | undefined): Promise<ConnectionStatus> {
  const settings = vscode.workspace.getConfiguration('pglens');
  const params: ConnectRequest.Params = {
    ...entry.config,
    ...(password !== undefined ? { password } : {}),
    pollIntervalMs: settings.get<number>('pollIntervalMs', 5000),
    statementTimeoutMs: settings.get<number>('statementTimeoutMs', 5000),
  };
  ctx.status.update({ state: 'connecting', label: entry.detail });
  const status = await loading(`pglens: connecting to ${entry.detail} and loading its schema…`, () => sendRequest(ctx.client, ConnectRequest.type, params));
  ctx.status.update(status);
  return status;
}

/** A progress notification while the schema loads (seconds on a catalog of thousands of tables). */
function loading<T>(title: string, work: () => Thenable<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, work);
}

function parseStored(value: string | undefined, target: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    const stored = JSON.parse(value) as Partial<StoredPassword>;
    return stored.target === target && typeof stored.password === 'string' ? stored.password : undefined;
  } catch {
    return undefined;
  }
}

/** One item of pglens.connections, or undefined (with a warning) when unusable. A `password` key is dropped. */
function validate(item: unknown): ConnectionConfig | undefined {
  if (!item || typeof item !== 'object' || typeof (item as { name?: unknown }).name !== 'string' || (item as { name: string }).name === '') {
    warnOnce('pglens.connections: every connection needs a "name"; an entry without one is ignored.');
    return undefined;
  }
  const fields = item as Record<string, unknown>;
  const name = fields.name as string;
  if ('password' in fields) {
    warnOnce(
      `pglens.connections: "${name}" has a "password", which is ignored: passwords belong in SecretStorage. Remove it from the settings; pglens asks for the password when it connects and stores it securely.`,
    );
  }
  const text = (key: string): string | undefined => (typeof fields[key] === 'string' && fields[key] !== '' ? (fields[key] as string) : undefined);
  const config: ConnectionConfig = { name };
  const connectionString = text('connectionString');
  if (connectionString) config.connectionString = connectionString;
  for (const key of ['host', 'database', 'user', 'sslrootcert'] as const) {
    const value = text(key);
    if (value !== undefined) config[key] = value;
  }
  const port = typeof fields.port === 'string' ? Number(fields.port) : fields.port;
  if (typeof port === 'number' && Number.isInteger(port)) config.port = port;
  const sslmode = text('sslmode');
  if (sslmode !== undefined) {
    if (SSL_MODES.has(sslmode)) config.sslmode = sslmode as ConnectionConfig['sslmode'];
    else warnOnce(`pglens.connections: "${name}" has an unknown sslmode "${sslmode}"; it is ignored.`);
  }
  return config;
}

async function environmentEntry(ctx: Ctx, env: NodeJS.ProcessEnv): Promise<ConnectionEntry | undefined> {
  if (env.DATABASE_URL) {
    return { config: { name: ENVIRONMENT_ENTRY }, detail: await detailOf(ctx, { name: ENVIRONMENT_ENTRY, connectionString: env.DATABASE_URL }), source: 'environment' };
  }
  if (env.PGSERVICE) return { config: { name: ENVIRONMENT_ENTRY }, detail: `service=${env.PGSERVICE}`, source: 'environment' };
  if (!env.PGHOST && !env.PGDATABASE && !env.PGUSER && !env.PGPORT) return undefined;
  const user = env.PGUSER || '(user)';
  return {
    config: { name: ENVIRONMENT_ENTRY },
    detail: `${user}@${env.PGHOST || 'localhost'}:${env.PGPORT || 5432}/${env.PGDATABASE || user}`,
    source: 'environment',
  };
}

/** `user@host:port/db` for display; never the password. The server reads connection strings, as it does to connect. */
async function detailOf(ctx: Ctx, config: ConnectionConfig): Promise<string> {
  const { detail } = await sendRequest(ctx.client, DescribeConnectionRequest.type, config);
  return detail;
}

function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  void vscode.window.showWarningMessage(message);
}
