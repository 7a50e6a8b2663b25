/**
 * Mermaid `erDiagram` and Graphviz DOT renderings of the diagram model, for READMEs and documents.
 * Names may hold anything PostgreSQL allows (quotes, spaces, unicode, `<>&`): each format's own
 * quoting is applied in one place per format.
 */
import type { ErdModel, ErdRef, ErdRelation } from '../../../protocol/erd';
import { erdKey } from '../../../protocol/erd';
import { displayName } from '../../../protocol/erd-diagram/geometry';

// ---------- Mermaid ----------

/**
 * Mermaid entity names are bare words (`[A-Za-z_][A-Za-z0-9_-]*`) or, since v10.5, an alias in
 * brackets: `id["shown name"]`. Ids are generated; the shown names are escaped with Mermaid's
 * `#code;` entities, which also covers `"`, `<`, `>` and `&`.
 */
function mermaidText(text: string): string {
  return text.replace(/[^A-Za-z0-9 _.,:()\-/]/gu, (char) => `#${char.codePointAt(0)};`);
}

/** A Mermaid attribute type or name: one word of letters, digits, `_`, `-`, `[]`, `()`. */
function mermaidWord(text: string): string {
  const word = text.replace(/[^A-Za-z0-9_\-[\]()]+/g, '_');
  return /^[A-Za-z_]/.test(word) ? word : `_${word}`;
}

const MERMAID_LEFT: Record<string, string> = { one: '||', optionalOne: '|o' };

export function toMermaid(model: ErdModel): string {
  const ids = new Map<string, string>();
  const idOf = (ref: ErdRef): string => {
    const key = erdKey(ref);
    let id = ids.get(key);
    if (!id) ids.set(key, (id = `e${ids.size + 1}`));
    return id;
  };
  const lines = ['erDiagram'];
  for (const table of model.tables) {
    lines.push(`  ${idOf(table)}["${mermaidText(displayName(table, model))}"] {`);
    for (const column of table.columns) {
      const keys = [column.primaryKey ? 'PK' : '', column.foreignKey ? 'FK' : '', column.unique ? 'UK' : ''].filter(Boolean).join(', ');
      const comment = column.name !== mermaidWord(column.name) ? ` "${mermaidText(column.name)}"` : '';
      lines.push(`    ${mermaidWord(column.type)} ${mermaidWord(column.name)}${keys ? ` ${keys}` : ''}${comment}`);
    }
    lines.push('  }');
  }
  for (const view of model.views) {
    lines.push(`  ${idOf(view)}["${mermaidText(`${displayName(view, model)} (${view.materialized ? 'materialized view' : 'view'})`)}"] {`);
    for (const column of view.columns) lines.push(`    ${mermaidWord(column.type)} ${mermaidWord(column.name)}${column.name !== mermaidWord(column.name) ? ` "${mermaidText(column.name)}"` : ''}`);
    lines.push('  }');
  }
  for (const stub of model.stubs ?? []) lines.push(`  ${idOf(stub)}["${mermaidText(displayName(stub, model))}"]`);
  for (const relation of model.relations) {
    // Referenced side: exactly one (the key exists); referencing side: zero-or-one / one, or zero-or-many / one-or-many.
    const many = relation.cardinality === 'many-to-one';
    const right = relation.optional ? (many ? 'o{' : 'o|') : many ? '|{' : '||';
    const from = idOf({ schema: relation.from.schema, name: relation.from.table });
    const to = idOf({ schema: relation.to.schema, name: relation.to.table });
    lines.push(`  ${to} ${MERMAID_LEFT.one}--${right} ${from} : "${mermaidText(relationLabel(relation))}"`);
  }
  for (const table of model.tables) for (const parent of table.inherits ?? []) lines.push(`  ${idOf(parent)} ||..o| ${idOf(table)} : "inherits"`);
  for (const view of model.views) for (const source of view.dependsOn) lines.push(`  ${idOf(source)} ||..o{ ${idOf(view)} : "reads"`);
  return `${lines.join('\n')}\n`;
}

