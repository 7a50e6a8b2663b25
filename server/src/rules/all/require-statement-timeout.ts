import type { AnalyzedStatement } from '../../document/analyze';
import { rangeVarName, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import { isCatalogOnlyAlter } from '../alter-table-facts';
import { insertLineBefore } from '../helpers';
import type { Rule, RuleContext } from '../types';
import { spell } from './concurrently-in-transaction';
import { leadSpan, timeoutAfter } from './require-lock-timeout';

/**
 * The first ALTER TABLE / UPDATE / DELETE on an existing table in a migration with no statement_timeout
 * set: a rewrite or a mass update can run (and hold its locks) far longer than anyone expects.
 */
export const rule: Rule = {
  name: 'require-statement-timeout',
  summary: 'ALTER TABLE / UPDATE / DELETE on an existing table with no statement_timeout set',
  defaultSeverity: 'warning',
  scalesWithTableSize: true,
  check(statement, context) {
    if (!context.isMigration) return [];
    // Once per file: only the first such statement, and none once a statement_timeout is set.
    const walk = context.memo('require-statement-timeout', () => ({ set: false, reported: false }));
    if (walk.reported) return []; // nothing after the first report can change what is reported
    const target = walk.set ? undefined : longStatement(statement, context);
    walk.set = timeoutAfter(statement, 'statement_timeout', walk.set);
    if (!target) return [];
    walk.reported = true;
    return [
      {
        ...leadSpan(statement, target.location),
        table: target.table,
        message: `${target.verb === 'ALTER TABLE' ? `ALTER TABLE on ${target.table} can rewrite or scan the whole table while it holds its lock` : `${target.verb} on ${target.table} can run for as long as the table is big, holding row locks all the while`}, and no statement_timeout is set. SET statement_timeout first, so that a statement that takes far longer than planned fails instead of blocking the application.`,
        fixes: [
          {
            title: "Set statement_timeout = '5min' first",
            preferred: true,
            edits: [insertLineBefore(context.analysis.text, statement, `${spell(statement, 'SET')} statement_timeout = '5min';`)],
          },
        ],
      },
    ];
  },
};

const VERBS: Record<string, string> = { AlterTableStmt: 'ALTER TABLE', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE' };

/** ALTER TABLE, UPDATE or DELETE on a table that exists before this migration. */
function longStatement(statement: AnalyzedStatement, context: RuleContext): { table: string; location: unknown; verb: string } | undefined {
  const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
  if (!unwrapped || !VERBS[unwrapped[0]]) return undefined;
  const [type, fields] = unwrapped;
  if (type === 'AlterTableStmt' && fields.objtype !== 'OBJECT_TABLE') return undefined;
  // A nullable ADD COLUMN, a DROP DEFAULT…: a catalog change, over as soon as its lock is granted.
  if (type === 'AlterTableStmt' && isCatalogOnlyAlter(fields)) return undefined;
  const table = rangeVarName(fields.relation);
  if (!table || context.table(table).newInThisDeploy) return undefined;
  return { table, location: (fields.relation as Fields).location, verb: VERBS[type] };
}
