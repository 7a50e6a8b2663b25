import { asArray, rangeVarName, unwrap } from '../../sql/ast';
import { tokensOf } from '../helpers';
import type { Rule, RuleFinding } from '../types';
import { constraintSpan } from './constraint-missing-not-valid';

/** ADD CONSTRAINT … EXCLUDE builds its index and checks every row under ACCESS EXCLUSIVE, with no concurrent form. */
export const rule: Rule = {
  name: 'exclusion-constraint',
  summary: 'ADD CONSTRAINT … EXCLUDE locks the table while it builds its index and checks every row',
  defaultSeverity: 'error',
  scalesWithTableSize: true,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || unwrapped?.[0] !== 'AlterTableStmt' || unwrapped[1].objtype !== 'OBJECT_TABLE') return [];
    const table = rangeVarName(unwrapped[1].relation);
    if (!table) return [];
    const findings: RuleFinding[] = [];
    for (const command of asArray(unwrapped[1].cmds)) {
      const cmd = unwrap(command)?.[1];
      const constraint = cmd?.subtype === 'AT_AddConstraint' ? unwrap(cmd.def) : undefined;
      if (constraint?.[0] !== 'Constraint' || constraint[1].contype !== 'CONSTR_EXCLUSION') continue;
      const span = constraintSpan(statement, constraint[1].location);
      if (!span) continue;
      const exclude = tokensOf(statement).find((token) => token.start >= span.start && token.end <= span.end && /^exclude$/i.test(token.text));
      findings.push({
        start: span.start,
        end: exclude?.end ?? span.end,
        table,
        message: `ADD CONSTRAINT … EXCLUDE holds an ACCESS EXCLUSIVE lock on ${table} while it builds the index and checks every row against the others: reads and writes wait until it ends, and there is no CONCURRENTLY or NOT VALID form. Add it while the table is small or during a maintenance window, with a lock_timeout.`,
      });
    }
    return findings;
  },
};
