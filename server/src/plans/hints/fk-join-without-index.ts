/**
 * A join on a foreign key whose referencing columns have no index (needs the schema snapshot). Without
 * it, every lookup from the referenced side scans the referencing table, and so do the foreign-key
 * checks of every DELETE or key UPDATE on the referenced table.
 */
import type { PlanHint, PlanNode } from '../../../../protocol/plan';
import type { TableInfo } from '../../../../protocol/schema';
import { findTable, indexesCovering } from '../../schema/lookup';
import type { TreeNode } from '../tree';
import { subtree } from '../tree';
import type { HintContext } from './context';

const JOINS = new Set(['Hash Join', 'Merge Join', 'Nested Loop']);
const NAME = String.raw`("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)`;
const EQUALITY = new RegExp(`${NAME}\\.${NAME} = ${NAME}\\.${NAME}`, 'gi');

export function fkJoinWithoutIndex(node: PlanNode, context: HintContext): PlanHint | undefined {
  if (!context.snapshot || !JOINS.has(node['Node Type'])) return undefined;
  const below = subtree(context.entry);
  const texts = [node['Hash Cond'], node['Merge Cond'], node['Join Filter']];
  // A nested loop usually carries its join condition in the inner side's index or filter.
  if (node['Node Type'] === 'Nested Loop') for (const child of context.entry.children) texts.push(child.node['Index Cond'], child.node.Filter, child.node['Recheck Cond']);
  for (const text of texts) {
    if (typeof text !== 'string') continue;
    for (const match of text.matchAll(EQUALITY)) {
      const left = resolve(below, unquote(match[1]), context);
      const right = resolve(below, unquote(match[3]), context);
      if (!left || !right) continue;
      const hint = check(left, unquote(match[2]), right, unquote(match[4]), context) ?? check(right, unquote(match[4]), left, unquote(match[2]), context);
      if (hint) return hint;
    }
  }
  return undefined;
}

/** The table a join condition's qualifier (alias) stands for, from the scans under the join. */
function resolve(below: TreeNode[], alias: string, context: HintContext): TableInfo | undefined {
  const scan = below.find((entry) => entry.node.Alias === alias && typeof entry.node['Relation Name'] === 'string');
  if (!scan || !context.snapshot) return undefined;
  const name = String(scan.node['Relation Name']);
  return findTable(context.snapshot, typeof scan.node.Schema === 'string' ? `${scan.node.Schema}.${name}` : name);
}

function check(table: TableInfo, column: string, other: TableInfo, otherColumn: string, context: HintContext): PlanHint | undefined {
  const fk = table.constraints.find(
    (item) =>
      item.kind === 'foreign key' &&
      item.columns[0] === column &&
      item.references?.table === other.name &&
      item.references.schema === other.schema &&
      item.references.columns[0] === otherColumn,
  );
  if (!fk) return undefined;
  if (indexesCovering(table, column)[0]?.columns[0] === column) return undefined;
  return {
    kind: 'fk-join-without-index',
    nodeId: context.entry.id,
    severity: 'warning',
    title: `Join on foreign key ${fk.name} (${table.name}.${fk.columns.join(', ')} → ${other.name}), which has no index`,
    advice: `Index ${table.name} (${fk.columns.join(', ')}): joins from ${other.name} and its foreign-key checks on DELETE scan ${table.name} without it.`,
    index: { schema: table.schema, table: table.name, columns: fk.columns },
  };
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name;
}
