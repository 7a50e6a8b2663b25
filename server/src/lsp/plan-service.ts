import type { PlanResponse } from '../../../protocol/messages';
import type { ExplainResult } from '../../../protocol/plan';
import type { SchemaSnapshot } from '../../../protocol/schema';
import { formatVersionNum } from '../connection';
import type { LiveConnection } from '../connection';
import type { Database } from '../db/port';
import { explain } from '../explain/runner';
import type { ExplainOptions } from '../explain/runner';
import { adviseStatement } from '../indexes/advise';
import { indexAdviceHints } from '../indexes/report';
import { tryParsePlan } from '../plans/parse';
import type { Workspaces } from '../workspace/workspaces';
import type { SchemaContext } from './schema-context';

/** Hover plans kept per (database, schema fingerprint, statement): hovering again costs nothing. */
const HOVER_CACHE_SIZE = 200;

/**
 * Where EXPLAIN runs for a file: the live database when connected, else the workspace's shadow (the
 * state after every migration). Parses the output into plans with figures and schema-aware hints.
 */
export class PlanService {
  private readonly hoverCache = new Map<string, Promise<PlanResponse>>();

  constructor(
    private readonly live: LiveConnection,
    private readonly workspaces: () => Workspaces,
    private readonly schemas: SchemaContext,
  ) {}

  /** Plain EXPLAIN for hover: never ANALYZE; cached per statement and schema fingerprint. */
  async forHover(file: string, sql: string, timeoutMs: number): Promise<PlanResponse> {
    const snapshot = await this.snapshotFor(file);
    const key = `${this.live.database ? 'live' : this.workspaces().rootOf(file)?.directory}\0${snapshot?.fingerprint}\0${sql}`;
    let cached = this.hoverCache.get(key);
    if (!cached) {
      cached = this.plan(file, sql, { timeoutMs }, false);
      this.hoverCache.set(key, cached);
      if (this.hoverCache.size > HOVER_CACHE_SIZE) this.hoverCache.delete(this.hoverCache.keys().next().value!);
      // A dead connection or a timeout is not remembered: the next hover tries again.
      void cached.then((response) => {
        if (!response.ok && response.reason !== 'refused') this.hoverCache.delete(key);
      });
    }
    return cached;
  }

  /** For the plan view: on a live database with hypopg, the costed index advice comes first among the hints. */
  explain(file: string | undefined, sql: string, options: ExplainOptions): Promise<PlanResponse> {
    return this.plan(file, sql, options, true);
  }

  private async plan(file: string | undefined, sql: string, options: ExplainOptions, advise: boolean): Promise<PlanResponse> {
    const database = this.live.database;
    const session = !database && file ? this.workspaces().sessionFor(file) : undefined;
    if (!database && !session) {
      return { ok: false, reason: 'no-database', message: 'Connect to a database (pglens: Connect to Database) to explain statements outside a workspace folder.' };
    }
    const outcome = database ? await explain(database, sql, options) : await session!.explain(sql, options);
    if (!outcome.ok) return { ok: false, reason: outcome.reason, message: outcome.message };
    const shadow = !database;
    const sourceLabel = shadow ? `embedded shadow (PostgreSQL ${formatVersionNum(outcome.serverVersionNum)})` : `PostgreSQL ${formatVersionNum(outcome.serverVersionNum)} · ${this.live.status.label}`;
    const snapshot = file ? await this.snapshotFor(file) : this.live.snapshot;
    const parsed = tryParsePlan(outcome.output, { snapshot, source: shadow ? `${sourceLabel}: estimates from empty tables` : sourceLabel });
    if ('error' in parsed) return { ok: false, reason: 'database', message: `pglens could not read the plan PostgreSQL returned: ${parsed.error}` };
    if (advise && database && parsed.results.length === 1) await addIndexAdvice(database, sql, parsed.results[0], options.timeoutMs);
    return { ok: true, results: parsed.results, sql, sourceLabel, shadow, generic: outcome.generic, analyzed: outcome.analyzed };
  }

  /** A new snapshot or another connection: cached plans may be wrong. */
  invalidate(): void {
    this.hoverCache.clear();
  }

  private async snapshotFor(file: string): Promise<SchemaSnapshot | undefined> {
    return this.live.snapshot ?? (await this.schemas.snapshotFor(file));
  }
}

/** The indexes hypopg confirms, as `index-advice` hints in front of the plan's own (which then lose their uncosted index guess). */
async function addIndexAdvice(database: Database, sql: string, result: ExplainResult, timeoutMs: number | undefined): Promise<void> {
  const advice = await adviseStatement(database, sql, { timeoutMs: timeoutMs ?? 5000 }).catch(() => undefined);
  if (!advice || advice.note || !result.pglens) return;
  result.pglens.hints = [...indexAdviceHints(advice.indexes), ...result.pglens.hints.filter((hint) => hint.kind !== 'indexable-seq-scan')];
}
