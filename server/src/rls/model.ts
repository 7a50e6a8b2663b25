import type { PolicyInfo, PrivilegeHold, RlsModel, RlsRoleInfo, RlsTableInfo, TablePrivilegeInfo } from '../../../protocol/schema';
import type { Database } from '../db/port';
import { QUERIES } from '../schema/queries';

type Oid = number | string;

interface RoleRow {
  name: string;
  superuser: boolean;
  can_login: boolean;
  bypass_rls: boolean;
  inherit: boolean;
  member_of: string[];
  privileges_of: string[];
}
interface TableRow {
  rel: Oid;
  schema: string;
  name: string;
  owner: string;
  rls_enabled: boolean;
  rls_forced: boolean;
  column_names: string[];
  column_types: string[];
}
interface PolicyRow {
  rel: Oid;
  name: string;
  command: string;
  permissive: boolean;
  roles: string[];
  using_expr: string | null;
  with_check: string | null;
}
interface PrivilegeRow {
  role: string;
  rel: Oid;
  sel: boolean;
  ins: boolean;
  upd: boolean;
  del: boolean;
  col_sel: boolean;
  col_ins: boolean;
  col_upd: boolean;
  owns: boolean;
}

/**
 * Reads row-level security as PostgreSQL holds it: roles with their memberships, tables with their
 * flags and policies, and each role's privileges on each table. `roles` limits the privileges read
 * (a shared server may have many roles); every role is listed regardless.
 */
export async function loadRlsModel(db: Database, options: { roles?: string[] } = {}): Promise<RlsModel> {
  const roles = (await db.query<RoleRow>(QUERIES.rlsRoles)).rows;
  const tables = (await db.query<TableRow>(QUERIES.rlsTables)).rows;
  const policies = (await db.query<PolicyRow & Record<string, unknown>>(QUERIES.policies)).rows;
  const privileges = (await db.query<PrivilegeRow>(QUERIES.rlsPrivileges, [options.roles ?? null])).rows;

  const policiesByRel = new Map<string, PolicyInfo[]>();
  for (const row of policies) {
    const list = policiesByRel.get(String(row.rel)) ?? [];
    list.push({
      name: row.name,
      command: row.command,
      permissive: row.permissive,
      roles: row.roles,
      ...(row.using_expr !== null && { using: row.using_expr }),
      ...(row.with_check !== null && { withCheck: row.with_check }),
    });
    policiesByRel.set(String(row.rel), list);
  }
  const nameOf = new Map<string, string>();
  const rlsTables: RlsTableInfo[] = tables.map((row) => {
    nameOf.set(String(row.rel), `${row.schema}.${row.name}`);
    return {
      schema: row.schema,
      name: row.name,
      owner: row.owner,
      rlsEnabled: row.rls_enabled,
      rlsForced: row.rls_forced,
      columns: row.column_names.map((name, k) => ({ name, type: row.column_types[k] })),
      policies: (policiesByRel.get(String(row.rel)) ?? []).sort((a, b) => a.name.localeCompare(b.name)),
    };
  });
  const hold = (table: boolean, column: boolean): PrivilegeHold => (table ? 'table' : column ? 'column' : 'none');
  const rlsPrivileges: TablePrivilegeInfo[] = privileges.flatMap((row) => {
    const table = nameOf.get(String(row.rel));
    if (!table) return []; // an extension's table
    return [{ role: row.role, table, select: hold(row.sel, row.col_sel), insert: hold(row.ins, row.col_ins), update: hold(row.upd, row.col_upd), delete: hold(row.del, false), owns: row.owns }];
  });
  const rlsRoles: RlsRoleInfo[] = roles.map((row) => ({
    name: row.name,
    superuser: row.superuser,
    canLogin: row.can_login,
    bypassRls: row.bypass_rls,
    inherit: row.inherit,
    memberOf: row.member_of,
    privilegesOf: row.privileges_of,
  }));
  return { source: db.kind, roles: rlsRoles, tables: rlsTables, privileges: rlsPrivileges };
}
