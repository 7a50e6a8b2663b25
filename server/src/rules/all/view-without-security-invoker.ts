import { asArray, rangeVarName, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import { nameSpanAt, tableKey, tokensOf } from '../helpers';
import { rlsEnabledInFile, walkExpression } from '../rls-helpers';
import type { Rule, TextEdit } from '../types';

/**
 * A view runs its query with its owner's rights: over a table with row-level security, everyone who
 * may read the view sees the rows the owner sees (usually all of them), unless the view is
 * `security_invoker` (PostgreSQL 15+).
 */
export const rule: Rule = {
  name: 'view-without-security-invoker',
  summary: 'CREATE VIEW over a table with row level security, without security_invoker: the policies are the view owner’s, not the caller’s',
  defaultSeverity: 'warning',
  scalesWithTableSize: false,
  check(statement, context) {
    const unwrapped = statement.outcome.ok ? unwrap(statement.outcome.stmt) : undefined;
    if (unwrapped?.[0] !== 'ViewStmt') return [];
    const fields = unwrapped[1];
    if (isInvoker(fields.options)) return [];
    const protectedTables = rlsEnabledInFile(context);
    let over: string | undefined;
    walkExpression(
      fields.query,
      (type, node) => {
        if (over) return false;
        if (type === 'RangeVar') {
          const name = rangeVarName(node);
          if (name && protectedTables.has(tableKey(name))) over = name;
        }
        return true;
      },
      true,
    );
    if (!over) return [];
    const view = fields.view as Fields;
    const span = nameSpanAt(statement, view.location);
    const name = context.analysis.text.slice(span.start, span.end);
    const supported = context.targetVersion >= 150000;
    const explicitlyOff = asArray(fields.options).some((option) => unwrap(option)?.[1].defname === 'security_invoker');
    return [
      {
        ...span,
        message: `View ${name} reads ${over}, which has row level security, with the rights of the view's owner: its policies filter rows for the owner (who usually bypasses them), not for whoever queries the view. ${supported ? 'Create it WITH (security_invoker = true)' : 'PostgreSQL 15+ has WITH (security_invoker = true); before it, revoke the view from roles that must not see every row'}.`,
        fixes: supported && !explicitlyOff ? [{ title: 'Make the view security_invoker', edits: [invokerEdit(statement, span.end)] }] : [],
      },
    ];
  },
};

function isInvoker(options: unknown): boolean {
  const option = (Array.isArray(options) ? options : []).map((item) => unwrap(item)?.[1]).find((item) => item?.defname === 'security_invoker');
  if (!option) return false;
  const arg = unwrap(option.arg);
  if (!arg) return true; // `WITH (security_invoker)` means true
  if (arg[0] === 'Integer') return arg[1].ival !== undefined && arg[1].ival !== 0;
  return ['true', 'on', 'yes', '1', 't', 'y'].includes(String(arg[1].sval).toLowerCase());
}

/** ` WITH (security_invoker = true)` after the name, or `security_invoker = true, ` inside an existing WITH (…). */
function invokerEdit(statement: Parameters<Rule['check']>[0], nameEnd: number): TextEdit {
  const tokens = tokensOf(statement);
  const index = tokens.findIndex((token) => token.start >= nameEnd);
  let k = index;
  // Skip a column list `v (a, b)`.
  if (tokens[k]?.text === '(') {
    let depth = 0;
    for (; k < tokens.length; k++) {
      if (tokens[k].text === '(') depth++;
      else if (tokens[k].text === ')' && --depth === 0) break;
    }
    k++;
  }
  const lower = tokens[k]?.text.toLowerCase() === 'with' && tokens[k + 1]?.text === '(';
  if (lower) return { start: tokens[k + 1].end, end: tokens[k + 1].end, newText: 'security_invoker = true, ' };
  const at = k > index ? tokens[k - 1].end : nameEnd;
  return { start: at, end: at, newText: ' WITH (security_invoker = true)' };
}
