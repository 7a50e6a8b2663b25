import { asArray, rangeVarName, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import { firstLine, nameSpanAt, tokensOf } from '../helpers';
import type { Rule, RuleFinding } from '../types';

/** UPDATE or DELETE of every row of a table in one migration statement: row locks held to the end, bloat, replica lag. */
export const rule: Rule = {
  name: 'update-delete-without-where',
  summary: 'UPDATE or DELETE without WHERE touches every row of the table in one transaction',
  defaultSeverity: 'warning',
  scalesWithTableSize: true,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || !unwrapped) return [];
    const findings: RuleFinding[] = [];
    for (const [type, fields] of modifications(unwrapped)) {
      if (fields.whereClause) continue;
      const relation = fields.relation as Fields | undefined;
      const table = rangeVarName(relation);
      if (!table || typeof relation?.location !== 'number') continue;
      const update = type === 'UpdateStmt';
      // From the UPDATE / DELETE keyword (the last one before the table) to the table name.
      const name = nameSpanAt(statement, relation.location);
      const keyword = tokensOf(statement)
        .filter((token) => token.end <= name.start && token.text.toLowerCase() === (update ? 'update' : 'delete'))
        .pop();
      findings.push({
        ...(keyword ? { start: keyword.start, end: name.end } : firstLine(statement)),
        table,
        message: update
          ? `UPDATE without WHERE rewrites every row of ${table} in one transaction: each row stays locked until it commits, the table gains a dead copy of every row, and replicas lag. If every row is meant, update in batches by key range outside the migration's transaction.`
          : `DELETE without WHERE removes every row of ${table} in one transaction: each row stays locked until it commits and all of them are left for vacuum. If every row is meant, delete in batches (or TRUNCATE, if nothing else uses the table).`,
      });
    }
    return findings;
  },
};

/** The statement's UPDATEs and DELETEs: itself, and those in its WITH clause (`WITH moved AS (DELETE … RETURNING *) …`). */
function modifications([type, fields]: [string, Fields]): Array<[string, Fields]> {
  const found: Array<[string, Fields]> = [];
  const ctes = asArray((fields.withClause as Fields | undefined)?.ctes);
  for (const cte of ctes) {
    const query = unwrap(unwrap(cte)?.[1]?.ctequery);
    if (query) found.push(...modifications(query));
  }
  if (type === 'UpdateStmt' || type === 'DeleteStmt') found.push([type, fields]);
  return found;
}

// Private copy of a small helper (shared files are not edited by rules).

