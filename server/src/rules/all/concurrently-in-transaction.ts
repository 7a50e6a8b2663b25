import type { AnalyzedStatement } from '../../document/analyze';
import { asArray, findOption, unwrap } from '../../sql/ast';
import { keywordsSpan, nonTransactionalEdits, statementSpan, tokensOf } from '../helpers';
import type { Span } from '../helpers';
import type { Fix, Rule, RuleContext, TextEdit } from '../types';

/**
 * CREATE/DROP INDEX CONCURRENTLY, REINDEX … CONCURRENTLY and DETACH PARTITION … CONCURRENTLY refuse to
 * run inside a transaction block: in an explicit BEGIN, or in a file the migration tool wraps in one.
 */
export const rule: Rule = {
  name: 'concurrently-in-transaction',
  summary: 'A CONCURRENTLY statement inside a transaction block fails',
  defaultSeverity: 'error',
  scalesWithTableSize: false,
  check(statement, context) {
    const span = concurrentlySpan(statement);
    if (!span) return [];
    const begin = openTransactionBlock(context);
    const optOut = nonTransactionalEdits(context.tool, context.analysis.text);
    // A tool switch already in the file (dbmate `transaction:false`, goose `NO TRANSACTION`) wins over a stale flag.
    const wrappedByTool = context.transactional && (optOut === undefined || optOut.length > 0);
    if (!begin && !wrappedByTool) return [];

    const edits: TextEdit[] = [];
    let fixable = true;
    if (wrappedByTool) {
      if (optOut && optOut.length > 0) edits.push(...optOut);
      else fixable = false;
    }
    if (begin) {
      const removal = transactionBlockRemoval(context, begin);
      if (removal) edits.push(...removal);
      else fixable = false;
    }
    const fixes: Fix[] = fixable && edits.length > 0 ? [{ title: fixTitle(wrappedByTool, !!begin), preferred: !begin, edits }] : [];

    const where = begin
      ? `inside the transaction block opened on line ${context.analysis.lineIndex.positionAt(begin.segment.start).line + 1}`
      : `in the transaction ${toolName(context)} wraps this migration in`;
    return [
      {
        ...span,
        message: `CONCURRENTLY cannot run ${where}: the statement fails with "cannot run inside a transaction block". ${howToOptOut(context, wrappedByTool, !!begin)}`,
        fixes,
      },
    ];
  },
};

function fixTitle(wrappedByTool: boolean, explicit: boolean): string {
  if (wrappedByTool && explicit) return 'Run the migration outside a transaction (and remove its BEGIN/COMMIT)';
  if (explicit) return 'Remove the BEGIN/COMMIT around it';
  return 'Run the migration outside a transaction';
}

function toolName(context: RuleContext): string {
  return context.tool && context.tool !== 'plain' ? context.tool : 'the migration tool';
}

function howToOptOut(context: RuleContext, wrappedByTool: boolean, explicit: boolean): string {
  const tool = wrappedByTool ? context.tool : undefined;
  const hints: Record<string, string> = {
    dbmate: 'Mark the section `-- migrate:up transaction:false`.',
    goose: 'Add `-- +goose NO TRANSACTION` to the file.',
    flyway: 'Set `executeInTransaction=false` in the script\'s .conf file, or keep only non-transactional statements in this migration.',
    'golang-migrate': 'Put the statement in a migration file of its own (a multi-statement file runs as one implicit transaction).',
    supabase: 'Supabase runs each migration in one transaction: run this statement outside the migrations.',
  };
  const toolHint = tool ? (hints[tool] ?? 'Run it outside a transaction.') : '';
  const blockHint = explicit ? 'Move it out of the BEGIN … COMMIT block.' : '';
  return [toolHint, blockHint].filter((hint) => hint !== '').join(' ');
}

