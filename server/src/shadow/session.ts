import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type { Finding } from '../../../protocol/findings';
import type { Database } from '../db/port';
import type { AnalyzedStatement, DocumentAnalysis } from '../document/analyze';
import { analyzeDocument } from '../document/analyze';
import { sectionsOf } from '../migrations/discover';
import { opensOwnTransaction } from './own-transaction';
import type { MigrationFile, MigrationSet } from '../migrations/discover';
import { unwrap } from '../sql/ast';
import { analyzeQuery, isPreparable, isReplayed, runStatements, toFinding } from '../schema-check/execute';
import type { RunMode } from '../schema-check/execute';
import type { LineIndex } from '../text/offsets';
import type { ShadowBackend } from './backend';
import { EmbeddedBackend } from './embedded';

/** The code of the warning on a statement the shadow refuses to run (a cluster-wide one on the user's server). */
export const REFUSED_CODE = 'pglens-shadow-refused';

/** The text of a file as the user sees it: the open editor's buffer when there is one, else the disk. */
export type TextSource = (file: string) => string | undefined;

/** Told when a statement of a file starts and ends running (`file` is the checked file for one that is not a migration). */
export type StatementListener = (file: string, statement: AnalyzedStatement, phase: 'start' | 'end') => void;

export const diskText: TextSource = (file) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

interface LoadedMigration {
  file: MigrationFile;
  analysis: DocumentAnalysis;
  /** Statements inside the file's "up" sections, in order. */
  statements: AnalyzedStatement[];
  hash: string;
}

interface Live {
  db: Database;
  /** Each applied file's findings, from the replay that built this state. */
  findings: Map<string, Finding[]>;
  /** Hashes of the migrations applied, in order: the state is "after these files". */
  applied: string[];
}

/**
 * The shadow database of a workspace: the embedded PostgreSQL with the workspace's migrations
 * replayed in order, so that migration N is checked against the schema migrations 1..N-1 produce.
 *
 * One database stays open at "after files 1..P". A request for the state after files 1..K with
 * K ≥ P (and files 1..P unchanged) applies files P+1..K inside a transaction that is rolled back
 * after the work; anything else rebuilds the database at K, from the replay cache when it can.
 */
export class ShadowSession {
  private live: Live | undefined;
  /** A replayed state known to be in the backend's cache but not opened yet (opening costs ~0.7 s). */
  private cached: { applied: string[]; key: string; extensions: Set<string>; findings: Map<string, Finding[]> } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly backend: ShadowBackend;
  /** Parsed migrations by path, reused while their text is unchanged. */
  private readonly parsed = new Map<string, LoadedMigration & { text: string }>();

  constructor(
    readonly migrations: MigrationSet,
    private readonly textOf: TextSource = diskText,
    options: { cacheDir?: string; backend?: ShadowBackend; onStatement?: StatementListener; skip?: ReadonlySet<string> } = {},
  ) {
    this.backend = options.backend ?? new EmbeddedBackend(options.cacheDir);
    this.onStatement = options.onStatement;
    this.skip = options.skip;
  }

  private readonly onStatement: StatementListener | undefined;
  /** Statements (by text) not to run: ones a watchdog had to stop before. */
  private readonly skip: ReadonlySet<string> | undefined;

  /** Runs the statements and returns PostgreSQL's errors, and a warning for each statement the backend refuses to run. */
  private async run(db: Database, migration: { file: { path: string }; statements: AnalyzedStatement[] }, mode: RunMode, lineIndex: LineIndex): Promise<Finding[]> {
    const listener = this.onStatement;
    const skip = this.skip;
    const refusals: Finding[] = [];
    const statements = migration.statements.filter((statement) => {
      if (skip?.has(statement.segment.sql)) return false;
      const reason = this.backend.refuses?.(statement);
      if (reason !== undefined) refusals.push({ range: lineIndex.rangeOf(statement.segment.start, statement.segment.end), severity: 'warning', code: REFUSED_CODE, message: reason });
      return reason === undefined;
    });
    const problems = await runStatements(db, statements, mode, listener && ((statement, phase) => listener(migration.file.path, statement, phase)));
    return [...refusals, ...problems.map((problem) => toFinding(problem, lineIndex))].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }

  /** Diagnostics of every migration file, from one replay of the whole set. */
  replayAll(): Promise<Map<string, Finding[]>> {
    return this.exclusive(async () => {
      const loaded = this.load();
      const findings = new Map<string, Finding[]>();
      await this.rebuild(loaded, loaded.length, findings, { lazy: true });
      return findings;
    });
  }

