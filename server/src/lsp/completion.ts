import type { Connection, ServerCapabilities } from 'vscode-languageserver';
import { completionsAt } from '../features/completion';
import { toCompletionItem } from './convert';
import type { Session } from './session';

/** Completion of keywords and the schema's names at the cursor. */
export function registerCompletion(connection: Connection, session: Session): ServerCapabilities {
  connection.onCompletion(async (params, token) => {
    const analysis = await session.guarded('completion', () => session.analysisFor(params.textDocument.uri, token));
    const file = session.fileOf(params.textDocument.uri);
    const snapshot = analysis && file ? await session.schemas.snapshotFor(file) : undefined;
    if (!analysis || !snapshot) return [];
    return completionsAt(analysis, analysis.lineIndex.offsetAt(params.position), snapshot).map(toCompletionItem);
  });

  return { completionProvider: { triggerCharacters: ['.', ' ', ':', '"', '('] } };
}
