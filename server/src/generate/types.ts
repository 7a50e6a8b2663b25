/**
 * Plain data of the "Generate migration" pipeline, shared by the CLI (`pglens diff`) and the language
 * server: where the schemas come from, how the result was verified, and the files it becomes.
 */
import type { ClientConfig } from 'pg';
import type { DatabaseTarget } from '../connection/open';
import type { Hazard, RenameCandidate, RenameDecision, SchemaDiff } from '../diff';

/** The migration tools whose file conventions pglens writes. */
export type MigrationFormat = 'plain' | 'flyway' | 'golang-migrate' | 'dbmate' | 'goose' | 'supabase' | 'prisma';

export const MIGRATION_FORMATS: readonly MigrationFormat[] = ['plain', 'flyway', 'golang-migrate', 'dbmate', 'goose', 'supabase', 'prisma'];

/** Where a schema comes from (see desired.ts). */
export type SchemaSource =
  /** A live database, read through a read-only transaction: its resolved config, never a URL rebuilt from it. */
  | { kind: 'database'; database: DatabaseTarget }
  /** Declarative SQL (`schema.sql`, `supabase/schemas/*.sql`), applied in this order to an empty database. */
  | { kind: 'sql'; files: string[] }
  /** The end state of a folder's migrations, replayed in the tool's order. */
  | { kind: 'migrations'; root: string };

/** A verification phase: `up` turns current into desired, `down` turns it back. */
export interface PhaseReport {
  status: 'passed' | 'failed' | 'not verified';
  /** The changes a re-diff still finds after the phase (`kind object`), when it failed that way. */
  leftover: string[];
  /** A statement PostgreSQL rejected, when it failed that way. */
  error?: { statement: string; message: string };
  /** Why the phase could not be verified. */
  reason?: string;
}

export interface VerificationReport {
  /** `passed` only when both phases passed. */
  status: 'passed' | 'failed' | 'not verified';
  up: PhaseReport;
  down: PhaseReport;
  /** Where it ran: `embedded` (PGlite) or `server` (a scratch database). */
  shadow: 'embedded' | 'server';
  /** What could not be checked, one sentence each (goes into the file header). */
  notes: string[];
  timings: { buildMs: number; upMs: number; downMs: number; totalMs: number };
  /** For a migration split into versions (dbmate, golang-migrate): each version's own down. */
  versions?: VersionDowns;
}

/** The downs of a split migration, one per version, derived and checked in the shadow (split.ts). */
export interface VersionDowns {
  /** `passed`: for every version, its up then its down, from the state before it, re-diffs empty. */
  report: PhaseReport;
  /** Per version in order, the diff that reverts that version alone; present when `report` passed. */
  downs?: SchemaDiff[];
  /** Versions (1-based) whose down was made to fit one transaction: indexes without CONCURRENTLY, enum values added inside it. */
  inOneTransaction?: number[];
}

/** What a migration file is rendered from. */
export interface MigrationDraft {
  up: SchemaDiff;
  /** The diff the other way (desired → current), with the same renames reversed. */
  down: SchemaDiff;
  /** Renames applied (confirmed by the caller). */
  renames?: RenameDecision[];
  /** Look-alike drop + add pairs the caller did not decide on: written as drop + add, and listed. */
  renameCandidates?: RenameCandidate[];
  verification?: VerificationReport;
  /** Differences the diff did not act on (see GenerateResult.notCompared). */
  notCompared?: string[];
  /** Where current and desired came from, for the header (e.g. `schema.sql`, `postgres://…`). */
  from?: string;
  to?: string;
}

export interface MigrationFileOut {
  /** Absolute path. */
  path: string;
  content: string;
}

export interface GenerateRequest {
  /** Current schema: a connection string (URL or keyword DSN), a SQL file, a folder (migrations or declarative SQL), or a source already resolved. */
  from: string | SchemaSource;
  /** Desired schema, likewise. */
  to: string | SchemaSource;
  /** Relative paths resolve against it; the migration is written in its convention. */
  workspaceRoot: string;
  /** Default: the workspace's discovered convention, else `plain`. */
  format?: MigrationFormat;
  /** Folder the files go in (default: the convention's folder in the workspace). */
  outDir?: string;
  renames?: RenameDecision[];
  /** Refuse (no files) when the migration has any hazard. */
  safeOnly?: boolean;
  name?: string;
  /** Default true. */
  verify?: boolean;
  /** Build SQL sources and verify on a scratch database on this server instead of PGlite. */
  shadowServer?: { config: ClientConfig; fallback?: ClientConfig };
  cacheDir?: string;
  /** File time stamps (default: now). */
  now?: Date;
}

export interface GenerateResult {
  /** The files to write (not written by `generateMigration`; see `writeMigrationFiles`). */
  files: MigrationFileOut[];
  diff: SchemaDiff;
  down: SchemaDiff;
  verification?: VerificationReport;
  hazards: Hazard[];
  renameCandidates: RenameCandidate[];
  format: MigrationFormat;
  /** True when `safeOnly` was asked and hazards made the generator refuse: `files` is empty. */
  refused: boolean;
  /**
   * When the diff found nothing to do but the two catalogs still differ (an object kind pglens does
   * not diff): each difference, one line, from the independent catalog comparison.
   */
  notCompared: string[];
}
