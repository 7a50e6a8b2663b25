/**
 * Everything pglens advises about one statement on a live database: the plan's hints (with the
 * schema snapshot, as the editor computes them) and the indexes hypopg confirms. The CLI prints it,
 * the editor shows the same data in hover, the plan view and the quick fix.
 */
import type { PlanHint } from '../../../protocol/plan';
import type { SchemaSnapshot } from '../../../protocol/schema';
import type { Database } from '../db/port';
import { explain } from '../explain/runner';
import { tryParsePlan } from '../plans/parse';
import type { AdviseOptions, AdvisedIndex } from './advise';
import { adviseStatement, costChange } from './advise';
import { indexLabel } from './suggest';

export interface AdviceReport {
  text: string;
  indexes: AdvisedIndex[];
  hints: PlanHint[];
  /** Why there is no index advice (no hypopg) or no plan (EXPLAIN refused), when that is so. */
  note?: string;
}

export async function adviceReport(db: Database, text: string, snapshot: SchemaSnapshot | undefined, options: AdviseOptions): Promise<AdviceReport> {
  const outcome = await explain(db, text, { timeoutMs: options.timeoutMs, format: 'json' });
  if (!outcome.ok) return { text, indexes: [], hints: [], note: outcome.message };
  const parsed = tryParsePlan(outcome.output, { snapshot });
  let hints = 'error' in parsed ? [] : parsed.results.flatMap((result) => result.pglens?.hints ?? []);
  const advice = await adviseStatement(db, text, options);
  // With hypopg's answer, the plan-only guess at an index (indexable-seq-scan) is replaced by what was costed.
  if (!advice.note) hints = hints.filter((hint) => hint.kind !== 'indexable-seq-scan');
  return { text, indexes: advice.indexes, hints: [...indexAdviceHints(advice.indexes), ...hints], ...(advice.note ? { note: advice.note } : {}) };
}

/** The advised indexes as plan hints (kind `index-advice`), for the plan view and hover. */
export function indexAdviceHints(indexes: AdvisedIndex[]): PlanHint[] {
  return indexes
    .filter((advised, k) => !indexes.slice(0, k).some((other) => other.together?.includes(advised.create)))
    .map((advised) => {
      const all = [advised.index, ...indexes.filter((other) => advised.together?.includes(other.create)).map((other) => other.index)];
      return {
        kind: 'index-advice',
        nodeId: 0,
        severity: 'warning',
        title: `Index ${all.map(indexLabel).join(' + ')}: ${costChange(advised)}${advised.estimated ? ' (estimated: hypopg cannot cost GIN)' : ''}`,
        advice: [advised.create, ...(advised.together ?? [])].map((create) => `${create};`).join(' '),
        index: advised.index,
      } satisfies PlanHint;
    });
}
