import type { AnalyzedStatement } from '../document/analyze';
import { asArray, rangeVarName, unwrap } from '../sql/ast';
import type { Fields } from '../sql/ast';
import { tableKey } from './helpers';
import type { RuleContext } from './types';

/** What the row-level security rules read of a file: shared here so each file is walked once per lint run. */

export interface PolicyFacts {
  name: string;
  /** `schema.name` (bare names in `public`). */
  table: string;
  /** `all`, `select`, `insert`, `update`, `delete`. */
  command: string;
  permissive: boolean;
  /** Role names, `public` for PUBLIC (the default). */
  roles: string[];
  fields: Fields;
}

export function policyOf(statement: AnalyzedStatement): PolicyFacts | undefined {
  const unwrapped = statement.outcome.ok ? unwrap(statement.outcome.stmt) : undefined;
  if (unwrapped?.[0] !== 'CreatePolicyStmt') return undefined;
  const fields = unwrapped[1];
  const table = rangeVarName(fields.table);
  if (!table) return undefined;
  const roles = asArray(fields.roles).map((role) => {
    const spec = unwrap(role)?.[1] ?? {};
    return spec.roletype === 'ROLESPEC_CSTRING' && typeof spec.rolename === 'string' ? spec.rolename : spec.roletype === 'ROLESPEC_PUBLIC' ? 'public' : String(spec.roletype).replace('ROLESPEC_', '').toLowerCase();
  });
  return {
    name: String(fields.policy_name),
    table: tableKey(table),
    command: typeof fields.cmd_name === 'string' ? fields.cmd_name : 'all',
    permissive: fields.permissive === true,
    roles: roles.length > 0 ? roles : ['public'],
    fields,
  };
}

/** Tables whose row-level security the file enables (`ALTER TABLE … ENABLE ROW LEVEL SECURITY`), by `tableKey`. */
export function rlsEnabledInFile(context: RuleContext): ReadonlySet<string> {
  return context.memo('rls:enabled', () => {
    const tables = new Set<string>();
    for (const statement of context.analysis.statements) {
      const unwrapped = statement.outcome.ok ? unwrap(statement.outcome.stmt) : undefined;
      if (unwrapped?.[0] !== 'AlterTableStmt') continue;
      const target = rangeVarName(unwrapped[1].relation);
      if (target && asArray(unwrapped[1].cmds).some((command) => unwrap(command)?.[1].subtype === 'AT_EnableRowSecurity')) tables.add(tableKey(target));
    }
    return tables;
  });
}

/**
 * Visits every node of an expression tree, depth first. `visit` returning false skips the node's
 * children; SubLinks (`(SELECT …)`) are entered only when `intoSubqueries`.
 */
export function walkExpression(node: unknown, visit: (type: string, fields: Fields) => boolean | void, intoSubqueries = false): void {
  if (Array.isArray(node)) {
    for (const item of node) walkExpression(item, visit, intoSubqueries);
    return;
  }
  const unwrapped = unwrap(node);
  if (!unwrapped) return;
  const [type, fields] = unwrapped;
  if (visit(type, fields) === false) return;
  if (type === 'SubLink' && !intoSubqueries) return;
  for (const key in fields) {
    const value = fields[key];
    if (value && typeof value === 'object') walkExpression(value, visit, intoSubqueries);
  }
}

/** Whether an expression mentions a column (outside subqueries). */
export function mentionsColumn(node: unknown): boolean {
  let found = false;
  walkExpression(node, (type) => {
    if (type === 'ColumnRef') found = true;
    return !found;
  });
  return found;
}
