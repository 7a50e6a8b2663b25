import type { AnalyzedStatement } from '../../document/analyze';
import { qualifiedName, unwrap } from '../../sql/ast';
import { firstLine, keywordsSpan, tokensOf } from '../helpers';
import type { Rule } from '../types';

/**
 * ALTER TYPE … ADD VALUE without BEFORE/AFTER appends the label, which sorts after every existing one.
 * Before PostgreSQL 12 ADD VALUE also cannot run inside a transaction block.
 */
export const rule: Rule = {
  name: 'enum-add-value-without-position',
  summary: 'Enum value added without BEFORE/AFTER sorts last; before PostgreSQL 12 ADD VALUE cannot run in a transaction',
  defaultSeverity: 'information',
  scalesWithTableSize: false,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (unwrapped?.[0] !== 'AlterEnumStmt' || typeof unwrapped[1].oldVal === 'string' || typeof unwrapped[1].newVal !== 'string') return [];
    const type = qualifiedName(unwrapped[1].typeName);
    const value = unwrapped[1].newVal;
    const positioned = typeof unwrapped[1].newValNeighbor === 'string';
    // ADD VALUE [IF NOT EXISTS] 'label'
    const add = keywordsSpan(statement, ['add', 'value']);
    const label = add ? tokensOf(statement).find((token) => token.start >= add.end && token.kind === 'string') : undefined;
    const span = add ? { start: add.start, end: label?.end ?? add.end } : firstLine(statement);

    if (context.targetVersion < 120000 && !enumsCreatedBefore(context.earlier()).has(typeKey(type))) {
      const wrapper = explicitTransactionOpen(context.earlier()) ? 'after the BEGIN above' : context.transactional ? `${context.tool && context.tool !== 'plain' ? context.tool : 'the migration tool'} wraps the file in one` : undefined;
      if (wrapper) {
        return [
          {
            ...span,
            severity: 'error',
            message: `Before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run inside a transaction block, and this statement runs in one (${wrapper}): the migration fails. Run it in a migration of its own without a transaction.`,
          },
        ];
      }
    }
    if (positioned) return [];
    return [
      {
        ...span,
        message: `'${value}' is appended after every existing value of ${type}: comparisons (<, >) and ORDER BY put it last. Add BEFORE or AFTER if the order matters.`,
      },
    ];
  },
};

/** Enum types created earlier in the file (PostgreSQL < 12 allows ADD VALUE on them in the same transaction). */
function enumsCreatedBefore(statements: AnalyzedStatement[]): Set<string> {
  const types = new Set<string>();
  for (const statement of statements) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (unwrapped?.[0] === 'CreateEnumStmt') types.add(typeKey(qualifiedName(unwrapped[1].typeName)));
  }
  return types;
}

/** Whether the statements leave a transaction opened by BEGIN / START TRANSACTION. */
function explicitTransactionOpen(statements: AnalyzedStatement[]): boolean {
  let open = false;
  for (const statement of statements) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (unwrapped?.[0] !== 'TransactionStmt') continue;
    const kind = unwrapped[1].kind;
    if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') open = true;
    if ((kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK') && !unwrapped[1].chain) open = false;
    if (kind === 'TRANS_STMT_PREPARE') open = false;
  }
  return open;
}

// Private copies of small helpers (shared files are not edited by rules).

/** `schema.name` with `public` for a bare name, as lint.ts's tableKey. */
function typeKey(name: string): string {
  return name.includes('.') ? name : `public.${name}`;
}