  /**
   * Every migration's findings for the texts as they are now, without moving the shadow backwards:
   * files in the open (or cached) state keep the findings of the replay that built it; the files
   * after it run in a transaction that is rolled back. What the Problems view shows for closed files.
   */
  findingsForAll(): Promise<Map<string, Finding[]>> {
    return this.exclusive(async () => {
      const loaded = this.load();
      const state = this.live ?? this.cached;
      const compatible = state !== undefined && state.applied.length <= loaded.length && state.applied.every((hash, index) => hash === loaded[index].hash);
      if (!compatible) {
        const findings = new Map<string, Finding[]>();
        await this.rebuild(loaded, loaded.length, findings, { lazy: true });
        return findings;
      }
      const findings = new Map(state.findings);
      if (state.applied.length < loaded.length) await this.withStateAfter(loaded, loaded.length, async () => undefined, findings);
      return findings;
    });
  }

  /**
   * Every migration checked in order inside one transaction that is rolled back: the same checks as
   * `replayAll`, but nothing persists in the shadow (used on a shared scratch database).
   */
  checkAll(): Promise<Map<string, Finding[]>> {
    return this.exclusive(async () => {
      const loaded = this.load();
      return this.withStateAfter(loaded, 0, async (db) => {
        const findings = new Map<string, Finding[]>();
        for (const migration of loaded) {
          findings.set(migration.file.path, await this.run(db, migration, 'nested', migration.analysis.lineIndex));
        }
        return findings;
      });
    });
  }

  /** Diagnostics of migration `file` (its current text), checked against the state after the files before it. */
  checkMigration(file: string): Promise<Finding[]> {
    return this.exclusive(async () => {
      const loaded = this.load();
      const index = loaded.findIndex((migration) => migration.file.path === file);
      if (index < 0) return [];
      const target = loaded[index];
      return this.withStateAfter(loaded, index, async (db) => {
        return this.run(db, target, 'nested', target.analysis.lineIndex);
      });
    });
  }

  /**
   * Checks a SQL file that is not a migration against the state after every migration: queries by
   * PostgreSQL's parse analysis (PREPARE, nothing runs), other statements by running them in a
   * transaction that is rolled back.
   */
  checkOther(analysis: DocumentAnalysis, file = ''): Promise<Finding[]> {
    return this.exclusive(async () => {
      const loaded = this.load();
      return this.withStateAfter(loaded, loaded.length, async (db) => {
        const findings: Finding[] = [];
        for (const statement of analysis.statements) {
          if (isPreparable(statement)) {
            const problem = await analyzeQuery(db, statement, { nested: true });
            if (problem) findings.push(toFinding(problem, analysis.lineIndex));
          } else if (isReplayed(statement)) {
            findings.push(...(await this.run(db, { file: { path: file }, statements: [statement] }, 'nested', analysis.lineIndex)));
          }
        }
        return findings;
      });
    });
  }

