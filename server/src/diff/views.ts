/**
 * Views and materialized views, in dependency order: a view over a view is created after it and
 * dropped before it; views over reshaped tables (a column's type changed, dropped or renamed) and
 * views over recreated views are dropped and created again.
 */
import type { SchemaSnapshot, ViewInfo } from '../../../protocol/schema';
import { commentLiteral, qualified } from '../sql/quote';
import type { DiffContext } from './context';
import { byKey, display, looseDefinition, PHASE, references, replaceQualified, trimStatement } from './context';
import { columnComment, createTrigger, diffTriggers, indexComment } from './table-parts';
import type { TableEffects } from './tables';

const viewKey = (v: { schema: string; name: string }) => `${v.schema}\u0000${v.name}`;

/** Depth of each view in the graph of views over views (0: over tables only). */
function depths(views: ViewInfo[], refs: (view: ViewInfo) => Set<string>): Map<string, number> {
  const byName = byKey(views, viewKey);
  const result = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (view: ViewInfo): number => {
    const k = viewKey(view);
    const known = result.get(k);
    if (known !== undefined) return known;
    if (visiting.has(k)) return 0;
    visiting.add(k);
    let d = 0;
    for (const r of refs(view)) {
      const other = byName.get(r);
      if (other && other !== view) d = Math.max(d, depthOf(other) + 1);
    }
    visiting.delete(k);
    result.set(k, d);
    return d;
  };
  for (const view of views) depthOf(view);
  return result;
}

/** `droppedFunctions`: functions dropped by this diff (`schema\0name`); views calling them are recreated. */
export function diffViews(ctx: DiffContext, current: SchemaSnapshot, desired: SchemaSnapshot, effects: TableEffects, droppedFunctions: Set<string> = new Set()): void {
  const before = byKey(current.views, viewKey);
  const after = byKey(desired.views, viewKey);
  const cache = new Map<ViewInfo, Set<string>>();
  const refs = (view: ViewInfo) => {
    let found = cache.get(view);
    if (!found) cache.set(view, (found = references(view.definition)));
    return found;
  };
  const oldDepth = depths(current.views, refs);
  const newDepth = depths(desired.views, refs);

  // Rewrite the old definitions under renamed tables' new names (PostgreSQL follows renames).
  const renamedDefinition = (view: ViewInfo) => {
    let text = view.definition;
    for (const [k, table] of effects.renamed) {
      const [schema, name] = k.split('\u0000');
      text = replaceQualified(text, { schema, name }, table);
    }
    return text;
  };

  // Across versions the same view may print differently: compared loosely, with the same columns.
  const sameDefinition = (old: ViewInfo, view: ViewInfo) => {
    const before = renamedDefinition(old);
    if (before === view.definition) return true;
    return ctx.crossVersion && looseDefinition(before) === looseDefinition(view.definition) && sameColumns(old, view);
  };

  // Which old views must go: gone, changed beyond CREATE OR REPLACE, or over something reshaped.
  const recreate = new Set<string>();
  // Reshaped tables by their current names (a renamed table's views name it by the old one).
  const reshaped = new Set([...effects.reshaped, ...effects.dropped, ...droppedFunctions]);
  for (const [k, table] of effects.renamed) if (effects.reshaped.has(viewKey(table))) reshaped.add(k);
  for (const [k, old] of before) {
    const view = after.get(k);
    if (!view || old.materialized !== view.materialized) recreate.add(k);
    else if (!sameDefinition(old, view) && (old.materialized || !replaceable(old, view))) recreate.add(k);
    else if ([...refs(old)].some((r) => reshaped.has(r))) recreate.add(k);
  }
  // And every view over a view that goes.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [k, old] of before) {
      if (recreate.has(k) || ![...refs(old)].some((r) => recreate.has(r))) continue;
      recreate.add(k);
      grew = true;
    }
  }

  for (const k of recreate) {
    const old = before.get(k);
    if (!old) continue;
    const name = display(old.schema, old.name);
    const word = old.materialized ? 'MATERIALIZED VIEW' : 'VIEW';
    const gone = !after.has(k);
    ctx.drop(old.materialized ? PHASE.matview : PHASE.view, `drop ${old.materialized ? 'materialized view' : 'view'}`, name, [`DROP ${word} ${qualified(old.schema, old.name)}`],
      gone && old.materialized ? { kind: 'drop', object: name, message: `drops materialized view ${name}` } : undefined, oldDepth.get(k) ?? 0);
  }
  for (const [k, view] of after) {
    const old = before.get(k);
    const rank = newDepth.get(k) ?? 0;
    if (!old || recreate.has(k)) {
      createView(ctx, view, rank);
      continue;
    }
    const name = display(view.schema, view.name);
    if (!sameDefinition(old, view)) {
      ctx.add(PHASE.view, 'replace view', name, [`CREATE OR REPLACE VIEW ${qualified(view.schema, view.name)} AS ${trimStatement(view.definition)}`], { rank });
    }
    alterViewOptions(ctx, old, view);
    if (old.comment !== view.comment) viewComment(ctx, view);
    const oldColumns = byKey(old.columns, (c) => c.name);
    for (const column of view.columns) if (oldColumns.get(column.name)?.comment !== column.comment) columnComment(ctx, view, column);
    if (view.materialized) diffMatviewIndexes(ctx, old, view);
    diffTriggers(ctx, old, view, old.triggers ?? [], view.triggers ?? [], (text) => text);
  }
}

