/**
 * Statements whose effect outlives a scratch database: roles and their settings, database and system
 * settings, tablespaces, other databases reached through dblink or foreign servers, server signals.
 * A shadow on the user's server (`--shadow server`) refuses them with a finding; the embedded shadow
 * (PGlite, a cluster of its own) runs them. Pure: a parse tree in, a reason or undefined out.
 */
import type { AnalyzedStatement } from '../document/analyze';
import { asArray, stringValue, unwrap } from '../sql/ast';

const SHARED_OBJECT_STATEMENTS: Record<string, string> = {
  CreateRoleStmt: 'roles belong to the whole cluster',
  AlterRoleStmt: 'roles belong to the whole cluster',
  DropRoleStmt: 'roles belong to the whole cluster',
  GrantRoleStmt: 'role membership belongs to the whole cluster',
  AlterRoleSetStmt: 'ALTER ROLE … SET is stored for the whole cluster (pg_db_role_setting)',
  AlterDatabaseStmt: 'it changes a database of the cluster',
  AlterDatabaseSetStmt: 'ALTER DATABASE … SET is stored for the whole cluster (pg_db_role_setting)',
  AlterDatabaseRefreshCollStmt: 'it changes a database of the cluster',
  CreatedbStmt: 'it creates a database on the cluster',
  DropdbStmt: 'it drops a database of the cluster',
  AlterSystemStmt: 'ALTER SYSTEM changes the server configuration',
  CreateTableSpaceStmt: 'tablespaces belong to the whole cluster',
  DropTableSpaceStmt: 'tablespaces belong to the whole cluster',
  AlterTableSpaceOptionsStmt: 'tablespaces belong to the whole cluster',
  CreateForeignServerStmt: 'a foreign server reaches other databases',
  AlterForeignServerStmt: 'a foreign server reaches other databases',
  CreateUserMappingStmt: 'a user mapping carries credentials for other databases',
  AlterUserMappingStmt: 'a user mapping carries credentials for other databases',
  ImportForeignSchemaStmt: 'it reads another database',
  CreateSubscriptionStmt: 'a subscription connects to another server',
};

/** Object kinds of RENAME / OWNER TO / COMMENT that are shared by the cluster. */
const SHARED_OBJECT_KINDS = new Set(['OBJECT_DATABASE', 'OBJECT_TABLESPACE', 'OBJECT_ROLE']);

/** Functions that write elsewhere, signal the server or switch the role (by name, any schema). */
const CLUSTER_FUNCTIONS = new Set([
  'dblink',
  'dblink_exec',
  'dblink_connect',
  'dblink_connect_u',
  'dblink_send_query',
  'dblink_open',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_promote',
  'pg_switch_wal',
  'pg_file_write',
  'pg_file_rename',
  'pg_file_unlink',
  'lo_import',
  'lo_export',
]);

/** Session settings that would leave the shadow's dedicated role (SET ROLE's guard). */
const ROLE_SETTINGS = new Set(['role', 'session_authorization']);

/** The same, spotted in the text of a DO block (dynamic SQL cannot be parsed ahead). */
const DO_BODY = new RegExp(
  [
    String.raw`\b(create|alter|drop)\s+(role|user|group)\b`,
    String.raw`\balter\s+(system|database|tablespace)\b`,
    String.raw`\b(create|drop)\s+(database|tablespace)\b`,
    String.raw`\b(set|reset)\s+(role|session\s+authorization)\b`,
    String.raw`\bgrant\s+\w+\s+to\b`,
    String.raw`\b(${[...CLUSTER_FUNCTIONS].join('|')})\s*\(`,
  ].join('|'),
  'i',
);

/** Why `statement` must not run in a shadow on the user's server, or undefined when it may. */
export function clusterWideReason(statement: AnalyzedStatement): string | undefined {
  if (!statement.outcome.ok) return undefined;
  const unwrapped = unwrap(statement.outcome.stmt);
  if (!unwrapped) return undefined;
  const [type, fields] = unwrapped;
  const shared = SHARED_OBJECT_STATEMENTS[type];
  if (shared) return shared;
  if ((type === 'RenameStmt' && SHARED_OBJECT_KINDS.has(String(fields.renameType))) || (type === 'AlterOwnerStmt' && SHARED_OBJECT_KINDS.has(String(fields.objectType)))) {
    return 'it changes an object shared by the whole cluster';
  }
  if (type === 'VariableSetStmt' && ROLE_SETTINGS.has(String(fields.name))) return 'it would leave the shadow\u2019s own role';
  if (type === 'DoStmt') {
    const match = DO_BODY.exec(doBody(fields));
    return match ? `its body reaches beyond the scratch database (${match[0].trim()})` : undefined;
  }
  // Function bodies and view queries are not run when created; everything else may call a function now.
  if (type === 'CreateFunctionStmt' || type === 'ViewStmt') return undefined;
  const called = clusterFunctionIn(fields);
  return called ? `${called}() reaches beyond the scratch database` : undefined;
}

function doBody(fields: Record<string, unknown>): string {
  for (const arg of asArray(fields.args)) {
    const option = unwrap(arg);
    if (option?.[0] === 'DefElem' && option[1].defname === 'as') return stringValue(option[1].arg) ?? '';
  }
  return '';
}

/** The first function in the tree that CLUSTER_FUNCTIONS names, or `set_config('role', …)`. */
function clusterFunctionIn(node: unknown): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = clusterFunctionIn(item);
      if (found) return found;
    }
    return undefined;
  }
  const call = (node as Record<string, unknown>).FuncCall as Record<string, unknown> | undefined;
  if (call) {
    const names = asArray(call.funcname).map((part) => stringValue(part) ?? '');
    const name = names[names.length - 1]?.toLowerCase() ?? '';
    if (CLUSTER_FUNCTIONS.has(name)) return name;
    if (name === 'set_config' && ROLE_SETTINGS.has(constantText(asArray(call.args)[0]).toLowerCase())) return 'set_config';
  }
  for (const value of Object.values(node)) {
    const found = clusterFunctionIn(value);
    if (found) return found;
  }
  return undefined;
}

function constantText(node: unknown): string {
  const constant = unwrap(node);
  if (constant?.[0] !== 'A_Const') return '';
  return stringValue(constant[1].sval === undefined ? undefined : { String: constant[1].sval }) ?? '';
}
