import type { Connection, ServerCapabilities } from 'vscode-languageserver';
import { RlsCheckPolicyRequest, RlsModelRequest, RlsSaveRequest, RlsTestRequest } from '../../../protocol/rls';
import type { RlsCountsResult, RlsSource, RlsStatementResult } from '../../../protocol/rls';
import { PgDatabase } from '../db/pg';
import type { Database } from '../db/port';
import { asDatabaseError } from '../db/port';
import type { SchemaDiff } from '../diff';
import { conventionFor, renderMigrationFiles } from '../generate/conventions';
import { discoverMigrations } from '../migrations/discover';
import { buildMatrix } from '../rls/matrix';
import { loadRlsModel } from '../rls/model';
import { findSeed, loadSeed } from '../rls/target';
import { testAsRole } from '../rls/tester';
import { ShadowSession } from '../shadow/session';
import { unwrap } from '../sql/ast';
import { parseStatement } from '../sql/parser';
import { splitStatements } from '../sql/splitter';
import type { Workspaces } from '../workspace/workspaces';
import type { Session } from './session';

/** How long an idle RLS shadow stays open (reopening from the replay cache costs about a second). */
const IDLE_CLOSE_MS = 120_000;
const POLICY_STATEMENTS = new Set(['CreatePolicyStmt', 'AlterPolicyStmt', 'DropPolicyStmt', 'AlterTableStmt']);

/**
 * The RLS Policies view's questions, answered by the engine (server/src/rls/): the model and matrix,
 * a test as a role, a policy checked as it is typed, and a new migration for Save. The shadow is the
 * first workspace folder's migrations replayed (plus its seed) in an embedded PostgreSQL of this
 * process; the live database is reached on a connection of its own, so that the test's transaction
 * never mixes with the statements pglens's other features send. Nothing here writes to any database:
 * every test is rolled back, and Save only returns the files for the client to create.
 */
export function registerRls(connection: Connection, session: Session): ServerCapabilities {
  const live = session.live;
  const workspaces = (): Workspaces => session.workspaces;
  const shadows = new ShadowPool(workspaces, () => session.workspaces.cacheDir);

  const onDatabase = async <T>(source: RlsSource, work: (db: Database, inTransaction: boolean) => Promise<T>): Promise<T> => {
    if (source === 'live') {
      const config = live.clientConfig;
      if (!config) throw new Error('not connected to a database: run "pglens: Connect to Database", or test in the shadow');
      const db = await PgDatabase.connect({ config, statementTimeoutMs: 10_000 });
      try {
        return await work(db, false);
      } finally {
        await db.close();
      }
    }
    return shadows.withShadow(work);
  };
  const failure = (error: unknown): { ok: false; message: string } => {
    const problem = asDatabaseError(error);
    return { ok: false, message: problem ? `${problem.message} (${problem.code})` : error instanceof Error ? error.message : String(error) };
  };

  connection.onRequest(RlsModelRequest.method, async (params: RlsModelRequest.Params): Promise<RlsModelRequest.Result> => {
    try {
      const model = await onDatabase(params.source, (db) => loadRlsModel(db));
      return { ok: true, model, matrix: buildMatrix(model) };
    } catch (error) {
      return failure(error);
    }
  });

  connection.onRequest(RlsTestRequest.method, async (params: RlsTestRequest.Params): Promise<RlsTestRequest.Result> => {
    try {
      const answer = await onDatabase(params.source, (db, inTransaction) =>
        testAsRole(db, { role: params.role, settings: params.settings, sql: params.sql || undefined, setup: params.draft, sampleRows: 5 }, { inTransaction }),
      );
      return 'allowed' in answer ? { ok: true, statement: answer as RlsStatementResult } : { ok: true, counts: answer as RlsCountsResult };
    } catch (error) {
      return failure(error);
    }
  });

  connection.onRequest(RlsCheckPolicyRequest.method, async (params: RlsCheckPolicyRequest.Params): Promise<RlsCheckPolicyRequest.Result> => {
    const segments = splitStatements(params.sql).filter((segment) => segment.sql.replace(/;\s*$/, '').trim() !== '');
    if (segments.length === 0) return { ok: false, stage: 'parse', message: 'no statement' };
    for (const segment of segments) {
      const outcome = parseStatement(segment.sql);
      if (!outcome.ok) return { ok: false, stage: 'parse', message: outcome.error.message };
      const kind = unwrap(outcome.stmt)?.[0];
      if (!kind || !POLICY_STATEMENTS.has(kind)) return { ok: false, stage: 'parse', message: `only policy statements belong here, not ${kind?.replace(/Stmt$/, '') ?? 'this'}` };
    }
    try {
      return await shadows.withShadow(async (db) => {
        await db.query('SAVEPOINT pglens_rls_check');
        try {
          await db.exec(params.sql);
          return { ok: true as const };
        } catch (error) {
          const problem = asDatabaseError(error);
          if (!problem) throw error;
          return { ok: false as const, stage: 'postgres' as const, message: problem.message };
        } finally {
          await db.query('ROLLBACK TO SAVEPOINT pglens_rls_check');
        }
      });
    } catch (error) {
      return { ...failure(error), stage: 'postgres' };
    }
  });

  connection.onRequest(RlsSaveRequest.method, async (params: RlsSaveRequest.Params): Promise<RlsSaveRequest.Result> => {
    const root = workspaces().roots()[0]?.directory;
    if (!root) return { ok: false, message: 'open a workspace folder: the migration goes into its migrations folder' };
    const { convention, existing } = conventionFor(root);
    const change = (kind: string, sql: string): SchemaDiff => ({
      changes: [{ kind, object: params.name, statements: splitStatements(sql).map((segment) => segment.sql.trim().replace(/;$/, '')).filter((text) => text !== ''), transactional: true }],
      hazards: [],
      renameCandidates: [],
      safe: true,
    });
    const files = renderMigrationFiles({ up: change('create policy', params.up), down: change('drop policy', params.down) }, convention, params.name, new Date(), existing);
    return { ok: true, files: files.map((file) => ({ path: file.path, content: file.content })) };
  });
  return {};
}

/** One shadow session for the first workspace folder with migrations, closed when idle. */
class ShadowPool {
  private session: { root: string; session: ShadowSession } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly workspaces: () => Workspaces,
    private readonly cacheDir: () => string | undefined,
  ) {}

  async withShadow<T>(work: (db: Database, inTransaction: boolean) => Promise<T>): Promise<T> {
    const root = this.workspaces().roots().find((candidate) => candidate.migrations)?.directory;
    if (!root) throw new Error('no migrations in this workspace: pglens has no shadow to test in (connect to a database to test there)');
    if (this.session?.root !== root) {
      await this.closeAll();
      const migrations = discoverMigrations(root, { rootMayBeFolder: true });
      if (!migrations) throw new Error(`no migrations found in ${root}`);
      this.session = { root, session: new ShadowSession(migrations, undefined, { cacheDir: this.cacheDir() }) };
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.closeAll(), IDLE_CLOSE_MS);
    this.timer.unref();
    const seed = findSeed(root);
    return this.session.session.withFinalState(async (db) => {
      if (seed) await loadSeed(db, seed);
      return work(db, true);
    });
  }

  async closeAll(): Promise<void> {
    clearTimeout(this.timer);
    const open = this.session;
    this.session = undefined;
    await open?.session.close();
  }
}
