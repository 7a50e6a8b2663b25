import type { AnalyzeOptions, DocumentAnalysis } from './analyze';
import { analyzeDocument } from './analyze';

interface Entry {
  version: number;
  analysis: DocumentAnalysis;
}

/** The latest analysis of each open document, so features share one parse per version. */
export class AnalysisStore {
  private readonly entries = new Map<string, Entry>();

  get(uri: string, version: number, text: string, options: AnalyzeOptions): DocumentAnalysis {
    const entry = this.entries.get(uri);
    if (entry && entry.version === version && sameOptions(entry.analysis.options, options)) return entry.analysis;
    const analysis = analyzeDocument(text, options, entry?.analysis);
    this.entries.set(uri, { version, analysis });
    return analysis;
  }

  /** The analysis of `uri` at `version`, if it was made. */
  peek(uri: string, version: number): DocumentAnalysis | undefined {
    const entry = this.entries.get(uri);
    return entry && entry.version === version ? entry.analysis : undefined;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  clear(): void {
    this.entries.clear();
  }
}

function sameOptions(a: AnalyzeOptions, b: AnalyzeOptions): boolean {
  return a.maxFileSize === b.maxFileSize && a.plpgsql === b.plpgsql;
}
