import { LSPErrorCodes, ResponseError, TextDocuments } from 'vscode-languageserver';
import { redactSecrets } from '../connection/redact';
import type { CancellationToken, Connection, InitializeParams } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { LiveConnection } from '../connection';
import type { Logger } from '../connection';
import type { DocumentAnalysis } from '../document/analyze';
import { AnalysisStore } from '../document/store';
import type { IndexAdviceCache } from './index-actions';
import { diskText } from '../shadow/session';
import { ShadowWorkerHost } from '../shadow/shadow-worker';
import { loadParser } from '../sql/parser';
import { Workspaces } from '../workspace/workspaces';
import { PlanService } from './plan-service';
import { RuleFindings } from './rule-context';
import { SchemaContext } from './schema-context';
import { SettingsCache, analyzeOptionsOf } from './settings';
import { WorkspaceDiagnostics } from './workspace-diagnostics';

/** Why cached results may be stale: every change the server hears of goes through `Session.invalidate`. */
export type InvalidationReason =
  /** `workspace/didChangeConfiguration`: pglens.* settings (rules, limits, shadow kind) changed. */
  | { kind: 'settings' }
  /** `workspace/didChangeWatchedFiles`: SQL files or pglens.json were created, changed or deleted on disk. */
  | { kind: 'files' }
  /** The live connection connected, disconnected or failed. */
  | { kind: 'connection' }
  /** The live database's schema changed (a new snapshot). */
  | { kind: 'snapshot' }
  /** An open document's text changed. */
  | { kind: 'edit'; uri: string }
  /** A document was closed: what was kept for it goes. */
  | { kind: 'close'; uri: string };

/**
 * What the language server knows and keeps between requests: the open documents, their analyses,
 * settings per document, the workspace folders with their shadows, the live connection, and the
 * caches built on them. Handlers (one module per capability) read through it; every change goes
 * through `invalidate`, so each cache is refreshed in one place.
 */
export class Session {
  readonly documents = new TextDocuments(TextDocument);
  /** The user's database, when connected: hover, completion and query checks use it, read-only. */
  readonly live: LiveConnection;
  readonly settings: SettingsCache;
  readonly schemas: SchemaContext;
  readonly rules: RuleFindings;
  readonly plans: PlanService;
  readonly workspaceDiagnostics = new WorkspaceDiagnostics();
  /** hypopg's cost of a suggested index, per (statement, index): asked once per schema. */
  readonly hypotheticalCosts: IndexAdviceCache = new Map();
  private readonly analyses = new AnalysisStore();
  private shadows = new ShadowWorkerHost();
  private currentWorkspaces = new Workspaces(this.shadows, undefined);
  private clientPullsConfiguration = false;

  constructor(readonly connection: Connection) {
    this.settings = new SettingsCache(connection, () => this.clientPullsConfiguration);
    this.live = new LiveConnection({ logger: lspLogger(connection) });
    this.schemas = new SchemaContext(this.live, () => this.workspaces, (file) => this.textOf(file));
    this.plans = new PlanService(this.live, () => this.workspaces, this.schemas);
    this.rules = new RuleFindings(() => this.workspaces, (message) => connection.console.warn(message));
  }

  get workspaces(): Workspaces {
    return this.currentWorkspaces;
  }

  /** From `initialize`: the client's abilities, the options the extension passes, the workspace folders. */
  async initialize(params: InitializeParams): Promise<void> {
    this.clientPullsConfiguration = params.capabilities.workspace?.configuration === true;
    const options = (params.initializationOptions ?? {}) as { cacheDir?: unknown; shadowStallMs?: unknown };
    if (typeof options.shadowStallMs === 'number') this.shadows = new ShadowWorkerHost(undefined, options.shadowStallMs);
    this.currentWorkspaces = new Workspaces(this.shadows, typeof options.cacheDir === 'string' ? options.cacheDir : undefined);
    const folders = params.workspaceFolders?.map((folder) => URI.parse(folder.uri).fsPath) ?? (params.rootUri ? [URI.parse(params.rootUri).fsPath] : []);
    await Promise.all([loadParser(), this.workspaces.setFolders(folders)]);
  }

