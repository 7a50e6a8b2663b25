import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ClientConfig } from 'pg';
import type { Finding } from '../../../protocol/findings';
import { toTransferable } from '../connection/open';
import type { SchemaSnapshot } from '../../../protocol/schema';
import type { DocumentAnalysis } from '../document/analyze';
import type { ExplainOptions, ExplainOutcome } from '../explain/runner';
import type { MigrationSet } from '../migrations/discover';
import { LineIndex } from '../text/offsets';
import { diskText } from './session';
import type { WorkerReply, WorkerRequest, WorkerResults } from './worker-protocol';

/** What the language server needs from a workspace's shadow database. */
export interface Shadow {
  /** Every migration's findings (for files not open in the editor). */
  findingsForAll(): Promise<Record<string, Finding[]>>;
  checkMigration(file: string): Promise<Finding[]>;
  checkOther(file: string, analysis: DocumentAnalysis): Promise<Finding[]>;
  snapshot(): Promise<SchemaSnapshot>;
  /** EXPLAIN against the state after every migration (its tables are empty); a stall counts as a timeout. */
  explain(sql: string, options: ExplainOptions): Promise<ExplainOutcome>;
  close(): Promise<void>;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Stall {
  file: string;
  start: number;
  end: number;
  sql: string;
}

export class StalledError extends Error {
  constructor(readonly stall: Stall | undefined) {
    super('the shadow database stopped answering');
  }
}

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * Runs the shadow sessions in a worker thread with a watchdog: when one statement runs longer than
 * `stallMs`, the worker is terminated (the only way to stop PGlite mid-statement), the statement
 * it was running is remembered and reported, and a fresh worker takes over on the next request.
 */
export class ShadowWorkerHost {
  private worker: Worker | undefined;
  private nextId = 1;
  private nextSession = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly sessions = new Map<number, { migrations: MigrationSet; cacheDir?: string; server?: ClientConfig }>();
  private readonly texts = new Map<string, string>();
  private readonly stalls: Stall[] = [];
  private running: { file: string; start: number; end: number } | undefined;
  private watchdog: NodeJS.Timeout | undefined;

  constructor(
    private readonly workerScript = path.join(__dirname, 'shadow-worker.js'),
    private readonly stallMs = 10_000,
  ) {}

  open(migrations: MigrationSet, options: { cacheDir?: string; server?: ClientConfig } = {}): Shadow {
    const session = this.nextSession++;
    this.sessions.set(session, { migrations, ...options });
    const opened = this.send({ kind: 'open', session, migrations, cacheDir: options.cacheDir, server: options.server && toTransferable(options.server) });
    const call = async <K extends keyof WorkerResults>(request: Request & { kind: K }): Promise<WorkerResults[K]> => {
      await opened.catch(() => undefined);
      return (await this.send(request)) as WorkerResults[K];
    };
    return {
      findingsForAll: () => call({ kind: 'findingsForAll', session }),
      checkMigration: async (file) => this.withStalls(file, () => call({ kind: 'checkMigration', session, file })),
      checkOther: async (file, analysis) => this.withStalls(file, () => call({ kind: 'checkOther', session, file, text: analysis.text })),
      snapshot: () => call({ kind: 'snapshot', session }),
      explain: async (sql, options) => {
        try {
          return await call({ kind: 'explain', session, sql, options });
        } catch (error) {
          if (!(error instanceof StalledError)) throw error;
          return { ok: false, reason: 'database', message: `The embedded database stopped answering for ${this.stallMs / 1000} s (PGlite has no statement_timeout), so pglens stopped it.` };
        }
      },
      close: async () => {
        this.sessions.delete(session);
        if (this.worker) await call({ kind: 'close', session }).catch(() => undefined);
      },
    };
  }

  /** The editor's text of a file (null: closed, use the disk). */
  setText(file: string, text: string | null): void {
    if (text === null) this.texts.delete(file);
    else this.texts.set(file, text);
    if (this.worker) void this.send({ kind: 'text', file, text }).catch(() => undefined);
  }

  async dispose(): Promise<void> {
    this.stopWatchdog();
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  /** Findings for `file`, plus the statements of it that were stopped for running too long. */
  private async withStalls(file: string, check: () => Promise<Finding[]>): Promise<Finding[]> {
    let findings: Finding[];
    try {
      findings = await check();
    } catch (error) {
      if (!(error instanceof StalledError)) throw error;
      findings = [];
      const culprit = error.stall;
      if (culprit && culprit.file !== file && culprit.file !== '') {
        findings.push({
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: 'warning',
          code: 'shadow-timeout',
          message: `Not checked against the schema: ${path.basename(culprit.file)} has a statement that ran longer than ${this.stallMs / 1000} s in the embedded database.`,
        });
      }
    }
    const text = this.texts.get(file) ?? diskText(file) ?? '';
    for (const stall of this.stalls) {
      const at = text.indexOf(stall.sql);
      if (at < 0) continue;
      const index = new LineIndex(text);
      findings.push({
        range: index.rangeOf(at, Math.min(at + stall.sql.length, index.lineEndAt(at))),
        severity: 'warning',
        code: 'shadow-timeout',
        message: `pglens stopped this statement after ${this.stallMs / 1000} s in the embedded database (PGlite has no statement_timeout): an endless loop? It is skipped in later checks.`,
      });
    }
    return findings;
  }

  private send(request: Request): Promise<unknown> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } as WorkerRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerScript, { workerData: { skip: this.stalls.map((stall) => stall.sql) } });
    worker.unref();
    worker.on('message', (reply: WorkerReply) => this.receive(reply));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', () => {
      if (this.worker === worker) this.fail(new Error('the shadow worker exited'));
    });
    this.worker = worker;
    // A fresh worker (first, or after a stall) learns the open sessions and the editor's texts again.
    for (const [file, text] of this.texts) worker.postMessage({ id: 0, kind: 'text', file, text } satisfies WorkerRequest);
    for (const [session, spec] of this.sessions) worker.postMessage({ id: 0, kind: 'open', session, ...spec } satisfies WorkerRequest);
    return worker;
  }

  private receive(reply: WorkerReply): void {
    if (reply.kind === 'statement') {
      this.running = { file: reply.file, start: reply.start, end: reply.end };
      this.armWatchdog();
      return;
    }
    if (reply.kind === 'idle') {
      this.running = undefined;
      this.stopWatchdog();
      return;
    }
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    this.running = undefined;
    this.stopWatchdog();
    if (reply.ok) pending.resolve(reply.result);
    else pending.reject(new Error(reply.error));
  }

  /** Times the statement now running; opening a database or dumping it is not timed. */
  private armWatchdog(): void {
    this.stopWatchdog();
    if (!this.running) return;
    this.watchdog = setTimeout(() => this.stalled(), this.stallMs);
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }

  private stalled(): void {
    const running = this.running;
    let stall: Stall | undefined;
    if (running) {
      const text = running.file ? (this.texts.get(running.file) ?? diskText(running.file) ?? '') : '';
      stall = { ...running, sql: text.slice(running.start, running.end) };
      if (stall.sql) this.stalls.push(stall);
    }
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    this.failAll(new StalledError(stall));
  }

  private fail(error: Error): void {
    this.worker = undefined;
    this.failAll(error);
  }

  private failAll(error: Error): void {
    this.stopWatchdog();
    this.running = undefined;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const { reject } of pending) reject(error);
  }
}
