import { performance } from 'node:perf_hooks';
import { analyzeDocument } from '../../server/src/document/analyze';
import { completionsAt } from '../../server/src/features/completion';
import { hoverAt } from '../../server/src/features/hover';
import { largeSnapshot } from '../features/snapshot-fixture';
import { generateMigration } from './generate';

export interface FeatureFigures {
  hover: number[];
  completion: number[];
}

/**
 * Hover and completion on a 10,000-line document with a 10,000-table snapshot: 200 positions each,
 * spread over the document. The first call builds the per-snapshot indexes and is not counted.
 */
export function benchFeatures(): FeatureFigures {
  const text = generateMigration(10_000);
  const analysis = analyzeDocument(text);
  const snapshot = largeSnapshot(10_000);
  const offsetsOf = (needle: string, inside: number, count: number): number[] => {
    const all: number[] = [];
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) all.push(at + inside);
    const step = Math.max(1, Math.floor(all.length / count));
    return all.filter((_, k) => k % step === 0).slice(0, count);
  };
  const time = (offsets: number[], run: (offset: number) => unknown): number[] => {
    run(offsets[0]);
    return offsets.map((offset) => {
      const start = performance.now();
      run(offset);
      return performance.now() - start;
    });
  };
  return {
    hover: time(offsetsOf('app.table_', 6, 200), (offset) => hoverAt(analysis, offset, snapshot)),
    completion: time(offsetsOf('FROM app.', 9, 200), (offset) => completionsAt(analysis, offset, snapshot)),
  };
}
