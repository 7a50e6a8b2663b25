import { utf8ByteToUtf16 } from '../../text/offsets';
import { tokensOf } from '../helpers';
import { mentionsColumn, walkExpression } from '../rls-helpers';
import type { Fix, Rule, RuleFinding } from '../types';
import { asArray, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';

/**
 * A function call in a policy that reads no column gives the same answer for every row, yet runs for
 * every row; wrapped in `(SELECT …)` PostgreSQL runs it once per statement as an InitPlan.
 */
export const rule: Rule = {
  name: 'policy-function-per-row',
  summary: "a policy calls a function on no column (auth.uid(), current_setting(…)) per row instead of once as (SELECT …)",
  defaultSeverity: 'warning',
  scalesWithTableSize: false,
  check(statement) {
    const unwrapped = statement.outcome.ok ? unwrap(statement.outcome.stmt) : undefined;
    if (unwrapped?.[0] !== 'CreatePolicyStmt' && unwrapped?.[0] !== 'AlterPolicyStmt') return [];
    const findings: RuleFinding[] = [];
    for (const expression of [unwrapped[1].qual, unwrapped[1].with_check]) {
      walkExpression(expression, (type, fields) => {
        if (type !== 'FuncCall' || mentionsColumn(asArray(fields.args)) || fields.agg_star || fields.over) return true;
        if (CHEAP.has(functionName(fields))) return false;
        const finding = findingFor(statement, fields);
        if (finding) findings.push(finding);
        return false;
      });
    }
    return findings;
  },
};

/** Built-ins that only read the transaction's start time: per row they cost nothing worth an InitPlan. */
const CHEAP = new Set(['now', 'transaction_timestamp', 'statement_timestamp']);

function functionName(call: Fields): string {
  const parts = asArray(call.funcname);
  const last = parts[parts.length - 1] as { String?: { sval?: string } } | undefined;
  return last?.String?.sval ?? '';
}

function findingFor(statement: Parameters<Rule['check']>[0], call: Fields): RuleFinding | undefined {
  if (typeof call.location !== 'number') return undefined;
  const start = statement.segment.start + utf8ByteToUtf16(statement.segment.sql, call.location);
  const tokens = tokensOf(statement);
  let index = tokens.findIndex((token) => token.start === start);
  if (index < 0) return undefined;
  while (tokens[index + 1]?.text === '.') index += 2;
  if (tokens[index + 1]?.text !== '(') return undefined;
  let depth = 0;
  let end = -1;
  for (let k = index + 1; k < tokens.length; k++) {
    if (tokens[k].text === '(') depth++;
    else if (tokens[k].text === ')' && --depth === 0) {
      end = tokens[k].end;
      break;
    }
  }
  if (end < 0) return undefined;
  const text = statement.segment.sql.slice(start - statement.segment.start, end - statement.segment.start);
  const select = /^[a-z_.]+\(/.test(text) ? 'select' : 'SELECT';
  const fix: Fix = { title: `Wrap in (${select} ${text})`, edits: [{ start, end, newText: `(${select} ${text})` }] };
  return {
    start,
    end,
    message: `${text} reads no column, so it is the same for every row, but in a policy PostgreSQL calls it once per row. Written (${select} ${text}) it runs once per statement (an InitPlan): on a large table the difference is seconds. (Keep it per row only if the function is volatile on purpose.)`,
    fixes: [fix],
  };
}
