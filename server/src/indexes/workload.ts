/**
 * Workload advice: the statements pg_stat_statements says take the most total time, and one set of
 * indexes that serves them together. Candidates come from each statement (advise.ts); the set grows
 * greedily by the execution time it saves over the whole workload, every statement replanned with
 * all chosen indexes in place at once (hypopg), so an index that serves several statements counts
 * for each and two that serve the same one are not both taken.
 */
import type { IndexSuggestion } from '../../../protocol/plan';
import type { Database } from '../db/port';
import { explain } from '../explain/runner';
import type { AdviseOptions, CostedCandidate } from './advise';
import { HYPOPG_MISSING, costWithAll, costedCandidates, readSetup } from './advise';
import { indexName, indexStatements } from './suggest';

export interface WorkloadOptions extends AdviseOptions {
  /** Statements taken from pg_stat_statements, by total execution time. */
  top: number;
  /** Indexes in the set at most. */
  maxSetSize?: number;
}

export interface WorkloadStatement {
  query: string;
  calls: number;
  totalMs: number;
  costBefore?: number;
  costAfter?: number;
  /** Names of the set's indexes this statement's plan uses. */
  uses: string[];
  note?: string;
}

export interface WorkloadIndex {
  name: string;
  create: string;
  drop: string;
  /** Execution time the workload would save with it (estimated from the cost ratio), ms. */
  savedMs: number;
  index: IndexSuggestion;
}

export interface WorkloadReport {
  indexes: WorkloadIndex[];
  statements: WorkloadStatement[];
  /** Why there is no report (pg_stat_statements or hypopg missing). */
  error?: string;
}

export const PG_STAT_STATEMENTS_MISSING =
  "pg_stat_statements is not available in this database. To enable it: add pg_stat_statements to shared_preload_libraries in postgresql.conf (ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'), restart PostgreSQL, then run CREATE EXTENSION pg_stat_statements; in this database. Let the application run for a while, then ask again.";

