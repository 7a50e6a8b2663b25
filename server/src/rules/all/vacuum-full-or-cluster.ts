import { asArray, findOption, rangeVarName, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import { firstLine, keywordsSpan, nameSpanAt, spanAt } from '../helpers';
import type { Rule, RuleFinding } from '../types';

/** VACUUM FULL and CLUSTER rewrite the whole table under an ACCESS EXCLUSIVE lock. */
export const rule: Rule = {
  name: 'vacuum-full-or-cluster',
  summary: 'VACUUM FULL or CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock',
  defaultSeverity: 'error',
  scalesWithTableSize: true,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || !unwrapped) return [];
    const [type, fields] = unwrapped;
    let command: string;
    let relations: Fields[];
    let keyword: { start: number; end: number };
    if (type === 'VacuumStmt') {
      const full = findOption(fields.options, 'full');
      if (!full || fields.is_vacuumcmd === false) return [];
      command = 'VACUUM FULL';
      relations = asArray(fields.rels).map((rel) => (unwrap(rel)?.[1].relation ?? {}) as Fields);
      keyword = keywordsSpan(statement, ['vacuum', 'full']) ?? spanAt(statement, full.location);
    } else if (type === 'ClusterStmt') {
      command = 'CLUSTER';
      relations = fields.relation ? [fields.relation as Fields] : [];
      keyword = keywordsSpan(statement, ['cluster']) ?? firstLine(statement);
    } else return [];

    const rewrite = `rewrites the table under an ACCESS EXCLUSIVE lock: reads and writes wait until the copy is finished, and it needs room for a second copy of the table and its indexes. Use pg_repack or pg_squeeze, which rebuild it online.`;
    if (relations.length === 0) {
      const which = command === 'CLUSTER' ? 'every table that was clustered before' : 'every table in the database';
      return [{ ...keyword, message: `${command} without a table processes ${which} and ${rewrite.replace('the table', 'each one')}` }];
    }
    const findings: RuleFinding[] = [];
    for (const relation of relations) {
      const table = rangeVarName(relation);
      if (!table) continue;
      const name = nameSpanAt(statement, relation.location);
      // One table: `VACUUM FULL orders`; several: each finding on its table's name.
      const span = relations.length > 1 ? name : { start: keyword.start, end: name.end > keyword.end ? name.end : keyword.end };
      findings.push({ ...span, table, message: `${command} ${table} ${rewrite}` });
    }
    return findings;
  },
};
