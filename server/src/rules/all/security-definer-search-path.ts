import type { AnalyzedStatement } from '../../document/analyze';
import { asArray, findOption, qualifiedName, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import { keywordsSpan, tokensOf } from '../helpers';
import type { Rule } from '../types';

const SAFE_PATH = 'pg_catalog, pg_temp';

/** A SECURITY DEFINER function that runs with the caller's search_path lets the caller pick what its unqualified names mean. */
export const rule: Rule = {
  name: 'security-definer-search-path',
  summary: 'SECURITY DEFINER function or procedure without SET search_path',
  defaultSeverity: 'error',
  scalesWithTableSize: false,
  check(statement, context) {
    const unwrapped = statement.outcome.ok ? unwrap(statement.outcome.stmt) : undefined;
    if (unwrapped?.[0] !== 'CreateFunctionStmt') return [];
    const fields = unwrapped[1];
    const security = findOption(fields.options, 'security');
    if (unwrap(security?.arg)?.[1].boolval !== true) return [];
    if (setsSearchPath(fields.options)) return [];
    const name = qualifiedName(fields.funcname);
    if (context.analysis.statements.some((candidate) => alterSetsSearchPath(candidate, name))) return [];

    const span = keywordsSpan(statement, ['security', 'definer']);
    if (!span) return [];
    const definer = tokensOf(statement).find((token) => token.end === span.end);
    const kind = fields.is_procedure ? 'procedure' : 'function';
    // Written in the statement's own case: `security definer set search_path …`.
    const set = definer && definer.text === definer.text.toLowerCase() ? 'set' : 'SET';
    return [
      {
        ...span,
        message: `SECURITY DEFINER ${kind} ${name} runs with its owner's rights but the caller's search_path: a caller who can create objects in any schema on it (or in pg_temp) can shadow the tables, functions and operators it uses and run code as the owner. Add SET search_path = ${SAFE_PATH} and schema-qualify what the body uses.`,
        fixes: definer
          ? [{ title: `Add SET search_path = ${SAFE_PATH}`, edits: [{ start: definer.end, end: definer.end, newText: ` ${set} search_path = ${SAFE_PATH}` }] }]
          : [],
      },
    ];
  },
};

/** A `SET search_path …` among a function's options (`= …` or `FROM CURRENT`). */
function setsSearchPath(options: unknown): boolean {
  return asArray(options).some((option) => {
    const element = unwrap(option);
    if (element?.[0] !== 'DefElem' || element[1].defname !== 'set') return false;
    const set = unwrap(element[1].arg);
    return set?.[0] === 'VariableSetStmt' && set[1].name === 'search_path' && set[1].kind !== 'VAR_RESET';
  });
}

/** `ALTER FUNCTION|PROCEDURE <name>(…) SET search_path …` on the function named `name`. */
function alterSetsSearchPath(statement: AnalyzedStatement, name: string): boolean {
  const unwrapped = statement.outcome.ok ? unwrap(statement.outcome.stmt) : undefined;
  if (unwrapped?.[0] !== 'AlterFunctionStmt') return false;
  const target = qualifiedName((unwrapped[1].func as Fields | undefined)?.objname);
  const bare = (qualified: string): string => qualified.slice(qualified.lastIndexOf('.') + 1);
  const same = target === name || (bare(target) === bare(name) && (!target.includes('.') || !name.includes('.')));
  return same && setsSearchPath(unwrapped[1].actions);
}