/** Share of the workload's time an index must save to join the set. */
const MIN_SAVED_SHARE = 0.01;
const PLANNABLE = /^\s*(\(?\s*select|with|update|delete|insert|values|table)\b/i;

export async function adviseWorkload(db: Database, options: WorkloadOptions): Promise<WorkloadReport> {
  return db.readOnly(async (tx) => {
    const setup = await readSetup(tx);
    if (!setup.hypopg) return { indexes: [], statements: [], error: HYPOPG_MISSING };
    const top = await topStatements(tx, options.top);
    if ('error' in top) return { indexes: [], statements: [], error: top.error };
    try {
      return await chooseSet(tx, top.statements, setup, options);
    } finally {
      await tx.query('SELECT hypopg_reset()').catch(() => undefined);
    }
  });
}

/** The same for statements given with their total time (what pg_stat_statements would say). */
export async function adviseStatements(db: Database, statements: Array<Pick<WorkloadStatement, 'query' | 'calls' | 'totalMs'>>, options: WorkloadOptions): Promise<WorkloadReport> {
  return db.readOnly(async (tx) => {
    const setup = await readSetup(tx);
    if (!setup.hypopg) return { indexes: [], statements: [], error: HYPOPG_MISSING };
    try {
      return await chooseSet(tx, statements.map((statement) => ({ ...statement, uses: [] })), setup, options);
    } finally {
      await tx.query('SELECT hypopg_reset()').catch(() => undefined);
    }
  });
}

async function topStatements(tx: Database, top: number): Promise<{ statements: WorkloadStatement[] } | { error: string }> {
  const installed = await tx.query<{ ok: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_stat_statements') AS ok`);
  if (!installed.rows[0]?.ok) return { error: PG_STAT_STATEMENTS_MISSING };
  await tx.exec('SAVEPOINT pglens_workload');
  try {
    const { rows } = await tx.query<{ query: string; calls: string; total: number }>(
      `SELECT s.query, s.calls::text AS calls, s.total_exec_time AS total
       FROM pg_stat_statements s
       WHERE s.dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
         AND s.query !~* '(hypopg|pg_catalog\\.|pg_stat_statements|^\\s*(EXPLAIN|PREPARE|EXECUTE|DEALLOCATE|SET|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE))'
       ORDER BY s.total_exec_time DESC LIMIT $1`,
      [top * 3],
    );
    const statements = rows
      .filter((row) => PLANNABLE.test(row.query))
      .slice(0, top)
      .map((row) => ({ query: row.query, calls: Number(row.calls), totalMs: row.total, uses: [] }));
    return { statements };
  } catch (error) {
    await tx.exec('ROLLBACK TO SAVEPOINT pglens_workload');
    return { error: `${(error as Error).message}. ${PG_STAT_STATEMENTS_MISSING}` };
  }
}

async function chooseSet(tx: Database, statements: WorkloadStatement[], setup: Awaited<ReturnType<typeof readSetup>>, options: WorkloadOptions): Promise<WorkloadReport> {
  const pool: IndexSuggestion[] = [];
  const seen = new Set<string>();
  for (const statement of statements) {
    const costed = await costedCandidates(tx, statement.query, setup, { ...options, minReduction: options.minReduction });
    if ('error' in costed) {
      statement.note = costed.error;
      continue;
    }
    statement.costBefore = costed.before;
    statement.costAfter = costed.before;
    for (const item of costed.candidates.filter((entry: CostedCandidate) => !entry.estimated)) {
      for (const index of item.candidate.indexes) {
        const key = JSON.stringify(index);
        if (!seen.has(key)) pool.push(index);
        seen.add(key);
      }
    }
  }
  const planned = statements.filter((statement) => statement.costBefore !== undefined);
  const timeWith = async (set: IndexSuggestion[]): Promise<{ total: number; costs: number[] }> => {
    const costs: number[] = [];
    let total = 0;
    for (const statement of planned) {
      const cost = (await costWithAll(tx, statement.query, set, options.timeoutMs)) ?? statement.costBefore!;
      costs.push(cost);
      total += statement.totalMs * Math.min(1, cost / statement.costBefore!);
    }
    return { total, costs };
  };
  const workloadMs = planned.reduce((sum, statement) => sum + statement.totalMs, 0);
  const chosen: WorkloadIndex[] = [];
  let current = workloadMs;
  const maxSetSize = options.maxSetSize ?? 10;
  while (chosen.length < maxSetSize && pool.length > 0) {
    let best: { at: number; total: number } | undefined;
    for (const [at, index] of pool.entries()) {
      const { total } = await timeWith([...chosen.map((item) => item.index), index]);
      if (!best || total < best.total) best = { at, total };
    }
    if (!best || current - best.total < workloadMs * MIN_SAVED_SHARE) break;
    const [index] = pool.splice(best.at, 1);
    const named = { ...index, name: uniqueName(index, chosen) };
    const statementsSql = indexStatements(named);
    chosen.push({ name: statementsSql.name, create: statementsSql.create, drop: statementsSql.drop, savedMs: current - best.total, index: named });
    current = best.total;
  }
  // Per statement: its cost with the whole set, and which of the set's indexes its plan uses.
  for (const statement of planned) {
    await tx.query('SELECT hypopg_reset()');
    const names = new Map<string, string>();
    for (const item of chosen) {
      const { rows } = await tx.query<{ indexname: string }>('SELECT indexname FROM hypopg_create_index($1)', [indexStatements({ ...item.index, name: undefined }).hypothetical]);
      if (rows[0]) names.set(rows[0].indexname, item.name);
    }
    const outcome = await explain(tx, statement.query, { nested: true, timeoutMs: options.timeoutMs, format: 'json' });
    if (!outcome.ok) continue;
    const [result] = JSON.parse(outcome.output) as Array<{ Plan: { 'Total Cost': number } }>;
    statement.costAfter = result.Plan['Total Cost'];
    statement.uses = [...names].filter(([hypothetical]) => outcome.output.includes(hypothetical)).map(([, name]) => name);
  }
  return { indexes: chosen, statements };
}

function uniqueName(index: IndexSuggestion, chosen: WorkloadIndex[]): string {
  const base = indexName(index);
  let name = base;
  for (let n = 1; chosen.some((item) => item.name === name); n++) name = `${base.slice(0, 60)}${n}`;
  return name;
}

export function workloadText(report: WorkloadReport): string {
  if (report.error) return `${report.error}\n`;
  const lines: string[] = [];
  if (report.indexes.length === 0) lines.push('No index set saves at least 1% of the workload time.');
  else lines.push('Index set (greedy by time saved over the workload):');
  for (const item of report.indexes) lines.push(`  ${item.create};   -- saves ~${Math.round(item.savedMs)} ms of total time`);
  lines.push('', 'Per statement (total time, cost before → with the set, indexes used):');
  for (const statement of report.statements) {
    const flat = statement.query.replace(/\s+/g, ' ').trim();
    const cost = statement.costBefore === undefined ? statement.note ?? 'not planned' : `${Math.round(statement.costBefore)} → ${Math.round(statement.costAfter ?? statement.costBefore)}`;
    lines.push(`  ${Math.round(statement.totalMs)} ms, ${statement.calls} calls · ${cost}${statement.uses.length ? ` · ${statement.uses.join(', ')}` : ''}`);
    lines.push(`    ${flat.length > 110 ? `${flat.slice(0, 107)}…` : flat}`);
  }
  return `${lines.join('\n')}\n`;
}
