/**
 * Hover: what the name under the cursor is in the schema snapshot, as markdown. The name and its role
 * come from definition.ts (`targetAt`); this module only looks it up and writes it out.
 */
import type { ColumnInfo, FunctionInfo, IndexInfo, SchemaSnapshot, TableInfo, TypeInfo, ViewInfo } from '../../../protocol/schema';
import type { DocumentAnalysis } from '../document/analyze';
import type { ObjectOrigin, ObjectOrigins } from '../schema/origins';
import { findColumn, indexesCovering } from '../schema/lookup';
import { quoteIdentIfNeeded, quoteLiteral } from '../sql/quote';
import { objectKey } from '../schema/origins';
import { originOf } from './definition';
import { targetAt } from './name-at-cursor';
import { resolveTarget } from './resolve';
import type { Resolved } from './resolve';
import { snapshotIndex } from './snapshot-index';
import type { SnapshotIndex } from './snapshot-index';

export interface HoverInfo {
  markdown: string;
  /** UTF-16 document offsets of the hovered name. */
  range: { start: number; end: number };
}

/** Lists longer than this are cut, with a count of the rest. */
const MAX_ROWS = 40;
const VIEW_DEFINITION_LINES = 12;

export function hoverAt(analysis: DocumentAnalysis, offset: number, snapshot: SchemaSnapshot, origins?: ObjectOrigins): HoverInfo | null {
  const found = targetAt(analysis, offset);
  if (!found) return null;
  const index = snapshotIndex(snapshot);
  const resolved = resolveTarget(found.target, index.catalog);
  const markdown = resolved ? describe(resolved, index, origins) : undefined;
  return markdown ? { markdown, range: { start: found.start, end: found.end } } : null;
}

function describe(resolved: Resolved, index: SnapshotIndex, origins: ObjectOrigins | undefined): string | undefined {
  const origin = origins ? originOf(origins, resolved) : undefined;
  switch (resolved.kind) {
    case 'schema':
      return schemaMarkdown(resolved.schema, index);
    case 'relation': {
      const relation = index.relations.get(objectKey(resolved.schema, resolved.name));
      if (!relation) return undefined;
      return relation.kind === 'table' ? tableMarkdown(relation.info, index, origin) : viewMarkdown(relation.info, origin);
    }
    case 'column': {
      const relation = index.relations.get(objectKey(resolved.schema, resolved.table));
      const column = relation && findColumn(relation.info, resolved.column);
      return relation && column ? columnMarkdown(relation.info, column, origin) : undefined;
    }
    case 'index': {
      const found = index.indexes.get(objectKey(resolved.schema, resolved.name));
      return found ? indexMarkdown(found.relation.info, found.index, origin) : undefined;
    }
    case 'function': {
      const overloads = index.functions.get(objectKey(resolved.schema, resolved.name));
      return overloads ? functionMarkdown(overloads, origin) : undefined;
    }
    case 'type': {
      const type = index.types.get(objectKey(resolved.schema, resolved.name));
      return type ? typeMarkdown(type, origin) : undefined;
    }
  }
}

// ---------------------------------------------------------------------------------------------

function tableMarkdown(table: TableInfo, index: SnapshotIndex, origin: ObjectOrigin | undefined): string {
  const out = [`**${table.kind}** ${qualified(table.schema, table.name)}`];
  if (table.partitionOf) out.push(`Partition of ${code(table.partitionOf)} ${code(table.partitionBound ?? '')}`);
  if (table.partitionKey) out.push(`Partitioned by ${code(table.partitionKey)}`);
  out.push(columnTable(table.columns, true));
  const rls = table.rlsEnabled ? `RLS on${table.rlsForced ? ' (forced)' : ''}` : 'RLS off';
  const policies = table.policies.length > 0 ? ` · ${plural(table.policies.length, 'policy', 'policies')}` : '';
  const size = `${formatBytes(table.totalBytes)}${index.sizesEstimated ? ' (estimated)' : ''}`;
  out.push(`${rowEstimate(table.rowEstimate)} · ${size} · ${rls}${policies}`);
  if (table.indexes.length > 0) out.push(`**Indexes**\n\n${list(table.indexes, (idx) => code(idx.definition) + (idx.valid ? '' : ' *(invalid)*'))}`);
  const outgoing = table.constraints.filter((constraint) => constraint.kind === 'foreign key' && constraint.references);
  if (outgoing.length > 0) out.push(`**Foreign keys**\n\n${list(outgoing, (fk) => code(foreignKey(fk)))}`);
  const incoming = index.referencedBy().get(objectKey(table.schema, table.name)) ?? [];
  if (incoming.length > 0) {
    out.push(`**Referenced by**\n\n${list(incoming, ({ table: from, constraint }) => code(`${qualified(from.schema, from.name)}(${constraint.columns.map(quoteIdentIfNeeded).join(', ')})`))}`);
  }
  if (table.comment) out.push(escapeText(table.comment));
  pushOrigin(out, origin);
  return out.join('\n\n');
}

