import { CodeActionKind } from 'vscode-languageserver';
import type { Connection, ServerCapabilities } from 'vscode-languageserver';
import { statementAt } from '../document/analyze';
import { explainableStatement } from '../explain/statement';
import { toCodeActions } from './convert';
import { indexActions } from './index-actions';
import type { Session } from './session';

/** Quick fixes: the fixes of the rule findings shown, and missing-index fixes from the plan of the statement under the cursor. */
export function registerCodeActions(connection: Connection, session: Session): ServerCapabilities {
  connection.onCodeAction(async (params, token) => {
    const uri = params.textDocument.uri;
    const document = session.documents.get(uri);
    const analysis = await session.guarded('codeAction', () => session.analysisFor(uri, token));
    if (!document || !analysis) return [];
    const ruleActions = toCodeActions(uri, session.rules.last(uri, document.version), params.range, analysis.lineIndex);
    const file = session.fileOf(uri);
    const offset = analysis.lineIndex.offsetAt(params.range.start);
    const statement = statementAt(analysis, offset);
    if (!file || !statement || !explainableStatement(statement.segment.sql).ok) return ruleActions;
    const { explainTimeoutMs } = await session.settings.get(uri);
    const request = {
      uri,
      file,
      sql: statement.segment.sql,
      workspaceRoot: session.workspaces.rootOf(file)?.directory,
      isMigration: session.workspaces.isMigration(file),
      lineCount: document.lineCount,
      live: session.live.database,
      timeoutMs: explainTimeoutMs,
    };
    const indexFixes = await session.guarded('index quick fixes', () => indexActions(request, session.plans, session.hypotheticalCosts));
    return [...ruleActions, ...(indexFixes ?? [])];
  });

  return { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } };
}
