import type { Range } from '../../../protocol/findings';
import type { DocumentAnalysis } from '../document/analyze';
import type { StatementCategory } from '../sql/describe';
import { describeStatement, leadingKeywords } from '../sql/describe';

export interface StatementSymbol {
  name: string;
  category: StatementCategory;
  /** The whole statement. */
  range: Range;
  /** The statement's first line, which the outline reveals. */
  selectionRange: Range;
}

/** The outline: one entry per statement, named after what it does. */
export function documentSymbols(analysis: DocumentAnalysis): StatementSymbol[] {
  const { lineIndex } = analysis;
  return analysis.statements.map(({ segment, outcome }) => {
    const description = outcome.ok ? describeStatement(outcome.stmt, segment.sql) : { label: `${leadingKeywords(segment.sql)} (syntax error)`, category: 'other' as const };
    const range = lineIndex.rangeOf(segment.start, segment.end);
    return {
      name: description.label,
      category: description.category,
      range,
      selectionRange: lineIndex.rangeOf(segment.start, Math.min(segment.end, lineIndex.lineEndAt(segment.start))),
    };
  });
}