function viewMarkdown(view: ViewInfo, origin: ObjectOrigin | undefined): string {
  const out = [`**${view.materialized ? 'materialized view' : 'view'}** ${qualified(view.schema, view.name)}`];
  if (view.columns.length > 0) out.push(columnTable(view.columns, false));
  const lines = view.definition.trim().split(/\r?\n/);
  const shown = lines.slice(0, VIEW_DEFINITION_LINES).join('\n') + (lines.length > VIEW_DEFINITION_LINES ? '\n…' : '');
  out.push(fence(shown));
  if (view.indexes?.length) out.push(`**Indexes**\n\n${list(view.indexes, (idx) => code(idx.definition))}`);
  if (view.comment) out.push(escapeText(view.comment));
  pushOrigin(out, origin);
  return out.join('\n\n');
}

function columnMarkdown(relation: TableInfo | ViewInfo, column: ColumnInfo, origin: ObjectOrigin | undefined): string {
  const out = [`**column** ${qualified(relation.schema, relation.name)}.${quoteIdentIfNeeded(column.name)}`];
  const facts = [code(column.type), column.nullable ? 'nullable' : 'NOT NULL'];
  if (column.default !== undefined) facts.push(`default ${code(column.default)}`);
  if (column.identity) facts.push(`generated ${column.identity} as identity`);
  if (column.generated !== undefined) facts.push(`generated always as ${code(`(${column.generated})`)} ${column.generatedKind ?? 'stored'}`);
  if (column.collation) facts.push(`collate ${code(column.collation)}`);
  out.push(facts.join(' · '));
  if (column.comment) out.push(escapeText(column.comment));
  if ('constraints' in relation) {
    const keys = relation.constraints.filter((constraint) => constraint.columns.includes(column.name) && constraint.kind !== 'not null');
    const covering = indexesCovering(relation, column.name);
    if (covering.length > 0) out.push(`**Indexes**\n\n${list(covering, (idx) => `${code(idx.name)}${idx.unique ? ' (unique)' : ''} — ${code(idx.definition)}`)}`);
    const fks = keys.filter((constraint) => constraint.kind === 'foreign key' && constraint.references);
    if (fks.length > 0) out.push(`**Foreign key**\n\n${list(fks, (fk) => `${code(foreignKey(fk))} (${code(fk.name)})`)}`);
    const others = keys.filter((constraint) => constraint.kind !== 'foreign key');
    if (others.length > 0) out.push(`**Constraints**\n\n${list(others, (constraint) => `${code(constraint.name)} ${code(constraint.definition)}`)}`);
  }
  pushOrigin(out, origin);
  return out.join('\n\n');
}

function indexMarkdown(relation: TableInfo | ViewInfo, index: IndexInfo, origin: ObjectOrigin | undefined): string {
  const flags = [index.primary ? 'primary key' : index.unique ? 'unique' : '', index.method, formatBytes(index.bytes), index.valid ? '' : 'INVALID'].filter(Boolean);
  const out = [`**index** ${qualified(relation.schema, index.name)} on ${qualified(relation.schema, relation.name)}`, fence(index.definition), flags.join(' · ')];
  pushOrigin(out, origin);
  return out.join('\n\n');
}

function functionMarkdown(overloads: FunctionInfo[], origin: ObjectOrigin | undefined): string {
  const first = overloads[0];
  const title = overloads.length > 1 ? ` (${overloads.length} overloads)` : '';
  const out = [`**${first.kind}** ${qualified(first.schema, first.name)}${title}`];
  for (const fn of overloads) {
    const signature = `${quoteIdentIfNeeded(fn.name)}(${fn.arguments})${fn.kind === 'procedure' ? '' : ` → ${fn.returns}`}`;
    const facts = [`language ${fn.language}`, fn.volatility];
    if (fn.securityDefiner) facts.push('**security definer**');
    if (fn.config.length > 0) facts.push(`set ${fn.config.map(code).join(', ')}`);
    const section = [fence(signature), facts.join(' · ')];
    if (fn.comment) section.push(escapeText(fn.comment));
    out.push(section.join('\n\n'));
  }
  pushOrigin(out, origin);
  return out.join('\n\n');
}

function typeMarkdown(type: TypeInfo, origin: ObjectOrigin | undefined): string {
  const out = [`**${type.kind === 'enum' ? 'enum' : type.kind === 'domain' ? 'domain' : `${type.kind} type`}** ${qualified(type.schema, type.name)}`];
  if (type.kind === 'enum') out.push(`Values: ${(type.values ?? []).map((value) => code(quoteLiteral(value))).join(', ')}`);
  if (type.kind === 'domain') {
    const facts = [`over ${code(type.baseType ?? '?')}`];
    if (type.notNull) facts.push('NOT NULL');
    if (type.default !== undefined) facts.push(`default ${code(type.default)}`);
    out.push(facts.join(' · '));
    if (type.checks?.length) out.push(`**Checks**\n\n${list(type.checks, code)}`);
  }
  if (type.kind === 'composite' && type.attributes) out.push(list(type.attributes, (attribute) => `${escapeText(attribute.name)} ${code(attribute.type)}`));
  if (type.kind === 'range' && type.subtype) out.push(`Range of ${code(type.subtype)}`);
  if (type.comment) out.push(escapeText(type.comment));
  pushOrigin(out, origin);
  return out.join('\n\n');
}

