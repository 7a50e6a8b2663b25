import type { AnalyzedStatement, DocumentAnalysis } from '../../document/analyze';
import { sectionsOf } from '../../migrations/discover';
import { asArray, rangeVarName, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import type { Token } from '../../sql/tokens';
import { keywordsSpan, tableKey, tokensOf } from '../helpers';
import type { Rule, RuleContext, RuleFinding } from '../types';

/** DROP COLUMN while the running application still selects, inserts or maps the column. */
export const rule: Rule = {
  name: 'ban-drop-column',
  summary: 'DROP COLUMN breaks running code that still uses the column',
  defaultSeverity: 'warning',
  scalesWithTableSize: false,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || unwrapped?.[0] !== 'AlterTableStmt' || unwrapped[1].objtype !== 'OBJECT_TABLE') return [];
    if (!inUpSection(statement, context)) return [];
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

/** Columns added to `table` by the file's earlier statements: no running code knows them yet. */
function columnsAddedBefore(statements: AnalyzedStatement[], table: string): Set<string> {
  const columns = new Set<string>();
  for (const statement of statements) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (unwrapped?.[0] !== 'AlterTableStmt' || tableKey(rangeVarName(unwrapped[1].relation) ?? '') !== tableKey(table)) continue;
    for (const command of asArray(unwrapped[1].cmds)) {
      const cmd = unwrap(command)?.[1] ?? {};
      const column = cmd.subtype === 'AT_AddColumn' ? unwrap(cmd.def)?.[1] : undefined;
      if (typeof column?.colname === 'string') columns.add(column.colname);
    }
  }
  return columns;
}

// Private copies of small helpers (shared files are not edited by rules).

/** The tokens of each ALTER TABLE command after the table name, split at top-level commas (in the order of `cmds`). */
function commandTokens(statement: AnalyzedStatement, relation: unknown): Token[][] {
  const tokens = tokensOf(statement);
  let index = tokens.findIndex((token) => token.byte === (relation as Fields | undefined)?.location);
  if (index < 0) return [];
  while (tokens[index + 1]?.text === '.' && tokens[index + 2]) index += 2;
  const commands: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens.slice(index + 1)) {
    if (token.text === ';') break;
    if (token.text === '(' || token.text === '[') depth++;
    if (token.text === ')' || token.text === ']') depth--;
    if (token.text === ',' && depth === 0) commands.push([]);
    else commands[commands.length - 1].push(token);
  }
  return commands.filter((command) => command.length > 0);
}

const upSections = new WeakMap<DocumentAnalysis, { tool: string; up: Array<{ start: number; end: number }> }>();

/** dbmate and goose files carry their down migration too: it does not run on deploy. */
function inUpSection(statement: AnalyzedStatement, context: RuleContext): boolean {
  const tool = context.tool;
  if (tool !== 'dbmate' && tool !== 'goose') return true;
  let cached = upSections.get(context.analysis);
  if (cached?.tool !== tool) {
    cached = { tool, up: sectionsOf(tool, context.analysis.text).up };
    upSections.set(context.analysis, cached);
  }
  return cached.up.length === 0 || cached.up.some((section) => section.start <= statement.segment.start && statement.segment.start < section.end);
}
