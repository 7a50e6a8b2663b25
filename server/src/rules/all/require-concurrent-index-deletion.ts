import type { AnalyzedStatement } from '../../document/analyze';
import { asArray, qualifiedName, rangeVarName, unwrap } from '../../sql/ast';
import { keywordsSpan, statementSpan, tableKey, tokensOf } from '../helpers';
import type { Fix, Rule, RuleContext, TextEdit } from '../types';
import { outsideTransactionEdits, spell } from './concurrently-in-transaction';

/** DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table. */
export const rule: Rule = {
  name: 'require-concurrent-index-deletion',
  summary: 'DROP INDEX without CONCURRENTLY locks the table against reads and writes',
  defaultSeverity: 'error',
  scalesWithTableSize: true,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || unwrapped?.[0] !== 'DropStmt') return [];
    const fields = unwrapped[1];
    if (fields.removeType !== 'OBJECT_INDEX' || fields.concurrent) return [];
    const span = keywordsSpan(statement, ['drop', 'index']);
    if (!span) return [];
    const names = asArray(fields.objects).map((object) => qualifiedName(unwrap(object)?.[1].items));
    // Indexes created earlier in this file on a table created earlier in this file: nothing to lock.
    const tables = names.map((name) => indexTable(context, name)).filter((candidate) => candidate === undefined || !context.table(candidate).newInThisDeploy);
    if (tables.length === 0) return [];
    // Size scaling only when every table is known.
    const table = tables.every((candidate) => candidate !== undefined) ? tables[0] : undefined;

    const fixes: Fix[] = [];
    const outside = outsideTransactionEdits(context);
    const rewrite = fields.behavior === 'DROP_CASCADE' ? undefined : concurrentDrops(statement, fields.missing_ok === true);
    if (outside && rewrite) {
      fixes.push({
        title: outside.removesBlock ? 'Drop the index CONCURRENTLY (and remove the BEGIN/COMMIT around it)' : 'Drop the index CONCURRENTLY (outside a transaction)',
        preferred: !outside.removesBlock,
        edits: [rewrite, ...outside.edits],
      });
    }
    const on = table ? `on ${table}` : "on the index's table";
    const cascade = fields.behavior === 'DROP_CASCADE' ? ' (CONCURRENTLY does not support CASCADE: drop the dependent objects first)' : '';
    return [
      {
        ...span,
        table,
        message: `DROP INDEX takes an ACCESS EXCLUSIVE lock ${on}: every read and write waits until the drop finishes, and the drop waits for running queries. Use DROP INDEX CONCURRENTLY${names.length > 1 ? ', one index per statement' : ''}, outside a transaction${cascade}.`,
        fixes,
      },
    ];
  },
};

/** `DROP INDEX a, b` → `DROP INDEX CONCURRENTLY a;\nDROP INDEX CONCURRENTLY b` (CONCURRENTLY takes one name). */
function concurrentDrops(statement: AnalyzedStatement, ifExists: boolean): TextEdit | undefined {
  const tokens = tokensOf(statement).filter((token) => token.text !== ';');
  const first = ifExists ? 4 : 2; // after DROP INDEX [IF EXISTS]
  let last = tokens.length;
  if (/^(cascade|restrict)$/i.test(tokens[last - 1]?.text ?? '')) last--;
  const text = (from: number, to: number): string => statement.segment.sql.slice(tokens[from].start - statement.segment.start, tokens[to].end - statement.segment.start);
  const names: string[] = [];
  let start = first;
  for (let i = first; i <= last; i++) {
    if (i === last || tokens[i].text === ',') {
      if (i === start) return undefined;
      names.push(text(start, i - 1));
      start = i + 1;
    }
  }
  if (names.length === 0) return undefined;
  const concurrently = spell(statement, 'CONCURRENTLY');
  const head = `${text(0, 1)} ${concurrently}${ifExists ? ` ${text(2, 3)}` : ''} `;
  const restrict = last < tokens.length ? ` ${tokens[last].text}` : '';
  const span = statementSpan(statement);
  return { start: span.start, end: span.end, newText: names.map((name) => `${head}${name}${restrict}`).join(';\n') };
}

/**
 * The table an index is on, when the index was created earlier in this file (`schema.table`), else
 * undefined: without the live schema the table of a dropped index is unknown.
 */
export function indexTable(context: RuleContext, indexName: string): string | undefined {
  const wanted = tableKey(indexName);
  let found: string | undefined;
  for (const statement of context.earlier()) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (unwrapped?.[0] !== 'IndexStmt' || typeof unwrapped[1].idxname !== 'string') continue;
    const table = rangeVarName(unwrapped[1].relation);
    if (!table) continue;
    // An index lives in its table's schema.
    const schema = tableKey(table).split('.')[0];
    if (`${schema}.${unwrapped[1].idxname}` === wanted) found = table;
  }
  return found;
}

export { tableKey };
