import type { AnalyzedStatement } from '../document/analyze';
import { rangeVarName, unwrap } from '../sql/ast';
import type { RuleContext } from './types';

/**
 * Style advice (bigint keys, identity, text, timestamptz, jsonb) is for tables being designed: a
 * CREATE TABLE, or an ALTER TABLE of a table created in this file or this deploy. On a table an older
 * migration created, the style is already chosen, and a new column that matches it is right.
 */
export function styleApplies(statement: AnalyzedStatement, context: RuleContext): boolean {
  const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
  if (unwrapped?.[0] !== 'AlterTableStmt') return true;
  const table = rangeVarName(unwrapped[1].relation);
  return table === undefined || context.table(table).newInThisDeploy;
}
