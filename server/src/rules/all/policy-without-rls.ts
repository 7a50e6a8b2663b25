import { asArray, rangeVarName, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import { insertLineBefore, nameSpanAt, tableKey } from '../helpers';
import type { Rule } from '../types';

/** A policy on a table without row level security is never applied: every role with a grant sees every row. */
export const rule: Rule = {
  name: 'policy-without-rls',
  summary: 'CREATE POLICY on a table whose row level security the file never enables',
  defaultSeverity: 'warning',
  scalesWithTableSize: false,
  check(statement, context) {
    const unwrapped = statement.outcome.ok ? unwrap(statement.outcome.stmt) : undefined;
    if (unwrapped?.[0] !== 'CreatePolicyStmt') return [];
    const table = rangeVarName(unwrapped[1].table);
    if (!table) return [];
    const key = tableKey(table);
    const enabled = context.analysis.statements.some((candidate) => {
      const alter = candidate.outcome.ok ? unwrap(candidate.outcome.stmt) : undefined;
      if (alter?.[0] !== 'AlterTableStmt') return false;
      const target = rangeVarName(alter[1].relation);
      return target !== undefined && tableKey(target) === key && asArray(alter[1].cmds).some((command) => unwrap(command)?.[1].subtype === 'AT_EnableRowSecurity');
    });
    if (enabled) return [];
    const span = nameSpanAt(statement, (unwrapped[1].table as Fields).location);
    const tableText = context.analysis.text.slice(span.start, span.end);
    return [
      {
        ...span,
        message: `Policy "${String(unwrapped[1].policy_name)}" does nothing unless row level security is enabled on ${table}, and this file never enables it: every role with a grant on the table still sees every row. Add ALTER TABLE ${tableText} ENABLE ROW LEVEL SECURITY.`,
        fixes: [{ title: `Enable row level security on ${tableText}`, edits: [insertLineBefore(context.analysis.text, statement, `ALTER TABLE ${tableText} ENABLE ROW LEVEL SECURITY;`)] }],
      },
    ];
  },
};
