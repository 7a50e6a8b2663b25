import { CodeActionKind } from 'vscode-languageserver';
import type { CodeAction, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { IndexSuggestion } from '../../../protocol/plan';
import type { Database } from '../db/port';
import type { SchemaDiff } from '../diff';
import { conventionFor, renderMigrationFiles } from '../generate/conventions';
import { adviseStatement, costChange } from '../indexes/advise';
import type { StatementAdvice } from '../indexes/advise';
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

/** Advice per statement on the live database, kept until the snapshot or the connection changes (server.ts clears it). */
export type IndexAdviceCache = Map<string, Promise<StatementAdvice | undefined>>;

/**
 * Missing-index quick fixes for the statement under the cursor (Ctrl+. anywhere in it). On a live
 * server with hypopg: the indexes advise.ts confirms (at least half the cost removed, before → after in
 * the title, best first, at most two). Elsewhere (the shadow, or no hypopg): the indexes the plan's
 * hints name, uncosted. The fix writes a new migration in the workspace's convention (or appends to the
 * current migration); it never touches the database.
 */
export async function indexActions(request: IndexActionRequest, plans: PlanService, cache: IndexAdviceCache): Promise<CodeAction[]> {
  const advised = request.live ? await cachedAdvice(request.live, request.sql, request.timeoutMs, cache) : undefined;
  const fixes: Array<{ indexes: IndexSuggestion[]; figures: string }> = [];
  if (advised && !advised.note) {
    const shown = new Set<string>();
    for (const item of advised.indexes) {
      if (shown.has(item.create)) continue;
      const group = [item, ...advised.indexes.filter((other) => item.together?.includes(other.create))];
      for (const member of group) shown.add(member.create);
      fixes.push({ indexes: group.map((member) => member.index), figures: `: ${costChange(item)}${item.estimated ? ' (estimated)' : ''}` });
    }
  } else {
    const response = await plans.forHover(request.file, request.sql, request.timeoutMs);
    if (!response.ok) return [];
    const suggestions = uniqueSuggestions(response.results.flatMap((result) => (result.pglens?.hints ?? []).flatMap((hint) => (hint.index ? [hint.index] : []))));
    fixes.push(...suggestions.map((index) => ({ indexes: [index], figures: '' })));
  }
  const actions: CodeAction[] = [];
  for (const fix of fixes) {
    const statements = fix.indexes.map(indexStatements);
    const label = statements.map((item) => item.label).join(' + ');
    const name = statements.map((item) => item.name).join('_and_').slice(0, 100);
    const create = statements.map((item) => item.create).join(';\n');
    const drop = statements.map((item) => item.drop).join(';\n');
    if (request.workspaceRoot) {
      actions.push({
        title: `Create index on ${label}${fix.figures} (new migration)`,
        kind: CodeActionKind.QuickFix,
        edit: newMigrationEdit(request.workspaceRoot, name, create, drop, request.now ?? new Date()),
      });
    }
    if (request.isMigration) {
      actions.push({
        title: `Add index on ${label} to this migration${fix.figures}`,
        kind: CodeActionKind.QuickFix,
        edit: { changes: { [request.uri]: [{ range: { start: { line: request.lineCount, character: 0 }, end: { line: request.lineCount, character: 0 } }, newText: `\n${create};\n` }] } },
      });
    }
  }
  return actions;
}

function cachedAdvice(db: Database, sql: string, timeoutMs: number, cache: IndexAdviceCache): Promise<StatementAdvice | undefined> {
  let pending = cache.get(sql);
  if (!pending) {
    pending = adviseStatement(db, sql, { timeoutMs }).catch(() => undefined);
    cache.set(sql, pending);
  }
  return pending;
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