function sameColumns(old: ViewInfo, view: ViewInfo): boolean {
  return old.columns.length === view.columns.length && replaceable(old, view);
}

/** CREATE OR REPLACE VIEW may only append columns: the old ones must stay, same names and types, in order. */
function replaceable(old: ViewInfo, view: ViewInfo): boolean {
  if (view.columns.length < old.columns.length) return false;
  return old.columns.every((c, k) => view.columns[k].name === c.name && view.columns[k].type === c.type && view.columns[k].collation === c.collation);
}

function createView(ctx: DiffContext, view: ViewInfo, rank: number): void {
  const q = qualified(view.schema, view.name);
  const name = display(view.schema, view.name);
  const options = view.options && view.options.length > 0 ? ` WITH (${view.options.join(', ')})` : '';
  if (view.materialized) {
    ctx.add(PHASE.matview, 'create materialized view', name, [`CREATE MATERIALIZED VIEW ${q}${options} AS ${trimStatement(view.definition)}`], { rank });
    for (const index of view.indexes ?? []) {
      ctx.add(PHASE.matview, 'create index', display(view.schema, index.name), [index.definition], { rank: rank + 0.5 });
      if (index.comment !== undefined) indexComment(ctx, view.schema, index.name, index.comment);
    }
  } else {
    ctx.add(PHASE.view, 'create view', name, [`CREATE VIEW ${q}${options} AS ${trimStatement(view.definition)}`], { rank });
  }
  if (view.comment !== undefined) viewComment(ctx, view);
  for (const column of view.columns) if (column.comment !== undefined) columnComment(ctx, view, column);
  for (const trigger of view.triggers ?? []) createTrigger(ctx, view, trigger);
}

function alterViewOptions(ctx: DiffContext, old: ViewInfo, view: ViewInfo): void {
  const parse = (options: string[] | undefined) => new Map((options ?? []).map((o) => [o.slice(0, o.indexOf('=')), o]));
  const before = parse(old.options);
  const after = parse(view.options);
  const q = qualified(view.schema, view.name);
  const word = view.materialized ? 'MATERIALIZED VIEW' : 'VIEW';
  const statements: string[] = [];
  const reset = [...before.keys()].filter((k) => !after.has(k));
  const set = [...after].filter(([k, o]) => before.get(k) !== o).map(([, o]) => o);
  if (reset.length > 0) statements.push(`ALTER ${word} ${q} RESET (${reset.join(', ')})`);
  if (set.length > 0) statements.push(`ALTER ${word} ${q} SET (${set.join(', ')})`);
  ctx.add(PHASE.view, 'alter view', display(view.schema, view.name), statements, { rank: 100 });
}

function diffMatviewIndexes(ctx: DiffContext, old: ViewInfo, view: ViewInfo): void {
  const before = byKey(old.indexes ?? [], (i) => i.name);
  const after = byKey(view.indexes ?? [], (i) => i.name);
  for (const [n, index] of before) {
    if (after.get(n)?.definition === index.definition) continue;
    ctx.drop(PHASE.matview, 'drop index', display(old.schema, n), [`DROP INDEX ${qualified(old.schema, n)}`], undefined, 100);
  }
  for (const [n, index] of after) {
    const was = before.get(n);
    if (was?.definition !== index.definition) ctx.add(PHASE.matview, 'create index', display(view.schema, n), [index.definition], { rank: 100 });
    if ((was?.definition === index.definition ? was.comment : undefined) !== index.comment) indexComment(ctx, view.schema, n, index.comment);
  }
}

function viewComment(ctx: DiffContext, view: ViewInfo): void {
  const word = view.materialized ? 'MATERIALIZED VIEW' : 'VIEW';
  ctx.add(PHASE.comment, 'comment', display(view.schema, view.name), [`COMMENT ON ${word} ${qualified(view.schema, view.name)} IS ${commentLiteral(view.comment)}`]);
}

