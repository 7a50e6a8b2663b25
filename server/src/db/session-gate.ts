import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, QueryResult } from './port';

/**
 * Code inside a transaction's callback used the session instead of the transaction handle it was given.
 * Queued behind its own transaction, that call would wait forever while the session sat idle in
 * the transaction, holding its locks: it fails at once instead.
 */
export class ReentrantUseError extends Error {
  constructor(what: string) {
    super(`${what} on the database inside its own transaction: use the transaction handle passed to the callback`);
  }
}

/** A transaction handle used after its transaction ended: the statement would run outside it. */
export class TransactionEndedError extends Error {
  constructor() {
    super('the transaction this handle belongs to has ended');
  }
}

/** One session's raw statements, unguarded: what an adapter gives the gate. */
export interface SessionIo {
  readonly kind: Database['kind'];
  query<Row>(sql: string, params?: unknown[]): Promise<QueryResult<Row>>;
  exec(sql: string): Promise<void>;
  cancel(): Promise<void>;
}

export type TransactionKind = 'read-only' | 'rolled-back';

const BEGIN: Record<TransactionKind, string> = { 'read-only': 'BEGIN READ ONLY', 'rolled-back': 'BEGIN' };

/**
 * The one transaction helper, shared by both adapters: one statement or transaction at a time on the
 * session (later callers wait their turn), `work` gets a handle of its own that dies with the
 * transaction, and while the transaction is open the session refuses calls made from inside the
 * callback (an AsyncLocalStorage marks the callback's async context) instead of deadlocking on them.
 * The transaction always ends with ROLLBACK.
 */
export class SessionGate {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly context = new AsyncLocalStorage<object>();
  private open: object | undefined;

  constructor(private readonly io: SessionIo) {}

  /** Runs one call on the session after the calls queued before it. */
  serial<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (this.open !== undefined && this.context.getStore() === this.open) return Promise.reject(new ReentrantUseError(what));
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** `BEGIN [READ ONLY]`, `work(handle)`, `ROLLBACK`, whatever `work` does or throws. */
  transaction<T>(kind: TransactionKind, work: (tx: Database) => Promise<T>): Promise<T> {
    return this.serial('a transaction', async () => {
      const token = {};
      const handle = new TransactionHandle(this.io);
      await this.io.exec(BEGIN[kind]);
      this.open = token;
      try {
        return await this.context.run(token, () => work(handle));
      } finally {
        this.open = undefined;
        handle.end();
        await this.io.exec('ROLLBACK').catch(() => undefined);
      }
    });
  }
}

/** The callback's view of the session inside a transaction: statements only, no nested transactions. */
class TransactionHandle implements Database {
  readonly kind: Database['kind'];
  private ended = false;

  constructor(private readonly io: SessionIo) {
    this.kind = io.kind;
  }

  end(): void {
    this.ended = true;
  }

  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
    return this.ended ? Promise.reject(new TransactionEndedError()) : this.io.query<Row>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.ended ? Promise.reject(new TransactionEndedError()) : this.io.exec(sql);
  }

  readOnly<T>(): Promise<T> {
    return Promise.reject(new Error('already in a transaction: use a savepoint (nested explain, analyzeQuery { nested: true })'));
  }

  rolledBack<T>(): Promise<T> {
    return this.readOnly<T>();
  }

  cancel(): Promise<void> {
    return this.io.cancel();
  }

  async close(): Promise<void> {
    // The session belongs to whoever opened it.
  }
}
