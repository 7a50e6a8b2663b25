/**
 * Index advice for one statement: candidates from its plan (candidates.ts), each costed by the
 * planner with hypopg's hypothetical indexes, in one read-only transaction; the hypothetical indexes
 * are reset before it ends. Only candidates that cut the statement's cost by at least `minReduction`
 * are offered, best first, at most `maxIndexes`; names are checked against the catalog so that a
 * CREATE INDEX never collides with an existing relation.
 */
import type { IndexSuggestion, PlanNode } from '../../../protocol/plan';
import type { Database } from '../db/port';
import { quoteIdent } from '../sql/quote';
import { explain } from '../explain/runner';
import type { Candidate, CandidateContext, TableColumns } from './candidates';
import { indexCandidates } from './candidates';
import { indexBody, indexName, indexStatements } from './suggest';

export interface AdviseOptions {
  timeoutMs: number;
  /** Share of the cost an index must remove to be offered (0.5: at least half). */
  minReduction?: number;
  /** Suggestions per statement. */
  maxIndexes?: number;
}

export interface AdvisedIndex {
  /** What to create; `name` is set, free in the database. */
  index: IndexSuggestion;
  /** `CREATE INDEX CONCURRENTLY … ON …`, runnable as is (after `CREATE EXTENSION` when `requires` says so). */
  create: string;
  costBefore: number;
  costAfter: number;
  /** hypopg cannot cost this kind of index (GIN): the after-cost is pglens's estimate from the row counts. */
  estimated?: boolean;
  /** An OR needs one index per side: the other indexes that go with this one (same costs). */
  together?: string[];
}

export interface StatementAdvice {
  text: string;
  costBefore?: number;
  indexes: AdvisedIndex[];
  /** Why there is no advice at all (no hypopg, EXPLAIN refused), when that is the reason. */
  note?: string;
}

export const DEFAULT_MIN_REDUCTION = 0.5;
export const DEFAULT_MAX_INDEXES = 2;

export async function adviseStatement(db: Database, text: string, options: AdviseOptions): Promise<StatementAdvice> {
  return db.readOnly(async (tx) => {
    const setup = await readSetup(tx);
    if (!setup.hypopg) return { text, indexes: [], note: HYPOPG_MISSING };
    try {
      return await adviseIn(tx, text, setup, options);
    } finally {
      await tx.query('SELECT hypopg_reset()').catch(() => undefined);
    }
  });
}

export const HYPOPG_MISSING = 'hypopg is not installed in this database: pglens costs index candidates with it (CREATE EXTENSION hypopg; the package is postgresql-<version>-hypopg). Without it, no index advice.';

export interface Setup {
  hypopg: boolean;
  defaultCollationIsC: boolean;
  trigram: CandidateContext['trigram'];
}

export async function readSetup(tx: Database): Promise<Setup> {
  const { rows } = await tx.query<{ hypopg: boolean; collate: string; trgm: string | null; trgm_available: boolean }>(SETUP_SQL);
  const row = rows[0];
  return {
    hypopg: row?.hypopg === true,
    defaultCollationIsC: row?.collate === 'C' || row?.collate === 'POSIX',
    trigram: row?.trgm ? 'installed' : row?.trgm_available ? 'available' : 'missing',
  };
}

const SETUP_SQL = `SELECT
  EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'hypopg') AS hypopg,
  (SELECT datcollate FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()) AS collate,
  (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pg_trgm') AS trgm,
  EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'pg_trgm') AS trgm_available`;

const COLUMNS_SQL = `SELECT n.nspname AS schema, c.relname AS table, a.attname AS column,
  pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, co.collname AS collation
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
WHERE a.attnum > 0 AND NOT a.attisdropped AND (n.nspname || '.' || c.relname) = ANY ($1::text[])`;

const TAKEN_NAMES_SQL = `SELECT n.nspname || '.' || c.relname AS name FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = ANY ($1::text[])`;

