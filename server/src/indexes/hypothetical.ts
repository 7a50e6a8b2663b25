import type { Database } from '../db/port';
import { explain } from '../explain/runner';

export interface HypotheticalCost {
  /** The planner's total cost of the statement now, and with the hypothetical index. */
  before: number;
  after: number;
  /** Whether the planner used the hypothetical index at all. */
  used: boolean;
}

/**
 * Asks the planner what an index would change, without building it: hypopg's hypothetical indexes
 * live in this session's memory only, inside a read-only transaction, and are reset afterwards.
 * Undefined when the database has no hypopg extension installed (pglens never installs it).
 */
export async function hypotheticalCost(db: Database, statement: string, createIndex: string, timeoutMs: number): Promise<HypotheticalCost | undefined> {
  return db.readOnly(async (tx) => {
    const { rows } = await tx.query<{ installed: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'hypopg') AS installed`);
    if (!rows[0]?.installed) return undefined;
    const costOf = async (): Promise<{ cost: number; plan: string } | undefined> => {
      const outcome = await explain(tx, statement, { nested: true, timeoutMs });
      if (!outcome.ok) return undefined;
      const [result] = JSON.parse(outcome.output) as Array<{ Plan: { 'Total Cost': number } }>;
      return { cost: result.Plan['Total Cost'], plan: outcome.output };
    };
    const before = await costOf();
    if (!before) return undefined;
    try {
      const created = await tx.query<{ indexname: string }>('SELECT indexname FROM hypopg_create_index($1)', [createIndex]);
      const after = await costOf();
      if (!after) return undefined;
      const used = created.rows.some((row) => after.plan.includes(row.indexname));
      return { before: before.cost, after: after.cost, used };
    } finally {
      await tx.query('SELECT hypopg_reset()').catch(() => undefined);
    }
  });
}