/** The CONCURRENTLY keyword of a statement that cannot run in a transaction block, if it is one. */
export function concurrentlySpan(statement: AnalyzedStatement): Span | undefined {
  const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
  if (!unwrapped) return undefined;
  const [type, fields] = unwrapped;
  let concurrent = false;
  if (type === 'IndexStmt' || (type === 'DropStmt' && fields.removeType === 'OBJECT_INDEX')) concurrent = fields.concurrent === true;
  if (type === 'ReindexStmt') concurrent = findOption(fields.params, 'concurrently') !== undefined;
  if (type === 'AlterTableStmt') {
    concurrent = asArray(fields.cmds).some((command) => {
      const cmd = unwrap(command)?.[1];
      return cmd?.subtype === 'AT_DetachPartition' && unwrap(cmd.def)?.[1].concurrent === true;
    });
  }
  if (!concurrent) return undefined;
  return keywordsSpan(statement, ['concurrently']) ?? statementSpan(statement);
}

function transactionKind(statement: AnalyzedStatement): string | undefined {
  const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
  return unwrapped?.[0] === 'TransactionStmt' && typeof unwrapped[1].kind === 'string' ? unwrapped[1].kind : undefined;
}

const OPENS = new Set(['TRANS_STMT_BEGIN', 'TRANS_STMT_START']);
const CLOSES = new Set(['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE']);

/** The explicit BEGIN / START TRANSACTION still open at this statement, if any. */
export function openTransactionBlock(context: RuleContext): AnalyzedStatement | undefined {
  let open: AnalyzedStatement | undefined;
  for (const statement of context.earlier()) {
    const kind = transactionKind(statement);
    if (kind && OPENS.has(kind)) open ??= statement;
    else if (kind && CLOSES.has(kind) && !(statement.outcome.ok && unwrap(statement.outcome.stmt)?.[1].chain === true)) open = undefined;
  }
  return open;
}

/**
 * Edits removing an explicit BEGIN and the COMMIT that closes it; undefined when the block ends in
 * ROLLBACK or PREPARE TRANSACTION (removing those would change what the file does).
 */
export function transactionBlockRemoval(context: RuleContext, begin: AnalyzedStatement): TextEdit[] | undefined {
  const later = context.analysis.statements.slice(context.index + 1);
  const close = later.find((statement) => {
    const kind = transactionKind(statement);
    return kind !== undefined && (CLOSES.has(kind) || OPENS.has(kind));
  });
  const edits = [removeStatement(context.analysis.text, begin)];
  if (!close) return edits; // the block is never committed: psql rolls it back at the end, so drop the BEGIN only
  if (transactionKind(close) !== 'TRANS_STMT_COMMIT' || (close.outcome.ok && unwrap(close.outcome.stmt)?.[1].chain === true)) return undefined;
  return [...edits, removeStatement(context.analysis.text, close)];
}

/** Removes a statement, with its line when nothing else is on it. */
export function removeStatement(text: string, statement: AnalyzedStatement): TextEdit {
  let { start, end } = statement.segment;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const newline = text.indexOf('\n', end);
  const lineEnd = newline < 0 ? text.length : newline;
  const before = text.slice(lineStart, start);
  const after = text.slice(end, lineEnd);
  if (/^[ \t]*$/.test(before) && /^[ \t\r]*$/.test(after)) {
    start = lineStart;
    end = newline < 0 ? text.length : newline + 1;
  } else {
    end += /^[ \t]*/.exec(after)?.[0].length ?? 0;
  }
  return { start, end, newText: '' };
}

/**
 * Edits that let a statement given CONCURRENTLY run: the tool's switch to run the file outside a
 * transaction, and the removal of an explicit BEGIN/COMMIT around it. Undefined when neither can be
 * done from the file (the user must split the migration).
 */
export function outsideTransactionEdits(context: RuleContext): { edits: TextEdit[]; removesBlock: boolean } | undefined {
  const optOut = nonTransactionalEdits(context.tool, context.analysis.text);
  if (!optOut) return undefined;
  const begin = openTransactionBlock(context);
  if (!begin) return { edits: optOut, removesBlock: false };
  const removal = transactionBlockRemoval(context, begin);
  return removal ? { edits: [...optOut, ...removal], removesBlock: true } : undefined;
}

/** `words` in the statement's own case: lower case when its first keyword is written in lower case. */
export function spell(statement: AnalyzedStatement, words: string): string {
  const first = tokensOf(statement)[0]?.text ?? '';
  return first !== '' && first === first.toLowerCase() ? words.toLowerCase() : words.toUpperCase();
}