function relationLabel(relation: ErdRelation): string {
  const actions = [relation.onDelete !== 'no action' ? `on delete ${relation.onDelete}` : '', relation.onUpdate !== 'no action' ? `on update ${relation.onUpdate}` : ''].filter(Boolean);
  return `${relation.from.columns.join(', ')}${actions.length ? ` (${actions.join(', ')})` : ''}`;
}

// ---------- DOT ----------

/** A DOT double-quoted string: only `"` and `\` need a backslash; newlines become `\n`. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/** Text inside a DOT HTML-like label: XML escaping. */
export function dotHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function toDot(model: ErdModel): string {
  const lines = ['digraph erd {', '  graph [rankdir=LR, fontname="Helvetica", splines=true, overlap=false];', '  node [shape=plain, fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.8];'];
  const bySchema = new Map<string, string[]>();
  const push = (schema: string, line: string): void => void (bySchema.get(schema) ?? bySchema.set(schema, []).get(schema)!).push(line);
  for (const table of model.tables) {
    const rows = table.columns.map((column, index) => {
      const mark = [column.primaryKey ? 'PK' : '', column.foreignKey ? 'FK' : '', column.unique ? 'UK' : ''].filter(Boolean).join(' ');
      return `<tr><td port="c${index}" align="left">${column.primaryKey ? '<b>' : ''}${dotHtml(column.name)}${column.primaryKey ? '</b>' : ''}</td><td align="left"><font color="#666666">${dotHtml(column.type)}${column.nullable ? '' : ' not null'}</font></td><td>${mark}</td></tr>`;
    });
    push(table.schema, `    ${dotString(erdKey(table))} [label=<<table border="1" cellborder="0" cellspacing="0" cellpadding="3"><tr><td colspan="3" bgcolor="#dbe7f5"><b>${dotHtml(displayName(table, model))}</b></td></tr>${rows.join('')}</table>>];`);
  }
  for (const view of model.views) {
    const rows = view.columns.map((column) => `<tr><td align="left">${dotHtml(column.name)}</td><td align="left"><font color="#666666">${dotHtml(column.type)}</font></td></tr>`);
    push(view.schema, `    ${dotString(erdKey(view))} [label=<<table border="1" style="dashed" cellborder="0" cellspacing="0" cellpadding="3"><tr><td colspan="2" bgcolor="#e8e0f5"><i>${dotHtml(displayName(view, model))}</i> (${view.materialized ? 'materialized view' : 'view'})</td></tr>${rows.join('')}</table>>];`);
  }
  for (const stub of model.stubs ?? []) push(stub.schema, `    ${dotString(erdKey(stub))} [shape=box, style=dashed, label=${dotString(displayName(stub, model))}];`);
  let cluster = 0;
  for (const [schema, nodes] of [...bySchema].sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(`  subgraph cluster_${cluster++} {`, `    label=${dotString(schema)}; style=rounded; color="#999999";`, ...nodes, '  }');
  }
  for (const relation of model.relations) {
    const from = erdKey({ schema: relation.from.schema, name: relation.from.table });
    const to = erdKey({ schema: relation.to.schema, name: relation.to.table });
    const tail = relation.cardinality === 'many-to-one' ? (relation.optional ? 'crowodot' : 'crowtee') : relation.optional ? 'teeodot' : 'teetee';
    lines.push(`  ${dotString(from)} -> ${dotString(to)} [dir=both, arrowtail=${tail}, arrowhead=teetee, label=${dotString(relationLabel(relation))}, tooltip=${dotString(relation.name)}];`);
  }
  for (const table of model.tables) for (const parent of table.inherits ?? []) lines.push(`  ${dotString(erdKey(table))} -> ${dotString(erdKey(parent))} [style=dashed, arrowhead=empty, label="inherits"];`);
  for (const view of model.views) for (const source of view.dependsOn) lines.push(`  ${dotString(erdKey(view))} -> ${dotString(erdKey(source))} [style=dotted, arrowhead=vee, color="#8866aa"];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
