import type { AnalyzedStatement } from '../../document/analyze';
import { asArray, rangeVarName, unwrap } from '../../sql/ast';
import { firstLine, keywordsSpan, tableKey } from '../helpers';
import type { Rule } from '../types';

/** Row level security with no policy denies every row to every role but the owner and BYPASSRLS roles. */
export const rule: Rule = {
  name: 'rls-without-policy',
  summary: 'ENABLE ROW LEVEL SECURITY on a table with no CREATE POLICY in the file',
  defaultSeverity: 'warning',
  scalesWithTableSize: false,
  check(statement, context) {
    const table = rlsEnabledTable(statement);
    if (!table) return [];
    const key = tableKey(table);
    const hasPolicy = context.analysis.statements.some((candidate) => {
      const unwrapped = candidate.outcome.ok ? unwrap(candidate.outcome.stmt) : undefined;
      const target = unwrapped?.[0] === 'CreatePolicyStmt' ? rangeVarName(unwrapped[1].table) : undefined;
      return target !== undefined && tableKey(target) === key;
    });
    if (hasPolicy) return [];
    const span = keywordsSpan(statement, ['enable', 'row', 'level', 'security']) ?? firstLine(statement);
    return [
      {
        ...span,
        message: `Row level security is enabled on ${table}, and no CREATE POLICY on it in this file: unless policies exist elsewhere, every role but the owner (and superusers or BYPASSRLS roles) sees no rows and cannot write any. Create its policies in the same migration.`,
      },
    ];
  },
};

/** The table an `ALTER TABLE … ENABLE ROW LEVEL SECURITY` statement is about. */
function rlsEnabledTable(statement: AnalyzedStatement): string | undefined {
  const unwrapped = statement.outcome.ok ? unwrap(statement.outcome.stmt) : undefined;
  if (unwrapped?.[0] !== 'AlterTableStmt') return undefined;
  const enables = asArray(unwrapped[1].cmds).some((command) => unwrap(command)?.[1].subtype === 'AT_EnableRowSecurity');
  return enables ? rangeVarName(unwrapped[1].relation) : undefined;
}
