import type { ParseOutcome } from '../sql/parser';
import { parseStatement } from '../sql/parser';
import { checkPlPgSql } from '../sql/plpgsql';
import type { PlPgSqlProblem } from '../sql/plpgsql';
import type { Segment } from '../sql/splitter';
import { splitStatements } from '../sql/splitter';
import { LineIndex } from '../text/offsets';

export interface AnalyzeOptions {
  /** Documents longer than this many UTF-16 code units are not parsed. */
  maxFileSize: number;
  /** Parse PL/pgSQL function and DO bodies. */
  plpgsql: boolean;
}

export const DEFAULT_ANALYZE_OPTIONS: AnalyzeOptions = { maxFileSize: 10 * 1024 * 1024, plpgsql: true };

export interface AnalyzedStatement {
  segment: Segment;
  outcome: ParseOutcome;
  plpgsql?: PlPgSqlProblem;
}

/** Why a document was not parsed at all. */
export type SkipReason = { kind: 'too-large'; size: number; limit: number } | { kind: 'binary'; offset: number };

export interface DocumentAnalysis {
  text: string;
  lineIndex: LineIndex;
  segments: Segment[];
  statements: AnalyzedStatement[];
  skipped?: SkipReason;
  options: AnalyzeOptions;
}

/**
 * Splits and parses a document. Statements whose text is unchanged since `previous` reuse its
 * parse, so an edit re-parses only the statements it touched.
 */
export function analyzeDocument(text: string, options: AnalyzeOptions = DEFAULT_ANALYZE_OPTIONS, previous?: DocumentAnalysis): DocumentAnalysis {
  const lineIndex = new LineIndex(text);
  const base = { text, lineIndex, options };
  if (text.length > options.maxFileSize) {
    return { ...base, segments: [], statements: [], skipped: { kind: 'too-large', size: text.length, limit: options.maxFileSize } };
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return { ...base, segments: [], statements: [], skipped: { kind: 'binary', offset: nul } };

  const reusable = new Map<string, AnalyzedStatement>();
  if (previous && previous.options.plpgsql === options.plpgsql) {
    for (const statement of previous.statements) reusable.set(statement.segment.sql, statement);
  }

  const segments = splitStatements(text);
  const statements: AnalyzedStatement[] = [];
  const analyze = (segment: Segment): AnalyzedStatement => {
    const cached = reusable.get(segment.sql);
    if (cached) return { ...cached, segment };
    const outcome = parseStatement(segment.sql);
    const plpgsql = outcome.ok && options.plpgsql ? checkPlPgSql(outcome.stmt, segment.sql) : undefined;
    return plpgsql ? { segment, outcome, plpgsql } : { segment, outcome };
  };
  for (const segment of segments) {
    if (segment.kind !== 'statement' || segment.sql === ';') continue;
    const statement = analyze(segment);
    if (statement.outcome.ok || !segment.softEnds?.length) statements.push(statement);
    else for (const piece of splitAtSoftEnds(segment)) statements.push(analyze(piece));
  }
  return { ...base, segments, statements };
}

/** Re-splits a statement that failed to parse at the `;` an unclosed parenthesis swallowed. */
function splitAtSoftEnds(segment: Segment): Segment[] {
  const pieces: Segment[] = [];
  let start = segment.start;
  for (const end of [...(segment.softEnds ?? []), segment.end]) {
    const raw = segment.sql.slice(start - segment.start, end - segment.start);
    const sql = raw.replace(/^(\s|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
    if (sql.trim() !== '' && sql.trim() !== ';') pieces.push({ kind: 'statement', start: end - sql.length, end, sql });
    start = end;
  }
  return pieces.length > 0 ? pieces : [segment];
}

/** The last statement that starts at or before `offset`, by binary search. */
export function statementBefore(analysis: DocumentAnalysis, offset: number): AnalyzedStatement | undefined {
  const statements = analysis.statements;
  let low = 0;
  let high = statements.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (statements[mid].segment.start <= offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return statements[found];
}

/** The statement whose text holds `offset` (its end included). */
export function statementAt(analysis: DocumentAnalysis, offset: number): AnalyzedStatement | undefined {
  const statement = statementBefore(analysis, offset);
  return statement && offset <= statement.segment.end ? statement : undefined;
}
