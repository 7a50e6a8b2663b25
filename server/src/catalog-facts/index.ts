/**
 * Catalog facts: what a database's schema is, as a set of `kind object: fact` lines read straight
 * from PostgreSQL's catalog with PostgreSQL's own printers (pg_get_indexdef, pg_get_functiondef,
 * aclexplode, …). They share no code with the schema snapshot the diff engine works from, so
 * comparing two databases' facts is an independent check of a generated migration: an object kind
 * the snapshot misses still shows up here as a difference.
 */
import type { Database } from '../db/port';
import { QUERIES } from './queries.generated';

/** One fact: `object` is qualified and quoted as PostgreSQL prints names (`public."Order"`). */
export interface CatalogFact {
  kind: string;
  object: string;
  fact: string;
}

export interface FactOptions {
  /** Compare owners too (off by default: the shadow's owner is never the production owner). */
  owners?: boolean;
}

/** The facts of `db`'s schema, sorted. Read-only: the caller decides the transaction. */
export async function loadCatalogFacts(db: Database, options: FactOptions = {}): Promise<CatalogFact[]> {
  const facts: CatalogFact[] = [];
  for (const sql of Object.values(QUERIES)) {
    const params = sql.includes('$1') ? [options.owners === true] : undefined;
    const { rows } = await db.query<CatalogFact>(sql, params);
    for (const row of rows) facts.push({ kind: row.kind, object: row.object, fact: normaliseFact(row.fact) });
  }
  return facts.sort((a, b) => compareText(factKey(a), factKey(b)));
}

/** The facts of one object that differ between two databases. */
export interface FactDifference {
  kind: string;
  object: string;
  /** Facts only the first database has. */
  onlyInFirst: string[];
  /** Facts only the second database has. */
  onlyInSecond: string[];
}

/** Objects whose facts differ, in a stable order; empty when the two schemas are the same. */
export function compareFacts(first: readonly CatalogFact[], second: readonly CatalogFact[]): FactDifference[] {
  const seconds = new Set(second.map(factKey));
  const firsts = new Set(first.map(factKey));
  const byObject = new Map<string, FactDifference>();
  const entry = (fact: CatalogFact): FactDifference => {
    const key = `${fact.kind}\t${fact.object}`;
    let difference = byObject.get(key);
    if (!difference) byObject.set(key, (difference = { kind: fact.kind, object: fact.object, onlyInFirst: [], onlyInSecond: [] }));
    return difference;
  };
  for (const fact of first) if (!seconds.has(factKey(fact))) entry(fact).onlyInFirst.push(fact.fact);
  for (const fact of second) if (!firsts.has(factKey(fact))) entry(fact).onlyInSecond.push(fact.fact);
  return [...byObject.values()].sort((a, b) => compareText(`${a.kind}\t${a.object}`, `${b.kind}\t${b.object}`));
}

/** One line per difference, e.g. `relation public.t: grant app SELECT (only in the target)`. */
export function describeDifference(difference: FactDifference, names: { first: string; second: string }): string[] {
  const lines = (facts: string[], where: string) => facts.map((fact) => `${difference.kind} ${difference.object}: ${oneLine(fact)} (only in ${where})`);
  return [...lines(difference.onlyInFirst, names.first), ...lines(difference.onlyInSecond, names.second)];
}

function factKey(fact: CatalogFact): string {
  return `${fact.kind}\t${fact.object}\t${fact.fact}`;
}

/** Line endings and trailing blanks of printed definitions differ by platform and version, not by meaning. */
function normaliseFact(fact: string): string {
  return fact.replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n').trim();
}

function oneLine(fact: string): string {
  const flat = fact.replace(/\s+/g, ' ');
  return flat.length > 160 ? `${flat.slice(0, 157)}…` : flat;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
