import type { ClientConfig } from 'pg';
import type { Finding } from '../../../protocol/findings';
import type { SchemaSnapshot } from '../../../protocol/schema';
import type { ExplainOptions, ExplainOutcome } from '../explain/runner';
import type { MigrationSet } from '../migrations/discover';

/**
 * Messages between the language server and the shadow worker thread. The shadow runs in a worker
 * because PGlite executes on the thread that calls it and honours no statement_timeout: an endless
 * loop in a DO block would otherwise freeze the whole server. A stalled worker is terminated.
 */
export type WorkerRequest = { id: number } & (
  | { kind: 'open'; session: number; migrations: MigrationSet; cacheDir?: string; server?: ClientConfig & { skipHostCheck?: true } }
  | { kind: 'text'; file: string; text: string | null }
  | { kind: 'replayAll'; session: number }
  | { kind: 'checkAll'; session: number }
  | { kind: 'findingsForAll'; session: number }
  | { kind: 'checkMigration'; session: number; file: string }
  | { kind: 'checkOther'; session: number; file: string; text: string }
  | { kind: 'snapshot'; session: number }
  | { kind: 'explain'; session: number; sql: string; options: ExplainOptions }
  | { kind: 'close'; session: number }
);

export interface WorkerResults {
  open: null;
  text: null;
  replayAll: Record<string, Finding[]>;
  checkAll: Record<string, Finding[]>;
  findingsForAll: Record<string, Finding[]>;
  checkMigration: Finding[];
  checkOther: Finding[];
  snapshot: SchemaSnapshot;
  explain: ExplainOutcome;
  close: null;
}

export type WorkerReply =
  | { kind: 'result'; id: number; ok: true; result: unknown }
  | { kind: 'result'; id: number; ok: false; error: string }
  /** Sent before each statement runs: the watchdog's heartbeat, and the culprit when one never ends. */
  | { kind: 'statement'; file: string; start: number; end: number }
  /** The statement finished: the watchdog stands down until the next one starts. */
  | { kind: 'idle' };
