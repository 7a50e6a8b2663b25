import type { DocumentAnalysis } from '../document/analyze';

export interface Fold {
  startLine: number;
  endLine: number;
  kind: 'region' | 'comment' | 'statement';
}

const REGION_START = /^\s*--\s*#?region\b/i;
const REGION_END = /^\s*--\s*#?endregion\b/i;

/** Folds multi-line statements, `-- region` … `-- endregion` blocks and runs of comment lines. */
export function foldingRanges(analysis: DocumentAnalysis): Fold[] {
  const folds: Fold[] = [];
  const { lineIndex } = analysis;
  for (const segment of analysis.segments) {
    if (segment.kind === 'psql') continue;
    const startLine = lineIndex.positionAt(segment.start).line;
    const endLine = lineIndex.positionAt(segment.end).line;
    if (endLine > startLine) folds.push({ startLine, endLine, kind: 'statement' });
  }

  const lines = analysis.text.split(/\r\n|\r|\n/);
  const regionStarts: number[] = [];
  let commentRunStart = -1;
  let inBlockComment = false;
  let blockCommentStart = -1;
  lines.forEach((line, index) => {
    if (REGION_START.test(line)) regionStarts.push(index);
    else if (REGION_END.test(line) && regionStarts.length > 0) folds.push({ startLine: regionStarts.pop()!, endLine: index, kind: 'region' });

    const isLineComment = /^\s*--/.test(line) && !REGION_START.test(line) && !REGION_END.test(line);
    if (isLineComment && commentRunStart < 0) commentRunStart = index;
    if (!isLineComment && commentRunStart >= 0) {
      if (index - 1 > commentRunStart) folds.push({ startLine: commentRunStart, endLine: index - 1, kind: 'comment' });
      commentRunStart = -1;
    }

    if (!inBlockComment && /^\s*\/\*/.test(line) && !line.includes('*/')) {
      inBlockComment = true;
      blockCommentStart = index;
    } else if (inBlockComment && line.includes('*/')) {
      inBlockComment = false;
      folds.push({ startLine: blockCommentStart, endLine: index, kind: 'comment' });
    }
  });
  if (commentRunStart >= 0 && lines.length - 1 > commentRunStart) folds.push({ startLine: commentRunStart, endLine: lines.length - 1, kind: 'comment' });
  return folds;
}