async function adviseIn(tx: Database, text: string, setup: Setup, options: AdviseOptions): Promise<StatementAdvice> {
  const costed = await costedCandidates(tx, text, setup, options);
  if ('error' in costed) return { text, indexes: [], note: costed.error };
  const chosen: CostedCandidate[] = [];
  for (const item of costed.candidates) {
    if (chosen.length >= (options.maxIndexes ?? DEFAULT_MAX_INDEXES)) break;
    // A second suggestion that only adds to the first (same table, same leading key) is noise.
    if (chosen.some((other) => sameLead(other.candidate, item.candidate))) continue;
    chosen.push(item);
  }
  const indexes: AdvisedIndex[] = [];
  const names = await freeNames(tx, chosen.flatMap((item) => item.candidate.indexes));
  for (const item of chosen) {
    const creates = item.candidate.indexes.map((index) => {
      const named = { ...index, name: names.get(index) ?? indexName(index) };
      return { index: named, create: indexStatements(named).create };
    });
    for (const [k, { index, create }] of creates.entries()) {
      const advised: AdvisedIndex = { index, create, costBefore: costed.before, costAfter: item.after };
      if (item.estimated) advised.estimated = true;
      if (creates.length > 1) advised.together = creates.filter((_, other) => other !== k).map((other) => other.create);
      indexes.push(advised);
    }
  }
  return { text, costBefore: costed.before, indexes };
}

export interface CostedCandidate {
  candidate: Candidate;
  after: number;
  estimated: boolean;
}

/** Every candidate that cuts the cost by `minReduction`, best first (hypopg must be installed; the caller resets it). */
export async function costedCandidates(tx: Database, text: string, setup: Setup, options: AdviseOptions): Promise<{ before: number; candidates: CostedCandidate[] } | { error: string }> {
  await tx.query('SELECT hypopg_reset()');
  const before = await planOf(tx, text, options.timeoutMs, true);
  if ('error' in before) return before;
  const columns = await readColumns(tx, before.plan);
  const candidates = indexCandidates(before.plan, { columns: (schema, table) => columns.get(`${schema}.${table}`), ...setup });
  const minReduction = options.minReduction ?? DEFAULT_MIN_REDUCTION;
  const costed: CostedCandidate[] = [];
  for (const candidate of candidates) {
    const after = await costWith(tx, text, candidate, before.cost, options.timeoutMs);
    if (after && after.cost <= before.cost * (1 - minReduction)) costed.push({ candidate, after: after.cost, estimated: after.estimated });
  }
  costed.sort((a, b) => a.after - b.after || a.candidate.indexes.length - b.candidate.indexes.length || width(a.candidate) - width(b.candidate));
  return { before: before.cost, candidates: costed };
}

/** The statement's cost with all these btree indexes in place at once (hypothetically). */
export async function costWithAll(tx: Database, text: string, indexes: IndexSuggestion[], timeoutMs: number): Promise<number | undefined> {
  await tx.query('SELECT hypopg_reset()');
  for (const index of indexes) {
    if (index.method === 'gin') continue;
    await tx.query('SELECT hypopg_create_index($1)', [`CREATE INDEX ON ${quoteIdent(index.schema ?? 'public')}.${quoteIdent(index.table)}${indexBody(index)}`]);
  }
  const after = await planOf(tx, text, timeoutMs, false);
  return 'error' in after ? undefined : after.cost;
}

async function planOf(tx: Database, text: string, timeoutMs: number, verbose: boolean): Promise<{ plan: PlanNode; cost: number; output: string } | { error: string }> {
  const outcome = await explain(tx, text, { nested: true, verbose, timeoutMs, format: 'json' });
  if (!outcome.ok) return { error: outcome.message };
  const [result] = JSON.parse(outcome.output) as Array<{ Plan: PlanNode }>;
  return { plan: result.Plan, cost: Number(result.Plan['Total Cost'] ?? 0), output: outcome.output };
}

/** The statement's cost with the candidate's indexes in place (hypothetically), or estimated for GIN. */
async function costWith(tx: Database, text: string, candidate: Candidate, costBefore: number, timeoutMs: number): Promise<{ cost: number; estimated: boolean } | undefined> {
  if (candidate.indexes.some((index) => index.method === 'gin')) return estimateGin(candidate, costBefore);
  await tx.query('SELECT hypopg_reset()');
  const created: string[] = [];
  for (const index of candidate.indexes) {
    const table = `${quoteIdent(index.schema ?? 'public')}.${quoteIdent(index.table)}`;
    try {
      const { rows } = await tx.query<{ indexname: string }>('SELECT indexname FROM hypopg_create_index($1)', [`CREATE INDEX ON ${table}${indexBody(index)}`]);
      created.push(...rows.map((row) => row.indexname));
    } catch {
      return undefined;
    }
  }
  const after = await planOf(tx, text, timeoutMs, false);
  if ('error' in after) return undefined;
  // The planner must use every index of the candidate: an unused one is not part of the gain.
  if (!created.every((name) => after.output.includes(name))) return undefined;
  return { cost: after.cost, estimated: false };
}

