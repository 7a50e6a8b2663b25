/** Commands of the ER diagram: open it, or open it focused on a table (editor context menu, schema view). */
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { tableNameAt } from './erd-panel';
import type { SchemaNode } from './schema-tree';

export async function openErdCommand(ctx: Ctx): Promise<void> {
  await ctx.erd.open();
}

/** From the schema view (a node), a command link (a name), or the editor (the name under the cursor). */
export async function showTableInErdCommand(ctx: Ctx, target?: unknown): Promise<void> {
  let table: string | undefined;
  if (typeof target === 'string') table = target;
  else if (isNode(target) && target.table) table = `${target.table.schema}.${target.table.name}`;
  else {
    const editor = vscode.window.activeTextEditor;
    table = editor ? tableNameAt(editor.document, editor.selection.active) : undefined;
  }
  if (!table) {
    table = await vscode.window.showInputBox({ prompt: 'Table to show in the ER diagram', placeHolder: 'schema.table' });
    if (!table) return;
  }
  await ctx.erd.open(table);
}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && 'kind' in value && 'label' in value;
}