  /** Runs `work` on the shadow in the state after all migrations, inside a transaction that is rolled back. */
  withFinalState<T>(work: (db: Database) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      const loaded = this.load();
      return this.withStateAfter(loaded, loaded.length, work);
    });
  }

  async close(): Promise<void> {
    await this.exclusive(async () => {
      if (this.live) await this.backend.discard(this.live.db);
      this.live = undefined;
    });
  }

  /** One operation at a time: each holds the shadow's transaction for its whole duration. */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const guarded = async (): Promise<T> => {
      try {
        return await operation();
      } catch (error) {
        // Not a PostgreSQL error (those become findings): the database itself failed. Start afresh next time.
        const live = this.live;
        this.live = undefined;
        if (live) await this.backend.discard(live.db).catch(() => undefined);
        throw error;
      }
    };
    const result = this.queue.then(guarded, guarded);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private load(): LoadedMigration[] {
    return this.migrations.files.map((file) => {
      const text = this.textOf(file.path) ?? '';
      const cached = this.parsed.get(file.path);
      if (cached && cached.text === text) return cached;
      const analysis = analyzeDocument(text, undefined, cached?.analysis);
      // Sections come from the text as it is now (an edited file's up/down markers move).
      const sections = sectionsOf(this.migrations.tool, text);
      const current: MigrationFile = {
        ...file,
        up: sections.up,
        // Flyway's per-file .conf may override the transaction; only discovery reads it.
        transactional: this.migrations.tool === 'flyway' ? file.transactional : sections.transactional,
      };
      const inUp = (statement: AnalyzedStatement): boolean =>
        current.up.some((section) => statement.segment.start >= section.start && statement.segment.start < section.end);
      const hash = crypto
        .createHash('sha256')
        .update(`${file.path}\0${current.transactional}\0`)
        .update(current.up.map((section) => text.slice(section.start, section.end)).join('\0'))
        .digest('hex');
      const loaded = { file: current, analysis, statements: analysis.statements.filter(inUp), hash, text };
      this.parsed.set(file.path, loaded);
      return loaded;
    });
  }

  private async withStateAfter<T>(
    loaded: LoadedMigration[],
    count: number,
    work: (db: Database) => Promise<T>,
    /** Receives the findings of the files applied in the transaction (those after the live state). */
    collect?: Map<string, Finding[]>,
  ): Promise<T> {
    const wanted = loaded.slice(0, count).map((migration) => migration.hash);
    const cached = this.cached;
    if (!this.live && cached && cached.applied.length <= count && cached.applied.every((hash, index) => hash === wanted[index])) {
      this.cached = undefined;
      const opened = await this.backend.open({ extensions: cached.extensions, key: cached.key }).catch(() => undefined);
      if (opened?.findings) this.live = { db: opened.db, applied: cached.applied, findings: cached.findings };
      else if (opened) await this.backend.discard(opened.db);
    }
    const live = this.live;
    const reusable = live && live.applied.length <= count && live.applied.every((hash, index) => hash === wanted[index]);
    if (!reusable) await this.rebuild(loaded, count, new Map());
    const db = this.live!.db;
    await db.exec('BEGIN');
    try {
      // Files after the live state: applied in this transaction only.
      for (const migration of loaded.slice(this.live!.applied.length, count)) {
        const fileFindings = await this.run(db, migration, 'nested', migration.analysis.lineIndex);
        collect?.set(migration.file.path, fileFindings);
      }
      return await work(db);
    } finally {
      await db.exec('ROLLBACK').catch(() => undefined);
    }
  }

  /** Opens a database with files 1..count applied, from the backend's cache or by replaying; records each file's findings. */
  private async rebuild(loaded: LoadedMigration[], count: number, findings: Map<string, Finding[]>, options: { lazy?: boolean } = {}): Promise<void> {
    if (this.live) await this.backend.discard(this.live.db);
    this.live = undefined;
    this.cached = undefined;
    const prefix = loaded.slice(0, count);
    const key = crypto
      .createHash('sha256')
      .update(prefix.map((migration) => migration.hash).join('\n'))
      .digest('hex')
      .slice(0, 32);
    const extensions = new Set(prefix.flatMap((migration) => extensionsCreatedBy(migration.statements)));
    const applied = prefix.map((migration) => migration.hash);
    const known = options.lazy && prefix.length > 0 ? this.backend.cachedFindings?.(key) : undefined;
    if (known) {
      // The findings are all the caller needs now; the database opens when a check needs it.
      for (const [file, fileFindings] of Object.entries(known)) findings.set(file, fileFindings);
      this.cached = { applied, key, extensions, findings: new Map(findings) };
      return;
    }
    const opened = await this.backend.open({ extensions, key: prefix.length > 0 ? key : undefined });
    if (opened.findings) {
      for (const [file, fileFindings] of Object.entries(opened.findings)) findings.set(file, fileFindings);
      this.live = { db: opened.db, applied, findings: new Map(findings) };
      return;
    }
    for (const migration of prefix) {
      // A file with its own BEGIN … COMMIT is not wrapped again, but its statements do share a transaction.
      const mode = migration.file.transactional || opensOwnTransaction(migration.statements) ? 'apply-transaction' : 'apply-autocommit';
      findings.set(migration.file.path, await this.run(opened.db, migration, mode, migration.analysis.lineIndex));
    }
    this.live = { db: opened.db, applied, findings: new Map(findings) };
    if (prefix.length > 0) await this.backend.save?.(opened.db, key, Object.fromEntries(findings));
  }
}

function extensionsCreatedBy(statements: AnalyzedStatement[]): string[] {
  return statements.flatMap((statement) => {
    if (!statement.outcome.ok) return [];
    const unwrapped = unwrap(statement.outcome.stmt);
    return unwrapped?.[0] === 'CreateExtensionStmt' && typeof unwrapped[1].extname === 'string' ? [unwrapped[1].extname] : [];
  });
}
