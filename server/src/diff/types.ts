/**
 * Public types of the schema diff engine: SchemaSnapshot (current) + SchemaSnapshot (desired) →
 * ordered changes, each a few SQL statements, with hazards and rename candidates. Plain data.
 */

/**
 * A rename the user confirmed; names are unquoted, tables as `schema.name` (a schema name holding a
 * dot cannot be told apart). A column's `table` may be its table's current or desired name.
 */
export type RenameDecision =
  | { kind: 'table'; from: string; to: string }
  | { kind: 'column'; table: string; from: string; to: string };

export interface DiffOptions {
  /** Confirmed renames, e.g. `{ kind: 'table', from: 'public.users', to: 'public.accounts' }`. */
  renames?: RenameDecision[];
  /** Diff privileges (default true; false leaves GRANT and REVOKE out). */
  grants?: boolean;
  /**
   * Safe forms for busy tables (default true): CREATE INDEX CONCURRENTLY, NOT VALID + VALIDATE,
   * SET NOT NULL through a validated CHECK, lock_timeout preamble.
   */
  safe?: boolean;
}

/** `unsupported`: a change PostgreSQL refuses in this form; the script says so and needs a hand. */
export type HazardKind = 'drop' | 'narrowing type' | 'data loss' | 'rewrite' | 'lock' | 'enum value removed' | 'unsupported';

export interface Hazard {
  kind: HazardKind;
  /** Display name of the object, e.g. `public.users.email`. */
  object: string;
  message: string;
}

export interface Change {
  /** What is done: 'create table', 'add column', 'drop index', … */
  kind: string;
  /** Display name of the object (unquoted, qualified). */
  object: string;
  /** SQL statements, each one complete statement without the trailing semicolon. */
  statements: string[];
  /** False when a statement cannot run inside a transaction block (CREATE INDEX CONCURRENTLY …). */
  transactional: boolean;
  hazard?: Hazard;
}

export interface RenameCandidate {
  kind: 'table' | 'column';
  /** Table: `schema.name`; column: the column name. */
  from: string;
  to: string;
  /** For a column: its table, `schema.name`. */
  table?: string;
  /** 0..1 */
  similarity: number;
}

export interface SchemaDiff {
  /** In the order they must run. */
  changes: Change[];
  /** Every hazard of `changes`, in order. */
  hazards: Hazard[];
  /** Dropped + added pairs that look alike; applied only when confirmed in `DiffOptions.renames`. */
  renameCandidates: RenameCandidate[];
  /** Whether the safe forms were used (so that the script gets its lock_timeout preamble). */
  safe: boolean;
}

export interface RenderOptions {
  /** A comment header listing the changes and hazards (default false). */
  header?: boolean;
}
