import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CompletionRequest,
  ConfigurationRequest,
  DefinitionRequest,
  HoverRequest,
  WorkspaceDiagnosticRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  DocumentSymbolRequest,
  ExitNotification,
  FoldingRangeRequest,
  InitializeRequest,
  InitializedNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type {
  CodeAction,
  CompletionItem,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  Hover,
  InitializeResult,
  Location,
  Position,
  ProtocolConnection,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

export const SERVER_BUNDLE = path.join(__dirname, '../../dist/server.js');
/** Shared by test runs so the embedded database's initdb happens once per machine, not per test. */
export const TEST_CACHE_DIR = path.join(os.tmpdir(), 'pglens-test-cache');

/** A minimal LSP client over stdio, as an editor would be, answering workspace/configuration from a map. */
export class TestClient {
  readonly connection: ProtocolConnection;
  private readonly versions = new Map<string, number>();
  settings: Record<string, unknown> = {};
  stderr = '';

  private constructor(readonly process: ChildProcessWithoutNullStreams) {
    this.connection = createProtocolConnection(new StreamMessageReader(process.stdout), new StreamMessageWriter(process.stdin));
    process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => this.settings));
    this.connection.listen();
  }

  static async start(
    serverBundle = SERVER_BUNDLE,
    options: { folders?: string[]; cacheDir?: string; shadowStallMs?: number } = {},
  ): Promise<{ client: TestClient; initialize: InitializeResult }> {
    const child = spawn(process.execPath, [serverBundle, '--stdio'], { stdio: 'pipe' });
    const client = new TestClient(child);
    const initialize = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: (options.folders ?? []).map((folder) => ({ uri: pathToFileURL(folder).href, name: path.basename(folder) })),
      initializationOptions: { cacheDir: options.cacheDir ?? TEST_CACHE_DIR, shadowStallMs: options.shadowStallMs },
      capabilities: { workspace: { configuration: true }, textDocument: { diagnostic: { dynamicRegistration: false } } },
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return { client, initialize };
  }

  async open(uri: string, text: string, languageId = 'sql'): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const report = await this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    return report.kind === 'full' ? report.items : [];
  }

  async workspaceDiagnostics(previous: Array<{ uri: string; value: string }> = []): Promise<Array<{ uri: string; kind: string; resultId?: string; items?: Diagnostic[] }>> {
    const report = await this.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: previous });
    return report.items as Array<{ uri: string; kind: string; resultId?: string; items?: Diagnostic[] }>;
  }

  async symbols(uri: string): Promise<DocumentSymbol[]> {
    return ((await this.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) ?? []) as DocumentSymbol[];
  }

  async folding(uri: string): Promise<FoldingRange[]> {
    return (await this.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } })) ?? [];
  }

  async hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const result = await this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    return Array.isArray(result) ? result : (result?.items ?? []);
  }

  async codeActions(uri: string, range: { start: Position; end: Position }, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const result = await this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } });
    return (result ?? []).filter((item): item is CodeAction => 'title' in item && !('command' in item && typeof item.command === 'string'));
  }

  async definition(uri: string, position: Position): Promise<Location[]> {
    const result = await this.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position });
    return (Array.isArray(result) ? result : result ? [result] : []) as Location[];
  }

  /** Repeats `probe` (each a round trip to the server) until it returns something, at most 10 s. */
  async until<T>(probe: () => Promise<T | undefined>): Promise<T | undefined> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined || Date.now() > deadline) return value;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  async stop(): Promise<void> {
    if (this.alive) {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    }
    this.connection.dispose();
    this.process.kill();
  }
}
