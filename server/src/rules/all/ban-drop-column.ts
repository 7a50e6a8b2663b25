import { asArray, rangeVarName, unwrap } from '../../sql/ast';
import { columnsAddedBefore, commandTokens, keywordsSpan } from '../helpers';
import type { Rule, RuleFinding } from '../types';

/** DROP COLUMN while the running application still selects, inserts or maps the column. */
export const rule: Rule = {
  name: 'ban-drop-column',
  summary: 'DROP COLUMN breaks running code that still uses the column',
  defaultSeverity: 'warning',
  scalesWithTableSize: false,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || unwrapped?.[0] !== 'AlterTableStmt' || unwrapped[1].objtype !== 'OBJECT_TABLE') return [];
    const table = rangeVarName(unwrapped[1].relation);
    if (!table || context.table(table).newInThisDeploy) return [];
    const cmds = asArray(unwrapped[1].cmds).map((command) => unwrap(command)?.[1] ?? {});
    if (!cmds.some((cmd) => cmd.subtype === 'AT_DropColumn')) return [];
    const pieces = commandTokens(statement, unwrapped[1].relation);
    const added = columnsAddedBefore(context.earlier(), table);
    const findings: RuleFinding[] = [];
    cmds.forEach((cmd, index) => {
      if (cmd.subtype !== 'AT_DropColumn' || typeof cmd.name !== 'string' || added.has(cmd.name)) return;
      const tokens = pieces.length === cmds.length ? pieces[index] : undefined;
      // DROP [COLUMN] [IF EXISTS] name, without CASCADE / RESTRICT.
      const last = tokens?.findIndex((token) => /^(cascade|restrict)$/i.test(token.text));
      const span = tokens ? { start: tokens[0].start, end: tokens[last !== undefined && last > 0 ? last - 1 : tokens.length - 1].end } : keywordsSpan(statement, ['drop']);
      if (!span) return;
      const cascade = cmd.behavior === 'DROP_CASCADE' ? ' CASCADE also drops the views, indexes and constraints that use it.' : '';
      findings.push({
        ...span,
        message: `Dropping ${table}.${cmd.name} breaks running code that still reads or writes it (queries, ORM models listing every column). Deploy the code that stops using it first, then drop it in a later migration.${cascade}`,
      });
    });
    return findings;
  },
};

