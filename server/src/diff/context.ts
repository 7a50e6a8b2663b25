/**
 * What every part of the diff shares: the options, the changes collected so far (each with a phase
 * that fixes its place in the script), and the phases themselves.
 */
import type { SchemaSnapshot } from '../../../protocol/schema';
import { quoteIdent, quoteIdentIfNeeded } from '../sql/quote';
import type { Change, DiffOptions, Hazard, RenameCandidate } from './types';

/**
 * Creation order: schemas & extensions → types → sequences → functions (not SQL-language) → tables →
 * columns → constraints (PK/unique before FKs) → indexes → SQL functions → views → triggers →
 * policies → comments → grants. A drop runs at minus its kind's phase, so all drops come first,
 * in reverse order.
 */
export const PHASE = {
  schema: 10,
  extension: 20,
  enum: 30,
  range: 31,
  domain: 32,
  composite: 34,
  sequence: 40,
  function: 45,
  table: 50,
  partition: 52,
  renameColumn: 53,
  column: 55,
  enumRecast: 56,
  dropOldType: 57,
  key: 60,
  check: 61,
  foreignKey: 62,
  index: 65,
  sequenceOwner: 67,
  sqlFunction: 70,
  view: 75,
  matview: 78,
  trigger: 80,
  rls: 84,
  policy: 85,
  comment: 90,
  grant: 95,
  /** Drops that must wait until no column, default or table uses the object any more. */
  lateDropSequence: 96,
  lateDropFunction: 97,
  lateDropType: 98,
  lateDropExtension: 99,
  lateDropSchema: 100,
} as const;

export interface Staged extends Change {
  /** Sort key: creates and alterations at their kind's phase, drops at minus it. */
  phase: number;
  /** Tie-break inside a phase (e.g. topological order of views); lower first. */
  rank: number;
}

export class DiffContext {
  readonly changes: Staged[] = [];
  readonly renameCandidates: RenameCandidate[] = [];
  readonly safe: boolean;

  /**
   * The snapshots come from different engines or major versions (a PGlite 18 shadow against a
   * PostgreSQL 15 server): catalog text PostgreSQL prints differently between versions is compared
   * loosely, and what only says which version the shadow has (extension versions) is left alone.
   */
  readonly crossVersion: boolean;

  constructor(
    readonly options: DiffOptions,
    versions: { current: SchemaSnapshot; desired: SchemaSnapshot },
  ) {
    this.safe = options.safe ?? true;
    const major = (s: SchemaSnapshot) => Math.floor(s.serverVersionNum / 10000);
    this.crossVersion = major(versions.current) !== major(versions.desired) || versions.current.source !== versions.desired.source;
  }

  add(phase: number, kind: string, object: string, statements: string[], extra: { transactional?: boolean; hazard?: Hazard; rank?: number } = {}): void {
    if (statements.length === 0) return;
    const change: Staged = { kind, object, statements, transactional: extra.transactional ?? true, phase, rank: extra.rank ?? 0 };
    if (extra.hazard) change.hazard = extra.hazard;
    // Insertion order breaks remaining ties (stable sort), so phase and rank need not be unique.
    this.changes.push(change);
  }

  /** A drop: runs before every create, in reverse phase order. */
  drop(phase: number, kind: string, object: string, statements: string[], hazard?: Hazard, rank = 0): void {
    this.add(-phase, kind, object, statements, { hazard, rank: -rank });
  }
}

/** `schema.name` for messages. */
export function display(...parts: string[]): string {
  return parts.join('.');
}

/** Keys objects by a string, keeping the first of duplicates. */
export function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) if (!map.has(key(item))) map.set(key(item), item);
  return map;
}

/** The forms in which `schema.name` may appear in catalog text (deparsed SQL names things as quote_ident does). */
export function pgQualifiedForms(schema: string, name: string): string[] {
  const forms = new Set([`${quoteIdentIfNeeded(schema)}.${quoteIdentIfNeeded(name)}`, `${quoteIdent(schema)}.${quoteIdent(name)}`]);
  forms.add(`${quoteIdentIfNeeded(schema)}.${quoteIdent(name)}`);
  forms.add(`${quoteIdent(schema)}.${quoteIdentIfNeeded(name)}`);
  return [...forms];
}

/**
 * A view definition as PostgreSQL 15 and 16+ both print it: 16 drops the relation qualifier of column
 * references when unambiguous (`t.a` → `a`). Used only to compare across versions; it drops every
 * qualifier of a name, so a change of qualifier alone goes unseen there.
 */
export function looseDefinition(definition: string): string {
  return definition.replace(new RegExp(`(?<![A-Za-z0-9_$".])${NAME}\\.(?=${NAME})`, 'g'), '').replace(/\s+/g, ' ').trim();
}

/** Strips the trailing semicolon and blanks pg_get_viewdef / pg_get_functiondef leave. */
export function trimStatement(sql: string): string {
  return sql.replace(/[\s;]+$/, '').replace(/^\s+/, '');
}

/** An identifier of at most 63 bytes (PostgreSQL's limit): `base` cut down so that `suffix` fits. */
export function fitName(base: string, suffix: string): string {
  const encoder = new TextEncoder();
  let cut = base;
  while (encoder.encode(cut + suffix).length > 63) cut = [...cut].slice(0, -1).join('');
  return cut + suffix;
}

/** Replaces the qualified name `from` with `to` wherever catalog text mentions it (for renamed tables). */
export function replaceQualified(text: string, from: { schema: string; name: string }, to: { schema: string; name: string }): string {
  const target = `${quoteIdentIfNeeded(to.schema)}.${quoteIdentIfNeeded(to.name)}`;
  let result = text;
  for (const form of pgQualifiedForms(from.schema, from.name)) result = result.split(form).join(target);
  return result;
}

const NAME = String.raw`(?:"(?:[^"]|"")*"|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)`;
const QUALIFIED = new RegExp(`(?<![A-Za-z0-9_$".])(${NAME})\\.(${NAME})(?![A-Za-z0-9_$"])`, 'g');
const unquote = (name: string) => (name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name);

/**
 * Every `schema.name` that catalog SQL text (a view definition, printed with search_path =
 * pg_catalog so that relations are qualified) mentions, as `schema\0name` keys. Column references
 * (`alias.column`) and dots inside literals come along too: harmless, they match no relation.
 */
export function references(text: string): Set<string> {
  const result = new Set<string>();
  for (const match of text.matchAll(QUALIFIED)) result.add(`${unquote(match[1])}\u0000${unquote(match[2])}`);
  return result;
}
