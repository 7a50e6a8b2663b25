/**
 * What PostgreSQL does for each ALTER TABLE subcommand (tablecmds.c: AlterTableGetLockLevel, and
 * ATExecAddColumn's "fast default" since PostgreSQL 11): which ones only change the catalog, with
 * neither a scan nor a rewrite of the table.
 */
import { asArray, stringValue, unwrap } from '../sql/ast';
import type { Fields } from '../sql/ast';

/** Subcommands that change only the catalog (their lock is short once granted). */
const CATALOG_ONLY = new Set([
  'AT_DropColumn',
  'AT_ColumnDefault',
  'AT_DropNotNull',
  'AT_SetStatistics',
  'AT_SetOptions',
  'AT_ResetOptions',
  'AT_SetStorage',
  'AT_SetCompression',
  'AT_DropConstraint',
  'AT_ChangeOwner',
  'AT_ClusterOn',
  'AT_DropCluster',
  'AT_SetRelOptions',
  'AT_ResetRelOptions',
  'AT_ReplicaIdentity',
  'AT_EnableRowSecurity',
  'AT_DisableRowSecurity',
  'AT_ForceRowSecurity',
  'AT_NoForceRowSecurity',
  'AT_EnableTrig',
  'AT_EnableAlwaysTrig',
  'AT_EnableReplicaTrig',
  'AT_DisableTrig',
  'AT_EnableTrigAll',
  'AT_DisableTrigAll',
  'AT_EnableTrigUser',
  'AT_DisableTrigUser',
  'AT_EnableRule',
  'AT_DisableRule',
  'AT_AddIdentity',
  'AT_SetIdentity',
  'AT_DropIdentity',
  'AT_AddInherit',
  'AT_DropInherit',
  'AT_GenericOptions',
]);

/** Does this ALTER TABLE's every subcommand change only the catalog (no scan, no rewrite)? */
export function isCatalogOnlyAlter(alterTable: Fields): boolean {
  const cmds = asArray(alterTable.cmds).map((command) => unwrap(command)?.[1] ?? {});
  return cmds.length > 0 && cmds.every(isCatalogOnlyCommand);
}

export function isCatalogOnlyCommand(cmd: Fields): boolean {
  const subtype = cmd.subtype as string | undefined;
  if (subtype === undefined) return false;
  if (CATALOG_ONLY.has(subtype)) return true;
  if (subtype === 'AT_AddColumn') return isCatalogOnlyColumn(unwrap(cmd.def)?.[1] ?? {});
  // A constraint added NOT VALID is not checked against existing rows.
  if (subtype === 'AT_AddConstraint') {
    const constraint = unwrap(cmd.def)?.[1] ?? {};
    return constraint.skip_validation === true && (constraint.contype === 'CONSTR_CHECK' || constraint.contype === 'CONSTR_FOREIGN');
  }
  return false;
}

/**
 * ADD COLUMN with no default, or a default PostgreSQL evaluates once (a constant, CURRENT_TIMESTAMP),
 * and no constraint that checks the rows (NOT NULL without a default, CHECK, UNIQUE, PRIMARY KEY,
 * REFERENCES), no identity, no stored generated value: a catalog change only.
 */
function isCatalogOnlyColumn(column: Fields): boolean {
  const constraints = asArray(column.constraints).map((constraint) => unwrap(constraint)?.[1] ?? {});
  let hasDefault = false;
  for (const constraint of constraints) {
    switch (constraint.contype) {
      case 'CONSTR_NULL':
        break;
      case 'CONSTR_DEFAULT':
        if (!isEvaluatedOnce(constraint.raw_expr)) return false;
        hasDefault = true;
        break;
      case 'CONSTR_NOTNULL':
        break; // checked below: needs a default
      default:
        return false;
    }
  }
  const notNull = constraints.some((constraint) => constraint.contype === 'CONSTR_NOTNULL');
  const typeName = asArray((column.typeName as Fields | undefined)?.names).map((part) => stringValue(part) ?? '');
  // serial types are a nextval() default: evaluated per row, a rewrite.
  if (typeName.some((name) => /^(small|big)?serial[248]?$/.test(name))) return false;
  return !notNull || hasDefault;
}

/** A constant, a cast of one, or CURRENT_TIMESTAMP and its kin: stored once as the "missing value". */
function isEvaluatedOnce(expression: unknown): boolean {
  const unwrapped = unwrap(expression);
  if (!unwrapped) return false;
  const [type, fields] = unwrapped;
  if (type === 'A_Const' || type === 'SQLValueFunction') return true;
  if (type === 'TypeCast') return isEvaluatedOnce(fields.arg);
  if (type === 'FuncCall') {
    const name = asArray(fields.funcname).map((part) => stringValue(part) ?? '').pop();
    return name === 'now' || name === 'transaction_timestamp' || name === 'statement_timestamp';
  }
  return false;
}
