/**
 * The pglens side bar's schema view: the source (connection or embedded shadow) → schemas → tables
 * (with their RLS state) → columns, indexes, foreign keys and policies. A table's context menu opens
 * the ER diagram focused on it; other features add their entries to the same `pglens.table` items
 * (package.json `view/item/context`, e.g. the RLS policy editor in group `2_rls`).
 */
import * as vscode from 'vscode';
import { ErdChangedNotification, SchemaTreeRequest } from '../../protocol/erd';
import type { SchemaSnapshot, TableInfo } from '../../protocol/schema';
import type { ClientHost } from './host';

export const SCHEMA_VIEW_ID = 'pglens.schema';

/** Context values the menus match on (`viewItem == pglens.table`). */
export type SchemaNodeKind = 'source' | 'schema' | 'table' | 'group' | 'column' | 'index' | 'foreignKey' | 'policy' | 'message';

export interface SchemaNode {
  kind: SchemaNodeKind;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  /** For tables (and everything under one): the table. */
  table?: { schema: string; name: string };
  children?: () => SchemaNode[];
}

export class SchemaTree implements vscode.TreeDataProvider<SchemaNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SchemaNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private loaded: Promise<SchemaNode[]> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static register(ctx: ClientHost): SchemaTree {
    const tree = new SchemaTree(ctx);
    ctx.extension.subscriptions.push(tree, vscode.window.createTreeView(SCHEMA_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }));
    return tree;
  }

  constructor(private readonly ctx: ClientHost) {
    ctx.onDidStart((client) => {
      this.refresh();
      return client.onNotification(ErdChangedNotification.method, () => this.refresh());
    });
    this.disposables.push(
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (/\.(sql|pgsql|psql)$/i.test(document.fileName)) this.refresh();
      }),
    );
  }

  refresh(): void {
    this.loaded = undefined;
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  getTreeItem(node: SchemaNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, node.children ? (node.kind === 'source' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None);
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = `pglens.${node.kind}`;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
    return item;
  }

  async getChildren(node?: SchemaNode): Promise<SchemaNode[]> {
    if (node) return node.children?.() ?? [];
    if (!this.ctx.serverRunning) return [{ kind: 'message', label: 'The pglens language server is not running.' }];
    this.loaded ??= this.load();
    return this.loaded;
  }

  private async load(): Promise<SchemaNode[]> {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    try {
      const result = await this.ctx.client.sendRequest<SchemaTreeRequest.Result>(SchemaTreeRequest.method, { uri } satisfies SchemaTreeRequest.Params);
      if (!result.ok) return [{ kind: 'message', label: result.message, icon: 'info' }];
      return [sourceNode(result.sourceLabel, result.snapshot)];
    } catch (error) {
      return [{ kind: 'message', label: `Cannot read the schema: ${error instanceof Error ? error.message : String(error)}`, icon: 'error' }];
    }
  }
}

export function sourceNode(label: string, snapshot: SchemaSnapshot): SchemaNode {
  const tables = snapshot.tables.filter((table) => !table.partitionOf);
  const schemas = [...new Set([...tables.map((table) => table.schema), ...snapshot.views.map((view) => view.schema)])].sort();
  return {
    kind: 'source',
    label,
    description: `${tables.length} tables`,
    icon: snapshot.source === 'pg' ? 'database' : 'beaker',
    children: () =>
      schemas.map((schema) => {
        const inSchema = tables.filter((table) => table.schema === schema);
        return { kind: 'schema', label: schema, description: `${inSchema.length} tables`, icon: 'symbol-namespace', children: () => inSchema.map(tableNode) };
      }),
  };
}

function tableNode(table: TableInfo): SchemaNode {
  const ref = { schema: table.schema, name: table.name };
  const rls = table.rlsEnabled ? `RLS on${table.rlsForced ? ' (forced)' : ''} · ${table.policies.length} polic${table.policies.length === 1 ? 'y' : 'ies'}` : 'RLS off';
  const foreignKeys = table.constraints.filter((constraint) => constraint.kind === 'foreign key');
  const group = (label: string, icon: string, children: SchemaNode[]): SchemaNode => ({ kind: 'group', label, description: String(children.length), icon, table: ref, ...(children.length ? { children: () => children } : {}) });
  return {
    kind: 'table',
    label: table.name,
    description: rls,
    tooltip: `${table.kind} ${table.schema}.${table.name}${table.comment ? `\n${table.comment}` : ''}`,
    icon: table.rlsEnabled ? 'shield' : 'table',
    table: ref,
    children: () => [
      group('Columns', 'symbol-field', table.columns.map((column) => ({ kind: 'column', label: column.name, description: `${column.type}${column.nullable ? '' : ' not null'}`, icon: 'symbol-field', table: ref }))),
      group('Indexes', 'list-tree', table.indexes.map((index) => ({ kind: 'index', label: index.name, description: `${index.unique ? 'unique ' : ''}${index.method} (${index.columns.join(', ')})`, tooltip: index.definition, icon: 'key', table: ref }))),
      group('Foreign keys', 'references', foreignKeys.map((constraint) => ({ kind: 'foreignKey', label: constraint.name, description: `(${constraint.columns.join(', ')}) → ${constraint.references ? `${constraint.references.table}(${constraint.references.columns.join(', ')})` : '?'}`, tooltip: constraint.definition, icon: 'arrow-right', table: ref }))),
      group('Policies', 'shield', table.policies.map((policy) => ({ kind: 'policy', label: policy.name, description: `${policy.command} ${policy.permissive ? 'permissive' : 'restrictive'} to ${policy.roles.join(', ') || 'public'}`, tooltip: [policy.using && `USING (${policy.using})`, policy.withCheck && `WITH CHECK (${policy.withCheck})`].filter(Boolean).join('\n'), icon: 'law', table: ref }))),
    ],
  };
}
