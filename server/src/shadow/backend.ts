import type { Finding } from '../../../protocol/findings';
import type { Database } from '../db/port';
import type { AnalyzedStatement } from '../document/analyze';

export interface OpenedShadow {
  db: Database;
  /** Present when the state was restored from a cache: the findings its replay produced. */
  findings?: Record<string, Finding[]>;
}

/** Where the shadow database lives: PGlite in process (default), or a scratch database on a server. */
export interface ShadowBackend {
  readonly name: string;
  /**
   * A database with these extensions loadable: restored from the state saved under `key` when the
   * backend has it, else empty.
   */
  open(request: { extensions: Set<string>; key?: string }): Promise<OpenedShadow>;
  /** The findings saved with the state under `key`, if the backend has it (cheap: no database is opened). */
  cachedFindings?(key: string): Record<string, Finding[]> | undefined;
  /** Keeps the current state under `key` for a later `open` (backends without a cache skip it). */
  save?(db: Database, key: string, findings: Record<string, Finding[]>): Promise<void>;
  /** Why the backend will not run this statement (one whose effect would outlive the shadow), or undefined. */
  refuses?(statement: AnalyzedStatement): string | undefined;
  /** Closes the database and removes whatever the backend created for it. */
  discard(db: Database): Promise<void>;
}
