import { rangeVarName, unwrap } from '../../sql/ast';
import { firstLine, keywordsSpan, tokensOf } from '../helpers';
import type { Rule } from '../types';

/** ALTER TABLE … RENAME TO: code deployed before and during the migration still uses the old name. */
export const rule: Rule = {
  name: 'renaming-table',
  summary: 'Renaming a table breaks running code that uses the old name',
  defaultSeverity: 'warning',
  scalesWithTableSize: false,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || unwrapped?.[0] !== 'RenameStmt' || unwrapped[1].renameType !== 'OBJECT_TABLE') return [];
    const table = rangeVarName(unwrapped[1].relation);
    const newName = unwrapped[1].newname;
    if (!table || typeof newName !== 'string' || context.table(table).newInThisDeploy) return [];
    const tokens = tokensOf(statement);
    const rename = keywordsSpan(statement, ['rename', 'to']);
    const after = rename ? tokens.find((token) => token.start >= rename.end) : undefined;
    const span = rename ? { start: rename.start, end: after?.end ?? rename.end } : firstLine(statement);
    return [
      {
        ...span,
        message: `Renaming ${table} to ${newName} breaks running code that still uses the old name until every instance is redeployed. In the same migration, create a view with the old name over the renamed table (simple views are updatable) and drop it once no code uses it.`,
      },
    ];
  },
};

// Private copy of a small helper (shared files are not edited by rules).