function schemaMarkdown(schema: string, index: SnapshotIndex): string {
  const info = index.schemas.get(schema);
  const out = [`**schema** ${quoteIdentIfNeeded(schema)}`];
  let tables = 0;
  let views = 0;
  for (const relation of index.relations.values()) {
    if (relation.info.schema !== schema) continue;
    if (relation.kind === 'table') tables++;
    else views++;
  }
  let functions = 0;
  for (const overloads of index.functions.values()) if (overloads[0].schema === schema) functions += overloads.length;
  out.push([plural(tables, 'table', 'tables'), plural(views, 'view', 'views'), plural(functions, 'function', 'functions')].join(' · ') + (info ? ` · owner ${code(info.owner)}` : ''));
  if (info?.comment) out.push(escapeText(info.comment));
  return out.join('\n\n');
}

// ---------------------------------------------------------------------------------------------

function columnTable(columns: readonly ColumnInfo[], withDefaults: boolean): string {
  const header = withDefaults ? '| column | type | nullable | default |\n| --- | --- | --- | --- |' : '| column | type |\n| --- | --- |';
  const rows = columns.slice(0, MAX_ROWS).map((column) => {
    const cells = [cell(column.name), cell(column.type)];
    if (withDefaults) cells.push(column.nullable ? 'null' : 'not null', cell(columnDefault(column)));
    return `| ${cells.join(' | ')} |`;
  });
  if (columns.length > MAX_ROWS) rows.push(`| … ${columns.length - MAX_ROWS} more |${withDefaults ? ' | | |' : ' |'}`);
  return [header, ...rows].join('\n');
}

function columnDefault(column: ColumnInfo): string {
  if (column.identity) return `identity ${column.identity}`;
  if (column.generated !== undefined) return `generated (${column.generated})`;
  return column.default ?? '';
}

function foreignKey(fk: TableInfo['constraints'][number]): string {
  const references = fk.references;
  if (!references) return fk.definition;
  const actions = [fk.onDelete && fk.onDelete !== 'NO ACTION' ? ` ON DELETE ${fk.onDelete}` : '', fk.onUpdate && fk.onUpdate !== 'NO ACTION' ? ` ON UPDATE ${fk.onUpdate}` : ''].join('');
  return `${fk.columns.map(quoteIdentIfNeeded).join(', ')} → ${qualified(references.schema, references.table)}(${references.columns.map(quoteIdentIfNeeded).join(', ')})${actions}`;
}

function pushOrigin(out: string[], origin: ObjectOrigin | undefined): void {
  if (!origin) return;
  const altered = origin.altered && origin.altered.path !== origin.created.path ? `, last changed in ${code(origin.altered.path)}` : '';
  out.push(`created in ${code(origin.created.path)}${altered}`);
}

/** `~1.2M rows`; "never analyzed" for a table whose estimate is -1. */
export function rowEstimate(rows: number): string {
  if (rows < 0) return 'never analyzed';
  const rounded = Math.round(rows);
  return `~${compactCount(rounded)} ${rounded === 1 ? 'row' : 'rows'}`;
}

function compactCount(n: number): string {
  for (const [size, unit] of [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const) {
    if (n >= size) return `${(n / size).toFixed(1).replace(/\.0$/, '')}${unit}`;
  }
  return String(n);
}

/** Bytes as `512 bytes`, `8.0 kB`, `1.3 GB` (base 1024, as pg_size_pretty). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function qualified(schema: string, name: string): string {
  return `${quoteIdentIfNeeded(schema)}.${quoteIdentIfNeeded(name)}`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function list<T>(items: readonly T[], render: (item: T) => string): string {
  const lines = items.slice(0, MAX_ROWS).map((item) => `- ${render(item)}`);
  if (items.length > MAX_ROWS) lines.push(`- … ${items.length - MAX_ROWS} more`);
  return lines.join('\n');
}

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fenceMark = '`'.repeat(longest + 1);
  return longest > 0 ? `${fenceMark} ${flat} ${fenceMark}` : `${fenceMark}${flat}${fenceMark}`;
}

function fence(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const mark = '`'.repeat(longest + 1);
  return `${mark}sql\n${text}\n${mark}`;
}

/** Text for a table cell: pipes escaped, on one line. */
function cell(text: string): string {
  return escapeText(text).replace(/\s*\n\s*/g, ' ');
}

/** Plain text (comments, names) with markdown's active characters escaped. */
function escapeText(text: string): string {
  // An underscore inside a word (`user_id`) never starts emphasis, so only the others are escaped.
  return text.replace(/([\\`*{}[\]<>#|])|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, (match) => `\\${match}`);
}
