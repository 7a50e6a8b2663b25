/**
 * Policy templates of the RLS Policies view: pure functions from the form's fields to SQL (the
 * statements Save puts in a migration, and their inverse). Identifiers go through quoteIdent, text
 * through quoteLiteral; the expression of a configured function (`auth.uid()`) is the user's own SQL,
 * checked by the parser and by PostgreSQL in the shadow before it can be saved.
 */
import { quoteIdent, quoteLiteral } from '../../protocol/sql-quote';

export type TemplateKind = 'tenant' | 'owner' | 'read-only' | 'deny-all';

export const TEMPLATES: Array<[TemplateKind, string]> = [
  ['tenant', 'Tenant isolation: column = current_setting(…)'],
  ['owner', 'Owner only: column = current_user or a function'],
  ['read-only', 'Read-only for a role'],
  ['deny-all', 'Deny all (restrictive)'],
];

export interface PolicyForm {
  kind: TemplateKind;
  schema: string;
  table: string;
  name: string;
  /** Role names; empty: PUBLIC. */
  roles: string[];
  column: string;
  /** The column's type, for the setting's cast (`bigint`, `uuid`, …). */
  columnType: string;
  /** tenant: the setting's name, e.g. `app.tenant_id`. */
  setting: string;
  /** owner: `current_user`, or a configured function such as `auth.uid()`. */
  ownerExpression: string;
  /** The table's row-level security is off: the migration enables it. */
  enableRls: boolean;
}

export interface PolicySql {
  up: string;
  down: string;
}

export function policySql(form: PolicyForm): PolicySql {
  const table = `${quoteIdent(form.schema)}.${quoteIdent(form.table)}`;
  const name = quoteIdent(form.name);
  const to = form.roles.length > 0 ? form.roles.map(quoteIdent).join(', ') : 'PUBLIC';
  const column = quoteIdent(form.column);
  let body: string;
  switch (form.kind) {
    case 'tenant': {
      // (SELECT …) runs once per statement, not per row (see policy-function-per-row).
      const value = `(SELECT pg_catalog.current_setting(${quoteLiteral(form.setting)})::${form.columnType || 'text'})`;
      body = `AS PERMISSIVE FOR ALL TO ${to}\n  USING (${column} = ${value})\n  WITH CHECK (${column} = ${value})`;
      break;
    }
    case 'owner': {
      const expression = form.ownerExpression.trim() || 'current_user';
      const value = /^current_user$/i.test(expression) ? 'current_user' : `(SELECT ${expression})`;
      body = `AS PERMISSIVE FOR ALL TO ${to}\n  USING (${column} = ${value})\n  WITH CHECK (${column} = ${value})`;
      break;
    }
    case 'read-only':
      body = `AS PERMISSIVE FOR SELECT TO ${to}\n  USING (true)`;
      break;
    case 'deny-all':
      body = `AS RESTRICTIVE FOR ALL TO ${to}\n  USING (false)\n  WITH CHECK (false)`;
      break;
  }
  const enable = form.enableRls ? `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;\n` : '';
  const disable = form.enableRls ? `\nALTER TABLE ${table} DISABLE ROW LEVEL SECURITY;` : '';
  return { up: `${enable}CREATE POLICY ${name} ON ${table}\n  ${body};\n`, down: `DROP POLICY ${name} ON ${table};${disable}\n` };
}

/** A policy name from the template and table, e.g. `invoices_tenant_isolation`. */
export function defaultPolicyName(kind: TemplateKind, table: string): string {
  const suffix = { tenant: 'tenant_isolation', owner: 'owner_only', 'read-only': 'read_only', 'deny-all': 'deny_all' }[kind];
  return `${table}_${suffix}`.slice(0, 63);
}