/**
 * hypopg cannot simulate GIN: the cost of reading only the rows the condition keeps, one random page
 * each at most, replaces the scan's cost. An estimate, flagged as such.
 */
function estimateGin(candidate: Candidate, costBefore: number): { cost: number; estimated: boolean } | undefined {
  const scan = candidate.scan;
  if (scan['Node Type'] !== 'Seq Scan') return undefined;
  const scanCost = Number(scan['Total Cost'] ?? 0);
  const workers = scan['Parallel Aware'] === true ? 2.4 : 1;
  const rows = Number(scan['Plan Rows'] ?? 0) * workers;
  const pages = Math.min(rows, scanCost / 2);
  const cost = Math.max(0, costBefore - scanCost) + 4 * pages + 0.01 * rows + 10;
  return cost < costBefore ? { cost, estimated: true } : undefined;
}

async function readColumns(tx: Database, plan: PlanNode): Promise<Map<string, TableColumns>> {
  const tables = new Set<string>();
  const visit = (node: PlanNode): void => {
    if (typeof node['Relation Name'] === 'string') tables.add(`${typeof node.Schema === 'string' ? node.Schema : 'public'}.${node['Relation Name']}`);
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(plan);
  const out = new Map<string, TableColumns>();
  if (tables.size === 0) return out;
  const { rows } = await tx.query<{ schema: string; table: string; column: string; type: string; collation: string | null }>(COLUMNS_SQL, [[...tables]]);
  for (const row of rows) {
    const key = `${row.schema}.${row.table}`;
    let entry = out.get(key);
    if (!entry) out.set(key, (entry = { types: new Map(), collations: new Map() }));
    entry.types.set(row.column, row.type);
    if (row.collation) entry.collations.set(row.column, row.collation);
  }
  return out;
}

/** A name per index that no relation in its schema has yet (nor another suggestion): `…_idx`, `…_idx1`, … */
async function freeNames(tx: Database, indexes: IndexSuggestion[]): Promise<Map<IndexSuggestion, string>> {
  const wanted = indexes.map((index) => indexName(index));
  const variants = wanted.flatMap((name) => [name, ...Array.from({ length: 5 }, (_, k) => `${name.slice(0, 60)}${k + 1}`)]);
  const { rows } = variants.length > 0 ? await tx.query<{ name: string }>(TAKEN_NAMES_SQL, [variants]) : { rows: [] };
  const taken = new Set(rows.map((row) => row.name));
  const out = new Map<IndexSuggestion, string>();
  indexes.forEach((index, k) => {
    const schema = index.schema ?? 'public';
    let name = wanted[k];
    for (let n = 1; taken.has(`${schema}.${name}`); n++) name = `${wanted[k].slice(0, 60)}${n}`;
    taken.add(`${schema}.${name}`);
    out.set(index, name);
  });
  return out;
}

function sameLead(a: Candidate, b: Candidate): boolean {
  if (a.indexes.length !== 1 || b.indexes.length !== 1) return false;
  const [x, y] = [a.indexes[0], b.indexes[0]];
  return x.table === y.table && x.schema === y.schema && x.columns[0] === y.columns[0] && x.method === y.method;
}

/** Narrower indexes first among equal costs: fewer columns to maintain. */
function width(candidate: Candidate): number {
  return candidate.indexes.reduce((sum, index) => sum + index.columns.length + (index.include?.length ?? 0) + (index.predicate ? -0.5 : 0), 0);
}

/** Before → after for titles: `182,758 → 370`. */
export function costChange(advised: AdvisedIndex): string {
  const format = (value: number): string => Math.round(value).toLocaleString('en-US');
  return `cost ${format(advised.costBefore)} → ${advised.estimated ? '~' : ''}${format(advised.costAfter)}`;
}
