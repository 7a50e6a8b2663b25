import type { Finding } from '../../../protocol/findings';
import type { AnalyzeOptions } from '../document/analyze';
import { DEFAULT_ANALYZE_OPTIONS, analyzeDocument } from '../document/analyze';
import { syntaxFindings } from './syntax';

/** Everything pglens reports on one SQL text, without a database. The CLI and the server share it. */
export function checkText(text: string, options: AnalyzeOptions = DEFAULT_ANALYZE_OPTIONS): Finding[] {
  return syntaxFindings(analyzeDocument(text, options));
}