  /** Drops what `reason` makes stale and, where findings may have changed, asks the client to pull diagnostics again. */
  async invalidate(reason: InvalidationReason): Promise<void> {
    switch (reason.kind) {
      case 'edit': {
        const file = this.fileOf(reason.uri);
        const document = this.documents.get(reason.uri);
        if (!file || !document) return;
        // Open documents win over the disk: the shadow replays what the user sees.
        this.shadows.setText(file, document.getText());
        this.schemas.invalidate(file);
        if (this.workspaces.isMigration(file)) this.workspaceDiagnostics.invalidate();
        return;
      }
      case 'close': {
        this.rules.forget(reason.uri);
        const file = this.fileOf(reason.uri);
        if (file) this.shadows.setText(file, null);
        this.analyses.delete(reason.uri);
        this.settings.forget(reason.uri);
        return;
      }
      case 'settings':
        this.settings.clear();
        this.analyses.clear();
        this.rules.invalidate();
        // Rule severities and limits apply to the files that are not open too.
        this.workspaceDiagnostics.invalidate();
        void this.updateShadowBackend().catch(() => undefined);
        break;
      case 'files':
        await this.workspaces.rediscover();
        this.schemas.invalidate();
        this.rules.invalidate();
        this.workspaceDiagnostics.invalidate();
        break;
      case 'connection':
        this.plans.invalidate();
        this.hypotheticalCosts.clear();
        this.workspaceDiagnostics.invalidate();
        void this.updateShadowBackend().catch(() => undefined);
        break;
      case 'snapshot':
        this.schemas.invalidate();
        this.plans.invalidate();
        this.hypotheticalCosts.clear();
        this.rules.invalidate();
        this.workspaceDiagnostics.invalidate();
        break;
    }
    this.connection.languages.diagnostics.refresh().catch(() => undefined);
  }

  /** The document's current analysis, or undefined when it is closed, disabled or the request is stale. */
  async analysisFor(uri: string, token: CancellationToken): Promise<DocumentAnalysis | undefined> {
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const documentSettings = await this.settings.get(uri);
    throwIfCancelled(token);
    if (!documentSettings.enable) return undefined;
    return this.analyses.get(uri, document.version, document.getText(), analyzeOptionsOf(documentSettings));
  }

  /** The file a `file:` URI names; other schemes (untitled) have none. */
  fileOf(uri: string): string | undefined {
    const parsed = URI.parse(uri);
    return parsed.scheme === 'file' ? parsed.fsPath : undefined;
  }

  /** An open document's text, else the file's on disk. */
  textOf(file: string): string | undefined {
    return this.documents.get(URI.file(file).toString())?.getText() ?? diskText(file);
  }

  /** A failing feature logs and answers empty; cancellations pass through. The server keeps running. */
  async guarded<T>(feature: string, run: () => Promise<T | undefined>): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      this.connection.console.error(`pglens ${feature} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return undefined;
    }
  }

  async dispose(): Promise<void> {
    this.live.dispose();
    await this.workspaces.dispose();
    await this.shadows.dispose();
  }

  /** `pglens.shadow = server` takes effect while connected: scratch databases on that server replace PGlite. */
  private async updateShadowBackend(): Promise<void> {
    const folder = this.workspaces.roots()[0]?.directory;
    const { shadow } = await this.settings.get(folder ? URI.file(folder).toString() : '');
    await this.workspaces.setShadowServer(shadow === 'server' ? this.live.clientConfig : undefined);
  }
}

/** A newer request superseded this one: the client drops the answer and does not ask again. */
export function throwIfCancelled(token: CancellationToken): void {
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'superseded by a newer request', { retriggerRequest: false });
}

/** Logs to the client's output channel (never stdout, which may be the LSP transport). */
function lspLogger(connection: Connection): Logger {
  return {
    info: (message) => connection.console.info(redactSecrets(message)),
    warn: (message) => connection.console.warn(redactSecrets(message)),
    error: (message) => connection.console.error(redactSecrets(message)),
  };
}
