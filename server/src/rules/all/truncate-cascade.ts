import { asArray, rangeVarName, unwrap } from '../../sql/ast';
import { keywordsSpan, statementSpan } from '../helpers';
import type { Rule } from '../types';

/** TRUNCATE … CASCADE also empties every table with a foreign key to the truncated ones, recursively. */
export const rule: Rule = {
  name: 'truncate-cascade',
  summary: 'TRUNCATE … CASCADE empties every table that references the truncated ones',
  defaultSeverity: 'error',
  scalesWithTableSize: false,
  check(statement) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (unwrapped?.[0] !== 'TruncateStmt' || unwrapped[1].behavior !== 'DROP_CASCADE') return [];
    const tables = asArray(unwrapped[1].relations)
      .map((relation) => rangeVarName(relation))
      .filter((name): name is string => !!name);
    const span = keywordsSpan(statement, ['cascade']) ?? statementSpan(statement);
    return [
      {
        ...span,
        message: `TRUNCATE … CASCADE also empties every table with a foreign key to ${tables.join(', ')} (and the tables referencing those), without listing them. Name every table to truncate and drop CASCADE, so that a table you did not mean to empty makes the statement fail instead.`,
      },
    ];
  },
};
