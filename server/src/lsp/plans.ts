import type { Connection, ServerCapabilities } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { ExplainRequest, IndexMigrationRequest, ParsePlanRequest } from '../../../protocol/messages';
import { statementAt } from '../document/analyze';
import { indexStatements } from '../indexes/suggest';
import { tryParsePlan } from '../plans/parse';
import { newMigrationEdit } from './index-actions';
import type { Session } from './session';

/** The plan visualizer's requests: EXPLAIN a statement, read pasted EXPLAIN output, a migration for a suggested index. */
export function registerPlans(connection: Connection, session: Session): ServerCapabilities {
  connection.onRequest(ExplainRequest.type, async (params, token): Promise<ExplainRequest.Result> => {
    const { explainTimeoutMs } = await session.settings.get(params.uri);
    let sql = params.text;
    if (sql === undefined && params.position) {
      const analysis = await session.analysisFor(params.uri, token);
      sql = analysis && statementAt(analysis, analysis.lineIndex.offsetAt(params.position))?.segment.sql;
    }
    if (sql === undefined) return { ok: false, reason: 'refused', message: 'Put the cursor in a statement (or select one) to explain it.' };
    const response = await session.guarded('explain', () =>
      session.plans.explain(session.fileOf(params.uri), sql, { analyze: params.analyze, confirmedWrites: params.confirmedWrites, timeoutMs: explainTimeoutMs }),
    );
    return response ?? { ok: false, reason: 'database', message: 'EXPLAIN failed; see the pglens output for details.' };
  });

  connection.onRequest(IndexMigrationRequest.type, async (params): Promise<IndexMigrationRequest.Result> => {
    const file = params.uri ? session.fileOf(params.uri) : undefined;
    const root = (file ? session.workspaces.rootOf(file) : undefined)?.directory ?? session.workspaces.roots()[0]?.directory;
    if (!root) return { ok: false, message: 'Open a workspace folder: the index goes into a new migration there.' };
    const statements = indexStatements(params.index);
    const edit = newMigrationEdit(root, statements.name, statements.create, statements.drop, new Date());
    const files = edit.documentChanges.flatMap((change) => ('kind' in change && change.kind === 'create' ? [URI.parse(change.uri).fsPath] : []));
    return { ok: true, edit, files };
  });

  connection.onRequest(ParsePlanRequest.type, async (params): Promise<ParsePlanRequest.Result> => {
    const file = params.uri ? session.fileOf(params.uri) : undefined;
    const snapshot = session.live.snapshot ?? (file ? await session.schemas.snapshotFor(file) : undefined);
    const parsed = tryParsePlan(params.text, { snapshot });
    return 'error' in parsed ? { ok: false, message: parsed.error, line: parsed.line } : { ok: true, results: parsed.results };
  });

  return {};
}
