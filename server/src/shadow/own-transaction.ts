import type { AnalyzedStatement } from '../document/analyze';
import { unwrap } from '../sql/ast';

/**
 * Does the file open its own transaction (BEGIN / START TRANSACTION)? Then the statements between
 * its BEGIN and COMMIT share one transaction when the tool runs it, and a `LOCK TABLE` there is
 * valid: replaying each statement on its own would make it fail with 25P01.
 */
export function opensOwnTransaction(statements: readonly AnalyzedStatement[]): boolean {
  return statements.some((statement) => {
    const unwrapped = statement.outcome.ok ? unwrap(statement.outcome.stmt) : undefined;
    return unwrapped?.[0] === 'TransactionStmt' && (unwrapped[1].kind === 'TRANS_STMT_BEGIN' || unwrapped[1].kind === 'TRANS_STMT_START');
  });
}
