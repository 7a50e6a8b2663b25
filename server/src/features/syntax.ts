import type { Finding } from '../../../protocol/findings';
import { SYNTAX_CODE } from '../../../protocol/findings';
import type { AnalyzedStatement, DocumentAnalysis } from '../document/analyze';
import type { ParseError } from '../sql/parser';
import { codePointToUtf16 } from '../text/offsets';

/** Syntax findings: PostgreSQL's own parser messages, on the token they name. */
export function syntaxFindings(analysis: DocumentAnalysis): Finding[] {
  const { lineIndex } = analysis;
  if (analysis.skipped) {
    const skipped = analysis.skipped;
    const message =
      skipped.kind === 'too-large'
        ? `File not checked: ${formatSize(skipped.size)} is over the ${formatSize(skipped.limit)} limit (setting pglens.maxFileSizeMB).`
        : `File not checked: it contains a NUL byte at offset ${skipped.offset}, so it looks binary, not SQL.`;
    return [{ range: lineIndex.rangeOf(0, lineIndex.lineEndAt(0)), severity: 'information', code: 'file-skipped', message }];
  }

  const findings: Finding[] = [];
  for (const statement of analysis.statements) {
    const { segment, outcome } = statement;
    if (!outcome.ok) {
      const [start, end] = errorSpan(statement, outcome.error, analysis.text);
      findings.push({ range: lineIndex.rangeOf(start, end), severity: 'error', code: SYNTAX_CODE, message: outcome.error.message });
    } else if (statement.plpgsql) {
      const { start, end, message } = statement.plpgsql;
      findings.push({ range: lineIndex.rangeOf(segment.start + start, segment.start + end), severity: 'error', code: SYNTAX_CODE, message });
    }
  }
  return findings;
}

/** Document offsets of the token an error points at, kept to one line so that an unterminated quote does not paint the rest of the file. */
export function errorSpan(statement: AnalyzedStatement, error: ParseError, text: string): [number, number] {
  const { segment } = statement;
  const sql = segment.sql;
  if (error.cursor === undefined) return [segment.start, lineEnd(text, segment.start, segment.end)];

  const local = codePointToUtf16(sql, error.cursor);
  if (local >= sql.trimEnd().length) {
    // "at end of input": underline the statement's last token.
    const last = lastTokenStart(sql);
    return [segment.start + last, segment.start + sql.trimEnd().length];
  }
  const start = segment.start + local;
  const near = /at or near "([\s\S]*)"$/.exec(error.message)?.[1];
  const tokenLength = near && sql.startsWith(near, local) ? near.length : 1;
  return [start, Math.max(start + 1, lineEnd(text, start, start + tokenLength))];
}

function lineEnd(text: string, start: number, end: number): number {
  const newline = text.slice(start, end).search(/[\r\n]/);
  return newline < 0 ? end : start + newline;
}

function lastTokenStart(sql: string): number {
  let end = sql.trimEnd().length;
  if (end === 0) return 0;
  let start = end - 1;
  while (start > 0 && /[\p{L}\p{N}_$]/u.test(sql[start - 1]) && /[\p{L}\p{N}_$]/u.test(sql[end - 1])) start--;
  if (start === end) end++;
  return start;
}

function formatSize(units: number): string {
  return `${(units / (1024 * 1024)).toFixed(1)} MB`;
}
