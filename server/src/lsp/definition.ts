import type { Connection, ServerCapabilities } from 'vscode-languageserver';
import { definitionAt } from '../features/definition';
import { toLocation } from './convert';
import type { Session } from './session';

/** Go to definition: the migration statement that created (or last changed) the name under the cursor. */
export function registerDefinition(connection: Connection, session: Session): ServerCapabilities {
  connection.onDefinition(async (params, token) => {
    const analysis = await session.guarded('definition', () => session.analysisFor(params.textDocument.uri, token));
    const file = session.fileOf(params.textDocument.uri);
    const origins = file ? session.schemas.originsFor(file) : undefined;
    if (!analysis || !file || !origins) return [];
    const snapshot = await session.schemas.snapshotFor(file);
    return definitionAt(analysis, analysis.lineIndex.offsetAt(params.position), origins, snapshot).map((location) => toLocation(location, session.textOf(location.path) ?? ''));
  });

  return { definitionProvider: true };
}
