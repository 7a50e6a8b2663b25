import type { AnalyzedStatement } from '../document/analyze';
import { rangeVarName, unwrap } from '../sql/ast';
import { tableKey } from './helpers';
import type { RuleContext } from './types';

/**
 * Style advice (bigint keys, identity, text, timestamptz, jsonb) is for tables being designed. On a
 * table an older migration created, the style is already chosen and a new column that matches it is
 * right: an ALTER TABLE of such a table gets no style finding (unless this deploy created it anew).
 */
export function styleApplies(statement: AnalyzedStatement, context: RuleContext, tablesCreatedBy: (statement: AnalyzedStatement) => string[]): boolean {
  const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
  if (unwrapped?.[0] !== 'AlterTableStmt') return true;
  const table = rangeVarName(unwrapped[1].relation);
  if (table === undefined) return true;
  const older = context.memo('style:older-tables', () => new Set(context.history().flatMap((earlier) => tablesCreatedBy(earlier).map(tableKey))));
  return !older.has(tableKey(table)) || context.table(table).newInThisDeploy;
}
