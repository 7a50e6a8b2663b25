import { CodeActionKind } from 'vscode-languageserver';
import type { CodeAction, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { IndexSuggestion } from '../../../protocol/plan';
import type { Database } from '../db/port';
import type { SchemaDiff } from '../diff';
import { formatNumber } from '../features/plan-hover';
import { conventionFor, renderMigrationFiles } from '../generate/conventions';
import { hypotheticalCost } from '../indexes/hypothetical';
import type { HypotheticalCost } from '../indexes/hypothetical';
import { indexStatements } from '../indexes/suggest';
import type { PlanService } from './plan-service';

export interface IndexActionRequest {
  uri: string;
  file: string;
  /** The statement the cursor is in. */
  sql: string;
  /** The workspace folder holding the file (new migrations go into its convention), if any. */
  workspaceRoot?: string;
  /** Whether the file is itself a migration: the index can go at its end instead. */
  isMigration: boolean;
  /** Line count of the document, to append at its end. */
  lineCount: number;
  /** The live database, for hypopg's verification. */
  live?: Database;
  timeoutMs: number;
  now?: Date;
}

/**
 * Missing-index quick fixes for the statement under the cursor: from the plan's hints that name an
 * index (an indexable sequential scan, a join on a foreign key without one). With hypopg on the live
 * server the title shows the planner's cost before and after. The fix writes a new migration in the
 * workspace's convention (or appends to the current migration); it never touches the database.
 */
export async function indexActions(request: IndexActionRequest, plans: PlanService, costs: Map<string, Promise<HypotheticalCost | undefined>>): Promise<CodeAction[]> {
  const response = await plans.forHover(request.file, request.sql, request.timeoutMs);
  if (!response.ok) return [];
  const suggestions = uniqueSuggestions(response.results.flatMap((result) => (result.pglens?.hints ?? []).flatMap((hint) => (hint.index ? [hint.index] : []))));
  const actions: CodeAction[] = [];
  for (const suggestion of suggestions) {
    const statements = indexStatements(suggestion);
    let cost: HypotheticalCost | undefined;
    if (request.live) {
      const key = `${request.sql}\0${statements.hypothetical}`;
      let pending = costs.get(key);
      if (!pending) {
        pending = hypotheticalCost(request.live, request.sql, statements.hypothetical, request.timeoutMs).catch(() => undefined);
        costs.set(key, pending);
      }
      cost = await pending;
      // The planner would not use it: not worth proposing.
      if (cost && !cost.used) continue;
    }
    const figures = cost ? `: cost ${formatNumber(cost.before)} → ${formatNumber(cost.after)}` : '';
    if (request.workspaceRoot) {
      actions.push({
        title: `Create index on ${statements.label}${figures} (new migration)`,
        kind: CodeActionKind.QuickFix,
        edit: newMigrationEdit(request.workspaceRoot, statements.name, statements.create, statements.drop, request.now ?? new Date()),
      });
    }
    if (request.isMigration) {
      actions.push({
        title: `Add index on ${statements.label} to this migration${figures}`,
        kind: CodeActionKind.QuickFix,
        edit: { changes: { [request.uri]: [{ range: { start: { line: request.lineCount, character: 0 }, end: { line: request.lineCount, character: 0 } }, newText: `\n${statements.create};\n` }] } },
      });
    }
  }
  return actions;
}

/** A migration holding only the index, in the workspace's convention, created by the edit (nothing is written until it is applied). */
export function newMigrationEdit(workspaceRoot: string, name: string, create: string, drop: string, now: Date): WorkspaceEdit & { documentChanges: NonNullable<WorkspaceEdit['documentChanges']> } {
  const { convention, existing } = conventionFor(workspaceRoot);
  const change = (kind: string, sql: string): SchemaDiff => ({ changes: [{ kind, object: name, statements: [sql], transactional: false }], hazards: [], renameCandidates: [], safe: true });
  const files = renderMigrationFiles({ up: change('create index', create), down: change('drop index', drop) }, convention, `add_${name}`, now, existing);
  const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [];
  for (const file of files) {
    const uri = URI.file(file.path).toString();
    documentChanges.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } });
    const edit: TextDocumentEdit = { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: file.content }] };
    documentChanges.push(edit);
  }
  return { documentChanges };
}

function uniqueSuggestions(suggestions: IndexSuggestion[]): IndexSuggestion[] {
  const seen = new Set<string>();
  return suggestions.filter((suggestion) => {
    const key = JSON.stringify([suggestion.schema, suggestion.table, suggestion.columns, suggestion.predicate]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
