import { CodeActionKind, DidChangeConfigurationNotification, LSPErrorCodes, ResponseError, TextDocumentSyncKind, TextDocuments } from 'vscode-languageserver';
import type { CancellationToken, Connection, DocumentDiagnosticReport, InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { ExplainRequest, GenerateMigrationRequest, IndexMigrationRequest, ParsePlanRequest } from '../../protocol/messages';
import { LiveConnection, lspLogger, serveLiveConnection } from './connection';
import { statementAt } from './document/analyze';
import type { DocumentAnalysis } from './document/analyze';
import { AnalysisStore } from './document/store';
import { completionsAt } from './features/completion';
import { definitionAt } from './features/definition';
import { foldingRanges } from './features/folding';
import { explainableStatement } from './explain/statement';
import { hoverAt } from './features/hover';
import { planHoverMarkdown, statementAtLeadingKeyword } from './features/plan-hover';
import { schemaFindings } from './features/schema-diagnostics';
import { documentSymbols } from './features/symbols';
import { syntaxFindings } from './features/syntax';
import { toCodeActions, toCompletionItem, toDiagnostic, toDocumentSymbol, toFoldingRange, toHover, toLocation } from './lsp/convert';
import type { HypotheticalCost } from './indexes/hypothetical';
import { indexStatements } from './indexes/suggest';
import { generateForEditor } from './lsp/generate';
import { indexActions, newMigrationEdit } from './lsp/index-actions';
import { PlanService } from './lsp/plans';
import { RuleFindings } from './lsp/rule-context';
import { SchemaContext } from './lsp/schema-context';
import { SettingsCache, analyzeOptionsOf } from './lsp/settings';
import { WorkspaceDiagnostics } from './lsp/workspace-diagnostics';
import { tryParsePlan } from './plans/parse';
import { diskText } from './shadow/session';
import { ShadowWorkerHost } from './shadow/shadow-worker';
import { loadParser } from './sql/parser';
import { Workspaces } from './workspace/workspaces';

/** Wires the engine's pure features to LSP. Takes the connection so tests can drive it without VS Code. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new AnalysisStore();
  let clientPullsConfiguration = false;
  let clientWatchesConfiguration = false;
  const settings = new SettingsCache(connection, () => clientPullsConfiguration);
  let shadows = new ShadowWorkerHost();
  // The user's database, when connected: hover, completion and query checks use it, read-only.
  const live = new LiveConnection({ logger: lspLogger(connection) });
  serveLiveConnection(connection, live);
  const refreshDiagnostics = (): void => void connection.languages.diagnostics.refresh().catch(() => undefined);
  let workspaces = new Workspaces(shadows, undefined);
  // Open documents win over the disk: the shadow replays what the user sees.
  const fileOf = (uri: string): string | undefined => (URI.parse(uri).scheme === 'file' ? URI.parse(uri).fsPath : undefined);
  const textOf = (file: string): string | undefined => documents.get(URI.file(file).toString())?.getText() ?? diskText(file);
  const schemas = new SchemaContext(live, () => workspaces, textOf);
  const workspaceDiagnostics = new WorkspaceDiagnostics();
  const plans = new PlanService(live, () => workspaces, schemas);
  const hypotheticalCosts = new Map<string, Promise<HypotheticalCost | undefined>>();
  const rules = new RuleFindings(() => workspaces, (message) => connection.console.warn(message));
  /** `pglens.shadow = server` takes effect while connected: scratch databases on that server replace PGlite. */
  const updateShadowBackend = async (): Promise<void> => {
    const folder = workspaces.roots()[0]?.directory;
    const { shadow } = await settings.get(folder ? URI.file(folder).toString() : '');
    await workspaces.setShadowServer(shadow === 'server' ? live.clientConfig : undefined);
  };
  // Connecting, disconnecting or a new snapshot changes what every check sees.
  live.onStatus(() => {
    plans.invalidate();
    hypotheticalCosts.clear();
    workspaceDiagnostics.schemaChanged();
    void updateShadowBackend().catch(() => undefined);
    refreshDiagnostics();
  });
  live.onSnapshot(() => {
    schemas.invalidate();
    plans.invalidate();
    hypotheticalCosts.clear();
    rules.invalidate();
    workspaceDiagnostics.schemaChanged();
    refreshDiagnostics();
  });
  documents.onDidChangeContent(({ document }) => {
    const file = fileOf(document.uri);
    if (!file) return;
    shadows.setText(file, document.getText());
    schemas.invalidate(file);
    if (workspaces.isMigration(file)) workspaceDiagnostics.schemaChanged();
  });

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    clientPullsConfiguration = params.capabilities.workspace?.configuration === true;
    clientWatchesConfiguration = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    const options = (params.initializationOptions ?? {}) as { cacheDir?: unknown; shadowStallMs?: unknown };
    if (typeof options.shadowStallMs === 'number') shadows = new ShadowWorkerHost(undefined, options.shadowStallMs);
    workspaces = new Workspaces(shadows, typeof options.cacheDir === 'string' ? options.cacheDir : undefined);
    const folders = params.workspaceFolders?.map((folder) => URI.parse(folder.uri).fsPath) ?? (params.rootUri ? [URI.parse(params.rootUri).fsPath] : []);
    await Promise.all([loadParser(), workspaces.setFolders(folders)]);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        // A migration's checks depend on the migrations before it: edits re-check the other open files.
        diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: true },
        documentSymbolProvider: { label: 'pglens' },
        foldingRangeProvider: true,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['.', ' ', ':', '"', '('] },
        definitionProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'pglens', version: PGLENS_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (clientWatchesConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'pglens' });
  });

  connection.onDidChangeConfiguration(() => {
    settings.clear();
    analyses.clear();
    rules.invalidate();
    void updateShadowBackend().catch(() => undefined);
    connection.languages.diagnostics.refresh().catch(() => undefined);
  });

  connection.onDidChangeWatchedFiles(async () => {
    await workspaces.rediscover();
    schemas.invalidate();
    rules.invalidate();
    workspaceDiagnostics.schemaChanged();
    connection.languages.diagnostics.refresh().catch(() => undefined);
  });

  connection.onShutdown(async () => {
    live.dispose();
    await workspaces.dispose();
    await shadows.dispose();
  });

  documents.onDidClose(({ document }) => {
    rules.forget(document.uri);
    const file = fileOf(document.uri);
    if (file) shadows.setText(file, null);
    analyses.delete(document.uri);
    settings.forget(document.uri);
  });

  /** The document's current analysis, or undefined when it is closed, disabled or the request is stale. */
  async function analysisFor(uri: string, token: CancellationToken): Promise<DocumentAnalysis | undefined> {
    const document = documents.get(uri);
    if (!document) return undefined;
    const documentSettings = await settings.get(uri);
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'superseded by a newer request', { retriggerRequest: false });
    if (!documentSettings.enable) return undefined;
    return analyses.get(uri, document.version, document.getText(), analyzeOptionsOf(documentSettings));
  }

  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    const uri = params.textDocument.uri;
    const analysis = await guarded('diagnostics', () => analysisFor(uri, token));
    if (!analysis) return { kind: 'full', items: [] };
    const syntax = syntaxFindings(analysis);
    const document = documents.get(uri);
    const lint = document ? rules.findings(uri, fileOf(uri), document.version, analysis, await settings.get(uri), live.snapshot) : [];
    const schema = URI.parse(uri).scheme === 'file' ? await guarded('schema diagnostics', () => schemaFindings(URI.parse(uri).fsPath, analysis, { workspaces, live: live.database })) : undefined;
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'superseded by a newer request', { retriggerRequest: false });
    return { kind: 'full', items: [...syntax, ...(schema ?? []), ...lint].map(toDiagnostic) };
  });

  connection.onDocumentSymbol(async (params, token) => {
    const analysis = await guarded('documentSymbol', () => analysisFor(params.textDocument.uri, token));
    return analysis ? documentSymbols(analysis).map(toDocumentSymbol) : [];
  });

  connection.onFoldingRanges(async (params, token) => {
    const analysis = await guarded('foldingRange', () => analysisFor(params.textDocument.uri, token));
    return analysis ? foldingRanges(analysis).map(toFoldingRange) : [];
  });

  connection.languages.diagnostics.onWorkspace(async (params, token) => {
    const report = await guarded('workspace diagnostics', () =>
      workspaceDiagnostics.report(
        params.previousResultIds,
        {
          workspaces,
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

  connection.onCodeAction(async (params, token) => {
    const uri = params.textDocument.uri;
    const document = documents.get(uri);
    const analysis = await guarded('codeAction', () => analysisFor(uri, token));
    if (!document || !analysis) return [];
    const ruleActions = toCodeActions(uri, rules.last(uri, document.version), params.range, analysis.lineIndex);
    // Missing-index fixes for the statement under the cursor, from its plan's hints.
    const file = fileOf(uri);
    const offset = analysis.lineIndex.offsetAt(params.range.start);
    const statement = statementAt(analysis, offset);
    if (!file || !statement || !explainableStatement(statement.segment.sql).ok) return ruleActions;
    const { explainTimeoutMs } = await settings.get(uri);
    const request = {
      uri,
      file,
      sql: statement.segment.sql,
      workspaceRoot: workspaces.rootOf(file)?.directory,
      isMigration: workspaces.isMigration(file),
      lineCount: document.lineCount,
      live: live.database,
      timeoutMs: explainTimeoutMs,
    };
    const indexFixes = await guarded('index quick fixes', () => indexActions(request, plans, hypotheticalCosts));
    return [...ruleActions, ...(indexFixes ?? [])];
  });

  connection.onHover(async (params, token) => {
    const uri = params.textDocument.uri;
    const analysis = await guarded('hover', () => analysisFor(uri, token));
    const file = fileOf(uri);
    if (!analysis || !file) return null;
    const offset = analysis.lineIndex.offsetAt(params.position);
    const snapshot = await schemas.snapshotFor(file);
    const info = snapshot && hoverAt(analysis, offset, snapshot, schemas.originsFor(file));
    if (info) return toHover(info, analysis.lineIndex);
    // On a statement's leading keyword: its plan (plain EXPLAIN, never ANALYZE).
    const leading = statementAtLeadingKeyword(analysis, offset);
    if (!leading || !explainableStatement(leading.statement.segment.sql).ok) return null;
    const { explainTimeoutMs } = await settings.get(uri);
    const response = await guarded('plan hover', () => plans.forHover(file, leading.statement.segment.sql, explainTimeoutMs));
    if (!response || (!response.ok && response.reason === 'refused')) return null;
    const range = { start: leading.start, end: leading.end };
    if (!response.ok) return toHover({ markdown: `**Plan** · not available: ${response.message}`, range }, analysis.lineIndex);
    const at = [{ uri, position: params.position }];
    const links = { open: commandUri('pglens.explainStatement', at), analyze: commandUri('pglens.explainAnalyzeStatement', at) };
    return toHover(planHoverMarkdown({ result: response.results[0], generic: response.generic, shadow: response.shadow, sourceLabel: response.sourceLabel, links }, range), analysis.lineIndex);
  });

  connection.onRequest(ExplainRequest.method, async (params: ExplainRequest.Params, token): Promise<ExplainRequest.Result> => {
    const { explainTimeoutMs } = await settings.get(params.uri);
    let sql = params.text;
    if (sql === undefined && params.position) {
      const analysis = await analysisFor(params.uri, token);
      sql = analysis && statementAt(analysis, analysis.lineIndex.offsetAt(params.position))?.segment.sql;
    }
    if (sql === undefined) return { ok: false, reason: 'refused', message: 'Put the cursor in a statement (or select one) to explain it.' };
    const response = await guarded('explain', () =>
      plans.explain(fileOf(params.uri), sql, { analyze: params.analyze, confirmedWrites: params.confirmedWrites, timeoutMs: explainTimeoutMs }),
    );
    return response ?? { ok: false, reason: 'database', message: 'EXPLAIN failed; see the pglens output for details.' };
  });

  connection.onRequest(IndexMigrationRequest.method, async (params: IndexMigrationRequest.Params): Promise<IndexMigrationRequest.Result> => {
    const file = params.uri ? fileOf(params.uri) : undefined;
    const root = (file ? workspaces.rootOf(file) : undefined)?.directory ?? workspaces.roots()[0]?.directory;
    if (!root) return { ok: false, message: 'Open a workspace folder: the index goes into a new migration there.' };
    const statements = indexStatements(params.index);
    const edit = newMigrationEdit(root, statements.name, statements.create, statements.drop, new Date());
    const files = edit.documentChanges.flatMap((change) => ('kind' in change && change.kind === 'create' ? [URI.parse(change.uri).fsPath] : []));
    return { ok: true, edit, files };
  });

  connection.onRequest(GenerateMigrationRequest.method, async (params: GenerateMigrationRequest.Params): Promise<GenerateMigrationRequest.Result> => {
    const target = fileOf(params.uri);
    const root = target ? (workspaces.rootOf(target)?.directory ?? workspaces.roots().find((candidate) => target.startsWith(candidate.directory))?.directory) : undefined;
    if (!target || !root) return { ok: false, message: 'Generate migration works on files and folders inside an open workspace folder.' };
    const result = await guarded('generate migration', () => generateForEditor(params, target, { workspaceRoot: root, live: live.clientConfig, cacheDir: workspaces.cacheDir }));
    return result ?? { ok: false, message: 'Generating the migration failed; see the pglens output for details.' };
  });

  connection.onRequest(ParsePlanRequest.method, async (params: ParsePlanRequest.Params): Promise<ParsePlanRequest.Result> => {
    const file = params.uri ? fileOf(params.uri) : undefined;
    const snapshot = live.snapshot ?? (file ? await schemas.snapshotFor(file) : undefined);
    const parsed = tryParsePlan(params.text, { snapshot });
    return 'error' in parsed ? { ok: false, message: parsed.error, line: parsed.line } : { ok: true, results: parsed.results };
  });

  connection.onCompletion(async (params, token) => {
    const analysis = await guarded('completion', () => analysisFor(params.textDocument.uri, token));
    const file = fileOf(params.textDocument.uri);
    const snapshot = analysis && file ? await schemas.snapshotFor(file) : undefined;
    if (!analysis || !snapshot) return [];
    return completionsAt(analysis, analysis.lineIndex.offsetAt(params.position), snapshot).map(toCompletionItem);
  });

  connection.onDefinition(async (params, token) => {
    const analysis = await guarded('definition', () => analysisFor(params.textDocument.uri, token));
    const file = fileOf(params.textDocument.uri);
    const origins = file ? schemas.originsFor(file) : undefined;
    if (!analysis || !file || !origins) return [];
    const snapshot = await schemas.snapshotFor(file);
    return definitionAt(analysis, analysis.lineIndex.offsetAt(params.position), origins, snapshot).map((location) => toLocation(location, textOf(location.path) ?? ''));
  });

  /** A `command:` link for hover markdown (the client trusts pglens's own commands). */
  function commandUri(command: string, args: unknown[]): string {
    return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
  }

  /** A failing feature logs and answers empty; cancellations pass through. The server keeps running. */
  async function guarded<T>(feature: string, run: () => Promise<T | undefined>): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      connection.console.error(`pglens ${feature} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return undefined;
    }
  }

  documents.listen(connection);
  connection.listen();
}

declare const PGLENS_VERSION: string;
