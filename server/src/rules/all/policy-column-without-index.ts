import type { AnalyzedStatement } from '../../document/analyze';
import { asArray, rangeVarName, stringValue, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import { insertLineBefore, nameSpanAt, spanAt, tableKey } from '../helpers';
import { mentionsColumn, policyOf, walkExpression } from '../rls-helpers';
import type { Rule, RuleContext, RuleFinding } from '../types';

/**
 * A policy's `column = value` filter is added to every query on the table: without an index that
 * starts with the column, every query scans the whole table. Checked for tables the file creates,
 * whose indexes pglens sees in full.
 */
export const rule: Rule = {
  name: 'policy-column-without-index',
  summary: "a policy compares a column (tenant_id = …) that no index of the table starts with",
  defaultSeverity: 'information',
  scalesWithTableSize: false,
  check(statement, context) {
    const policy = policyOf(statement);
    if (!policy) return [];
    const created = tablesCreated(context).get(policy.table);
    if (!created) return [];
    const indexed = leadingColumns(context, policy.table, created);
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    // Only USING filters rows a query reads; WITH CHECK tests the rows written, which no index helps.
    for (const expression of [policy.fields.qual]) {
      walkExpression(expression, (type, fields) => {
        let pairs: Array<[unknown, unknown]>;
        // `column IN (SELECT …)`: the subquery reads other tables, the column is this one's.
        if (type === 'SubLink' && fields.subLinkType === 'ANY_SUBLINK') pairs = [[fields.testexpr, undefined]];
        else if (type === 'A_Expr' && (fields.kind === 'AEXPR_IN' || (fields.kind === 'AEXPR_OP' && stringValue(asArray(fields.name)[0]) === '=')))
          pairs = [[fields.lexpr, fields.rexpr], [fields.rexpr, fields.lexpr]];
        else return true;
        for (const [side, other] of pairs) {
          const column = bareColumn(side);
          if (!column || indexed.has(column) || seen.has(column) || mentionsColumn(other) || !created.columns.has(column)) continue;
          seen.add(column);
          const location = (unwrap(side)?.[1] as Fields).location;
          const tableText = context.analysis.text.slice(...spanOf(statement, policy.fields.table));
          findings.push({
            ...spanAt(statement, location),
            message: `Policy "${policy.name}" filters ${policy.table} on ${column}, and no index of the table starts with ${column}: the filter is added to every query on the table, which then reads every row. Index ${column}.`,
            fixes: [{ title: `Create an index on ${tableText} (${column})`, edits: [insertLineBefore(context.analysis.text, statement, `CREATE INDEX ON ${tableText} (${quoteIfNeeded(column)});`)] }],
          });
        }
        return true;
      });
    }
    return findings;
  },
};

function spanOf(statement: AnalyzedStatement, relation: unknown): [number, number] {
  const span = nameSpanAt(statement, (relation as Fields | undefined)?.location);
  return [span.start, span.end];
}

const quoteIfNeeded = (name: string): string => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);

/** `col` or `table.col` → col. */
function bareColumn(node: unknown): string | undefined {
  let unwrapped = unwrap(node);
  while (unwrapped?.[0] === 'TypeCast') unwrapped = unwrap(unwrapped[1].arg);
  if (unwrapped?.[0] !== 'ColumnRef') return undefined;
  const fields = asArray(unwrapped[1].fields);
  return stringValue(fields[fields.length - 1]);
}

interface CreatedTable {
  columns: Set<string>;
  /** First columns of its primary key and unique constraints. */
  leading: Set<string>;
}

/** Tables created by the file, with their columns and the columns their constraints index first. */
function tablesCreated(context: RuleContext): ReadonlyMap<string, CreatedTable> {
  return context.memo('rls:tables-created', () => {
    const tables = new Map<string, CreatedTable>();
    for (const statement of context.analysis.statements) {
      const unwrapped = statement.outcome.ok ? unwrap(statement.outcome.stmt) : undefined;
      if (unwrapped?.[0] !== 'CreateStmt') continue;
      const name = rangeVarName(unwrapped[1].relation);
      if (!name) continue;
      const table: CreatedTable = { columns: new Set(), leading: new Set() };
      for (const element of asArray(unwrapped[1].tableElts)) {
        const [type, fields] = unwrap(element) ?? ['', {}];
        if (type === 'ColumnDef' && typeof fields.colname === 'string') {
          table.columns.add(fields.colname);
          const keyed = asArray(fields.constraints).some((constraint) => ['CONSTR_PRIMARY', 'CONSTR_UNIQUE'].includes(String(unwrap(constraint)?.[1].contype)));
          if (keyed) table.leading.add(fields.colname);
        }
        if (type === 'Constraint' && ['CONSTR_PRIMARY', 'CONSTR_UNIQUE'].includes(String(fields.contype))) {
          const first = stringValue(asArray(fields.keys)[0]);
          if (first) table.leading.add(first);
        }
      }
      tables.set(tableKey(name), table);
    }
    return tables;
  });
}

/** Columns that start an index of `table`: its constraints', and CREATE INDEX anywhere in the file. */
function leadingColumns(context: RuleContext, table: string, created: CreatedTable): Set<string> {
  const columns = new Set(created.leading);
  for (const statement of context.analysis.statements) {
    const unwrapped = statement.outcome.ok ? unwrap(statement.outcome.stmt) : undefined;
    if (unwrapped?.[0] !== 'IndexStmt' || tableKey(rangeVarName(unwrapped[1].relation) ?? '') !== table) continue;
    const first = unwrap(asArray(unwrapped[1].indexParams)[0])?.[1];
    if (typeof first?.name === 'string') columns.add(first.name);
  }
  return columns;
}
