import type { AnalyzedStatement } from '../../document/analyze';
import { qualifiedName, unwrap } from '../../sql/ast';
import { firstLine, keywordsSpan, tokensOf } from '../helpers';
import type { Rule } from '../types';

/** ALTER TYPE … RENAME VALUE: code that still sends or compares the old label breaks at once. */
export const rule: Rule = {
  name: 'ban-rename-enum-value',
  summary: 'Renaming an enum value breaks running code that uses the old label',
  defaultSeverity: 'warning',
  scalesWithTableSize: false,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || unwrapped?.[0] !== 'AlterEnumStmt' || typeof unwrapped[1].oldVal !== 'string') return [];
    const type = qualifiedName(unwrapped[1].typeName);
    if (enumsCreatedBefore(context.earlier()).has(typeKey(type))) return [];
    const { oldVal, newVal } = unwrapped[1];
    // RENAME VALUE 'old' TO 'new'
    const rename = keywordsSpan(statement, ['rename', 'value']);
    const labels = rename ? tokensOf(statement).filter((token) => token.start >= rename.end && token.kind === 'string') : [];
    const span = rename ? { start: rename.start, end: (labels[1] ?? labels[0])?.end ?? rename.end } : firstLine(statement);
    return [
      {
        ...span,
        message: `Renaming '${oldVal}' to '${String(newVal)}' in ${type} breaks running code that still writes or compares '${oldVal}' (invalid input value for enum), including text comparisons and stored copies of the label. Add the new value, move the code and the rows over, and stop using the old one.`,
      },
    ];
  },
};

function enumsCreatedBefore(statements: AnalyzedStatement[]): Set<string> {
  const types = new Set<string>();
  for (const statement of statements) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (unwrapped?.[0] === 'CreateEnumStmt') types.add(typeKey(qualifiedName(unwrapped[1].typeName)));
  }
  return types;
}

// Private copies of small helpers (shared files are not edited by rules).

/** `schema.name` with `public` for a bare name, as lint.ts's tableKey. */
function typeKey(name: string): string {
  return name.includes('.') ? name : `public.${name}`;
}

