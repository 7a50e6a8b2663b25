import type { Connection, ServerCapabilities } from 'vscode-languageserver';
import { explainableStatement } from '../explain/statement';
import { hoverAt } from '../features/hover';
import { planHoverMarkdown, statementAtLeadingKeyword } from '../features/plan-hover';
import { toHover } from './convert';
import type { Session } from './session';

/** Hover: what a name is (from the schema), or on a statement's leading keyword its plan (plain EXPLAIN, never ANALYZE). */
export function registerHover(connection: Connection, session: Session): ServerCapabilities {
  connection.onHover(async (params, token) => {
    const uri = params.textDocument.uri;
    const analysis = await session.guarded('hover', () => session.analysisFor(uri, token));
    const file = session.fileOf(uri);
    if (!analysis || !file) return null;
    const offset = analysis.lineIndex.offsetAt(params.position);
    const snapshot = await session.schemas.snapshotFor(file);
    const info = snapshot && hoverAt(analysis, offset, snapshot, session.schemas.originsFor(file));
    if (info) return toHover(info, analysis.lineIndex);
    const leading = statementAtLeadingKeyword(analysis, offset);
    if (!leading || !explainableStatement(leading.statement.segment.sql).ok) return null;
    const { explainTimeoutMs } = await session.settings.get(uri);
    const response = await session.guarded('plan hover', () => session.plans.forHover(file, leading.statement.segment.sql, explainTimeoutMs));
    if (!response || (!response.ok && response.reason === 'refused')) return null;
    const range = { start: leading.start, end: leading.end };
    if (!response.ok) return toHover({ markdown: `**Plan** · not available: ${response.message}`, range }, analysis.lineIndex);
    const at = [{ uri, position: params.position }];
    const links = { open: commandUri('pglens.explainStatement', at), analyze: commandUri('pglens.explainAnalyzeStatement', at) };
    return toHover(planHoverMarkdown({ result: response.results[0], generic: response.generic, shadow: response.shadow, sourceLabel: response.sourceLabel, links }, range), analysis.lineIndex);
  });

  return { hoverProvider: true };
}

/** A `command:` link for hover markdown (the client trusts pglens's own commands). */
function commandUri(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}
