import type { RlsBypass, RlsCommand, RlsMatrix, RlsMatrixCell } from '../../../protocol/rls';
import type { RlsModel, RlsRoleInfo, RlsTableInfo, TablePrivilegeInfo } from '../../../protocol/schema';

export const RLS_COMMANDS: readonly RlsCommand[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

/**
 * Roles × tables × commands, decided as PostgreSQL decides (check_enable_rls and the policy lookup):
 * no grant → denied; superuser or BYPASSRLS, RLS off, or the owner's privileges without FORCE → all
 * rows; otherwise the policies for the command whose TO list covers the role (PUBLIC, the role, or a
 * role whose privileges it has). A pure function of the model.
 */
export function buildMatrix(model: RlsModel, roleNames?: readonly string[]): RlsMatrix {
  const roles = model.roles.filter((role) => (roleNames ? roleNames.includes(role.name) : true));
  const privileges = new Map<string, TablePrivilegeInfo>();
  for (const privilege of model.privileges) privileges.set(`${privilege.role}\0${privilege.table}`, privilege);
  const cells: RlsMatrixCell[] = [];
  for (const role of roles) {
    for (const table of model.tables) {
      const key = `${table.schema}.${table.name}`;
      const privilege = privileges.get(`${role.name}\0${key}`);
      if (!privilege) continue; // privileges not read for this role
      for (const command of RLS_COMMANDS) cells.push(cellOf(role, table, key, command, privilege));
    }
  }
  return { roles: roles.map((role) => role.name), tables: model.tables.map((table) => `${table.schema}.${table.name}`), cells };
}

function cellOf(role: RlsRoleInfo, table: RlsTableInfo, key: string, command: RlsCommand, privilege: TablePrivilegeInfo): RlsMatrixCell {
  const grant = privilege[command.toLowerCase() as 'select' | 'insert' | 'update' | 'delete'];
  const bypass = bypassOf(role, table, privilege);
  const base = { role: role.name, table: key, command, grant };
  if (bypass) return { ...base, bypass, policies: [], effect: grant === 'none' ? 'denied' : 'all rows' };
  const covers = new Set([role.name, ...role.privilegesOf, 'public']);
  const policies = table.policies
    .filter((policy) => (policy.command === 'ALL' || policy.command === command) && policy.roles.some((name) => covers.has(name)))
    .map(({ name, command: policyCommand, permissive, using, withCheck }) => ({ name, command: policyCommand, permissive, ...(using !== undefined && { using }), ...(withCheck !== undefined && { withCheck }) }));
  const effect = grant === 'none' ? 'denied' : policies.some((policy) => policy.permissive) ? 'policies' : 'no rows';
  return { ...base, policies, effect };
}

function bypassOf(role: RlsRoleInfo, table: RlsTableInfo, privilege: TablePrivilegeInfo): RlsBypass | undefined {
  if (!table.rlsEnabled) return 'rls disabled';
  if (role.superuser) return 'superuser';
  if (role.bypassRls) return 'bypassrls';
  if (privilege.owns && !table.rlsForced) return 'owner without FORCE';
  return undefined;
}

/** One line per role and table: `SELECT ✓ policies a, b` and so on. */
export function matrixText(matrix: RlsMatrix): string {
  const lines: string[] = [];
  for (const role of matrix.roles) {
    lines.push(`${role}:`);
    for (const table of matrix.tables) {
      const cells = matrix.cells.filter((cell) => cell.role === role && cell.table === table);
      if (cells.length === 0) continue;
      const parts = cells.map((cell) => `${cell.command} ${describeCell(cell)}`);
      lines.push(`  ${table}: ${parts.join('; ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function describeCell(cell: RlsMatrixCell): string {
  if (cell.effect === 'denied') return 'denied (no grant)';
  const columns = cell.grant === 'column' ? ' (some columns)' : '';
  if (cell.bypass) return `all rows${columns}: ${cell.bypass}`;
  if (cell.effect === 'no rows') return `no rows${columns}: no permissive policy`;
  return `${cell.policies.map((policy) => `${policy.permissive ? '' : 'restrictive '}${policy.name}`).join(', ')}${columns}`;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A self-contained HTML page: one table per role, a row per table, a column per command. */
export function matrixHtml(matrix: RlsMatrix): string {
  const sections = matrix.roles.map((role) => {
    const rows = matrix.tables.flatMap((table) => {
      const cells = matrix.cells.filter((cell) => cell.role === role && cell.table === table);
      if (cells.length === 0) return [];
      const tds = cells.map((cell) => {
        const title = cell.policies.map((policy) => `${policy.name}: ${policy.using ?? ''}${policy.withCheck ? ` WITH CHECK ${policy.withCheck}` : ''}`).join('\n');
        return `<td class="${cell.effect.replace(' ', '-')}" title="${escapeHtml(title)}">${escapeHtml(describeCell(cell))}</td>`;
      });
      return [`<tr><th>${escapeHtml(table)}</th>${tds.join('')}</tr>`];
    });
    return `<h2>${escapeHtml(role)}</h2><table><tr><th></th>${RLS_COMMANDS.map((command) => `<th>${command}</th>`).join('')}</tr>${rows.join('')}</table>`;
  });
  const style = 'body{font-family:system-ui,sans-serif;margin:1em}table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #8886;padding:.25em .5em;text-align:left}.denied{color:#b00}.all-rows{color:#a60}.no-rows{color:#777}';
  return `<!doctype html><html><head><meta charset="utf-8"><title>pglens rls matrix</title><style>${style}</style></head><body><h1>Row-level security</h1>${sections.join('')}</body></html>\n`;
}
