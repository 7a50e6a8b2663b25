import { rangeVarName, unwrap } from '../../sql/ast';
import { columnsAddedBefore, firstLine, keywordsSpan, tokensOf } from '../helpers';
import type { Rule } from '../types';

/** ALTER TABLE … RENAME COLUMN: code deployed before and during the migration still uses the old name. */
export const rule: Rule = {
  name: 'renaming-column',
  summary: 'Renaming a column breaks running code that uses the old name',
  defaultSeverity: 'warning',
  scalesWithTableSize: false,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || unwrapped?.[0] !== 'RenameStmt' || unwrapped[1].renameType !== 'OBJECT_COLUMN' || unwrapped[1].relationType !== 'OBJECT_TABLE') return [];
    const table = rangeVarName(unwrapped[1].relation);
    const { subname: column, newname: newName } = unwrapped[1];
    if (!table || typeof column !== 'string' || typeof newName !== 'string' || context.table(table).newInThisDeploy) return [];
    if (columnsAddedBefore(context.earlier(), table).has(column)) return [];
    // RENAME [COLUMN] old TO new
    const tokens = tokensOf(statement);
    const rename = keywordsSpan(statement, ['rename']);
    const to = rename ? tokens.find((token) => token.start > rename.end && token.text.toLowerCase() === 'to') : undefined;
    const after = to ? tokens.find((token) => token.start >= to.end) : undefined;
    const span = rename && after ? { start: rename.start, end: after.end } : firstLine(statement);
    return [
      {
        ...span,
        message: `Renaming ${table}.${column} to ${newName} breaks running code that still reads or writes ${column} until every instance is redeployed. Add the new column, write to both and backfill, move the code over, then drop the old one.`,
      },
    ];
  },
};

// Private copies of small helpers (shared files are not edited by rules).

