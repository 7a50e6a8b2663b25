import type { AnalyzedStatement, DocumentAnalysis } from '../../document/analyze';
import { sectionsOf, wrapsImplicitly } from '../../migrations/discover';
import { unwrap } from '../../sql/ast';
import { statementSpan } from '../helpers';
import type { Fix, Rule, RuleContext, RuleFinding, TextEdit } from '../types';

/**
 * BEGIN inside a transaction (an earlier BEGIN, or the one the migration tool wraps the file in),
 * COMMIT/ROLLBACK with no transaction, and BEGIN never committed. PostgreSQL only warns about the
 * first two, but the file then does not run in the transaction its author thinks it does.
 */
export const rule: Rule = {
  name: 'transaction-nesting',
  summary: 'BEGIN inside an open transaction, COMMIT without one, or BEGIN never committed',
  defaultSeverity: 'error',
  scalesWithTableSize: false,
  check(statement, context) {
    const kind = transactionKind(statement);
    if (!kind) return [];
    const unit = statementsRunWith(statement, context);
    if (!unit) return [];
    const position = unit.indexOf(statement);
    // Walk the statements before this one as PostgreSQL runs them.
    // An implicit transaction (Supabase's batch, golang-migrate's one query) becomes the file's own at its BEGIN: nothing nests.
    let open = context.transactional && !wrapsImplicitly(context.tool);
    let explicit = false;
    for (const earlier of unit.slice(0, position)) {
      const earlierKind = transactionKind(earlier);
      if (earlierKind === 'begin') {
        open = true;
        explicit = true;
      } else if (earlierKind === 'end') {
        open = false;
        explicit = false;
      }
    }
    const span = statementSpan(statement);
    const later = unit.slice(position + 1);
    const closer = later.find((candidate) => transactionKind(candidate) === 'end');
    const tool = context.tool && context.tool !== 'plain' ? context.tool : 'the migration tool';
    const findings: RuleFinding[] = [];

    if (kind === 'begin') {
      if (explicit) {
        findings.push({
          ...span,
          message: 'A transaction is already open (BEGIN above): PostgreSQL ignores this BEGIN with a warning, and the first COMMIT or ROLLBACK ends the whole transaction. Remove it, or use SAVEPOINT for a nested unit.',
        });
      } else if (open) {
        findings.push({
          ...span,
          severity: 'warning',
          message: `This file already runs in a transaction (${tool} wraps it): this BEGIN opens no new one, and the COMMIT meant for it ends the tool's transaction early, so what follows runs outside it. Remove both.`,
          fixes: removeFix(context.analysis.text, statement, closer),
        });
      } else if (!closer) {
        findings.push({
          ...span,
          message: 'This transaction is never committed: it stays open to the end of the session, which then rolls it back. Add COMMIT after the last statement.',
        });
      }
    } else if (!open) {
      findings.push({ ...span, severity: 'warning', message: 'No transaction is open here: PostgreSQL ignores this with a warning ("there is no transaction in progress"). Remove it, or add the BEGIN it was meant to end.' });
    } else if (!explicit) {
      findings.push({
        ...span,
        severity: 'warning',
        message: `This file runs in a transaction (${tool} wraps it): this ends it early, so the statements after it run without one and a failure leaves the migration half-applied. Split the migration instead.`,
      });
    }
    return findings;
  },
};

type TransactionKind = 'begin' | 'end';

/** BEGIN / START TRANSACTION, or COMMIT / END / ROLLBACK / ABORT / PREPARE TRANSACTION (not AND CHAIN). */
function transactionKind(statement: AnalyzedStatement): TransactionKind | undefined {
  const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
  if (unwrapped?.[0] !== 'TransactionStmt') return undefined;
  const { kind, chain } = unwrapped[1];
  if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') return 'begin';
  if (((kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK') && !chain) || kind === 'TRANS_STMT_PREPARE') return 'end';
  return undefined;
}

function isCommit(statement: AnalyzedStatement): boolean {
  const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
  return unwrapped?.[0] === 'TransactionStmt' && unwrapped[1].kind === 'TRANS_STMT_COMMIT';
}

/** Remove the BEGIN and the COMMIT that ends it (no fix when a ROLLBACK or PREPARE ends it: that changes what the file does). */
function removeFix(text: string, begin: AnalyzedStatement, closer: AnalyzedStatement | undefined): Fix[] {
  if (closer && !isCommit(closer)) return [];
  const edits = [removal(text, begin)];
  if (closer) edits.push(removal(text, closer));
  return [{ title: closer ? 'Remove BEGIN and COMMIT (the tool already wraps the file in a transaction)' : 'Remove BEGIN (the tool already wraps the file in a transaction)', preferred: true, edits }];
}

/** Deletes a statement, and its line when nothing else is on it. */
function removal(text: string, statement: AnalyzedStatement): TextEdit {
  let { start, end } = statement.segment;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const rest = /^[ \t]*(\r?\n|$)/.exec(text.slice(end));
  if (/^[ \t]*$/.test(text.slice(lineStart, start)) && rest) {
    start = lineStart;
    end += rest[0].length;
  }
  return { start, end, newText: '' };
}

/** The statements that run together with this one: its dbmate/goose up section, or the whole file (undefined in a down section). */
function statementsRunWith(statement: AnalyzedStatement, context: RuleContext): AnalyzedStatement[] | undefined {
  const statements = context.analysis.statements.filter((candidate) => candidate.outcome.ok);
  const sections = upSectionsOf(context);
  if (!sections) return statements;
  const section = sections.find((candidate) => candidate.start <= statement.segment.start && statement.segment.start < candidate.end);
  if (!section) return undefined;
  return statements.filter((candidate) => section.start <= candidate.segment.start && candidate.segment.start < section.end);
}

// Private copy of a small helper (shared files are not edited by rules).

const upSections = new WeakMap<DocumentAnalysis, { tool: string; up: Array<{ start: number; end: number }> }>();

/** dbmate's and goose's up sections (their files carry the down migration too), or undefined for a whole-file tool. */
function upSectionsOf(context: RuleContext): Array<{ start: number; end: number }> | undefined {
  const tool = context.tool;
  if (tool !== 'dbmate' && tool !== 'goose') return undefined;
  let cached = upSections.get(context.analysis);
  if (cached?.tool !== tool) {
    cached = { tool, up: sectionsOf(tool, context.analysis.text).up };
    upSections.set(context.analysis, cached);
  }
  return cached.up.length > 0 ? cached.up : undefined;
}
