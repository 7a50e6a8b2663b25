import type { Connection, DocumentDiagnosticReport, ServerCapabilities } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { schemaFindings } from '../features/schema-diagnostics';
import { syntaxFindings } from '../features/syntax';
import { toDiagnostic } from './convert';
import type { Session } from './session';
import { throwIfCancelled } from './session';
import { analyzeOptionsOf } from './settings';

/** Pull diagnostics: syntax, schema and migration-safety findings of open documents, and of the workspace's other SQL files. */
export function registerDiagnostics(connection: Connection, session: Session): ServerCapabilities {
  const { documents, settings, rules, live } = session;

  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    const uri = params.textDocument.uri;
    const analysis = await session.guarded('diagnostics', () => session.analysisFor(uri, token));
    if (!analysis) return { kind: 'full', items: [] };
    const syntax = syntaxFindings(analysis);
    const document = documents.get(uri);
    const lint = document ? rules.findings(uri, session.fileOf(uri), document.version, analysis, await settings.get(uri), live.snapshot) : [];
    const schema = URI.parse(uri).scheme === 'file' ? await session.guarded('schema diagnostics', () => schemaFindings(URI.parse(uri).fsPath, analysis, { workspaces: session.workspaces, live: live.database })) : undefined;
    throwIfCancelled(token);
    return { kind: 'full', items: [...syntax, ...(schema ?? []), ...lint].map(toDiagnostic) };
  });

  connection.languages.diagnostics.onWorkspace(async (params, token) => {
    const report = await session.guarded('workspace diagnostics', () =>
      session.workspaceDiagnostics.report(
        params.previousResultIds,
        {
          workspaces: session.workspaces,
          live: live.database,
          isOpen: (uri) => documents.get(uri) !== undefined,
          optionsFor: async (uri) => {
            const documentSettings = await settings.get(uri);
            return documentSettings.enable ? analyzeOptionsOf(documentSettings) : undefined;
          },
          lint: async (uri, file, analysis) => rules.lint(file, analysis, await settings.get(uri), live.snapshot),
        },
        () => token.isCancellationRequested,
      ),
    );
    return report ?? { items: [] };
  });

  // A migration's checks depend on the migrations before it: edits re-check the other open files.
  return { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: true } };
}
