import type { Connection, ServerCapabilities } from 'vscode-languageserver';
import { foldingRanges } from '../features/folding';
import { documentSymbols } from '../features/symbols';
import { toDocumentSymbol, toFoldingRange } from './convert';
import type { Session } from './session';

/** The document's shape: one symbol per statement (the outline) and folding ranges. */
export function registerOutline(connection: Connection, session: Session): ServerCapabilities {
  connection.onDocumentSymbol(async (params, token) => {
    const analysis = await session.guarded('documentSymbol', () => session.analysisFor(params.textDocument.uri, token));
    return analysis ? documentSymbols(analysis).map(toDocumentSymbol) : [];
  });

  connection.onFoldingRanges(async (params, token) => {
    const analysis = await session.guarded('foldingRange', () => session.analysisFor(params.textDocument.uri, token));
    return analysis ? foldingRanges(analysis).map(toFoldingRange) : [];
  });

  return { documentSymbolProvider: { label: 'pglens' }, foldingRangeProvider: true };
}
