/** Enums, domains, composite and range types. */
import type { SchemaSnapshot, TableInfo, TypeInfo } from '../../../protocol/schema';
import { literalList, qualified, quoteIdent, quoteLiteral } from '../sql/quote';
import type { DiffContext } from './context';
import { byKey, display, fitName, pgQualifiedForms, PHASE } from './context';

export interface RecastColumn {
  table: TableInfo;
  column: string;
}

/**
 * Diffs the user types. Returns the tables' columns recast because their enum was recreated (their
 * views must be recreated too).
 */
export interface TypeEffects {
  /** Columns recast to a recreated enum (their tables' views and policies are recreated). */
  recast: RecastColumn[];
  /** Enums renamed away and created again: functions taking or returning them are recreated. */
  recreated: Array<{ schema: string; name: string }>;
}

export function diffTypes(ctx: DiffContext, current: SchemaSnapshot, desired: SchemaSnapshot): TypeEffects {
  const recreated: TypeEffects['recreated'] = [];
  const key = (t: TypeInfo) => `${t.schema}\u0000${t.name}`;
  const before = byKey(current.types, key);
  const after = byKey(desired.types, key);
  const recast: RecastColumn[] = [];
  for (const [k, old] of before) {
    if (!after.has(k)) dropType(ctx, old);
  }
  for (const [k, type] of after) {
    const old = before.get(k);
    if (!old) createType(ctx, type);
    else if (old.kind !== type.kind || (type.kind === 'range' && old.subtype !== type.subtype)) {
      dropType(ctx, old, false, usedBy(current, old));
      createType(ctx, type);
    } else if (type.kind === 'enum') {
      const columns = alterEnum(ctx, old, type, desired);
      if (columns) {
        recast.push(...columns);
        recreated.push(type);
      }
    }
    else if (type.kind === 'domain') alterDomain(ctx, old, type, current);
    else if (type.kind === 'composite') alterComposite(ctx, old, type, desired);
    if (old && old.comment !== type.comment) comment(ctx, type);
  }
  return { recast, recreated };
}

function phaseOf(type: TypeInfo): number {
  return type.kind === 'enum' ? PHASE.enum : type.kind === 'range' ? PHASE.range : type.kind === 'domain' ? PHASE.domain : PHASE.composite;
}

function typeWord(type: TypeInfo): string {
  return type.kind === 'domain' ? 'DOMAIN' : 'TYPE';
}

/** The table columns (`schema.table.column`) of a type, or of an array of it. */
function usedBy(snapshot: SchemaSnapshot, type: TypeInfo): string[] {
  const forms = pgQualifiedForms(type.schema, type.name);
  return snapshot.tables.flatMap((t) => t.columns.filter((c) => forms.includes(c.type.replace(/\[\]$/, ''))).map((c) => display(t.schema, t.name, c.name)));
}

/** `users`: columns that use a type dropped to be created again, which makes PostgreSQL refuse the drop. */
function dropType(ctx: DiffContext, type: TypeInfo, late = true, users: string[] = []): void {
  const name = display(type.schema, type.name);
  const hazard = users.length > 0
    ? { kind: 'unsupported' as const, object: name, message: `${type.kind} ${name} is recreated, but columns use it (${users.join(', ')}): migrate them by hand` }
    : { kind: 'drop' as const, object: name, message: `drops ${type.kind} ${name}` };
  const statements = [`DROP ${typeWord(type)} ${qualified(type.schema, type.name)}`];
  // After the columns stop using it; composites and domains before the enums they may use.
  if (late) ctx.add(PHASE.lateDropType, `drop ${type.kind}`, name, statements, { hazard, rank: -phaseOf(type) });
  else ctx.drop(phaseOf(type), `drop ${type.kind}`, name, statements, hazard);
}

export function createTypeStatement(type: TypeInfo): string {
  const q = qualified(type.schema, type.name);
  switch (type.kind) {
    case 'enum':
      return `CREATE TYPE ${q} AS ENUM (${literalList(type.values ?? [])})`;
    case 'range':
      return `CREATE TYPE ${q} AS RANGE (subtype = ${type.subtype ?? 'text'})`;
    case 'composite':
      return `CREATE TYPE ${q} AS (${(type.attributes ?? []).map((a) => `${quoteIdent(a.name)} ${a.type}`).join(', ')})`;
    case 'domain': {
      let sql = `CREATE DOMAIN ${q} AS ${type.baseType ?? 'text'}`;
      if (type.collation) sql += ` COLLATE ${quoteIdent(type.collation)}`;
      if (type.default !== undefined) sql += ` DEFAULT ${type.default}`;
      if (type.notNull) sql += ' NOT NULL';
      (type.checks ?? []).forEach((check, k) => {
        const name = type.checkNames?.[k];
        sql += name === undefined ? ` ${check}` : ` CONSTRAINT ${quoteIdent(name)} ${check}`;
      });
      return sql;
    }
  }
}

function createType(ctx: DiffContext, type: TypeInfo): void {
  ctx.add(phaseOf(type), `create ${type.kind}`, display(type.schema, type.name), [createTypeStatement(type)]);
  if (type.comment !== undefined) comment(ctx, type);
}

function comment(ctx: DiffContext, type: TypeInfo): void {
  const value = type.comment === undefined ? 'NULL' : quoteLiteral(type.comment);
  ctx.add(PHASE.comment, 'comment', display(type.schema, type.name), [`COMMENT ON ${typeWord(type)} ${qualified(type.schema, type.name)} IS ${value}`]);
}

/** Values only added (old labels keep their order): ADD VALUE in place. Otherwise recreate and recast. */
/** Undefined when altered in place; the recast columns when recreated. */
function alterEnum(ctx: DiffContext, old: TypeInfo, type: TypeInfo, desired: SchemaSnapshot): RecastColumn[] | undefined {
  const from = old.values ?? [];
  const to = type.values ?? [];
  if (from.length === to.length && from.every((v, k) => v === to[k])) return undefined;
  const q = qualified(type.schema, type.name);
  const name = display(type.schema, type.name);
  const kept = to.filter((v) => from.includes(v));
  if (kept.length === from.length && kept.every((v, k) => v === from[k])) {
    const statements: string[] = [];
    const present = new Set(from);
    to.forEach((value, k) => {
      if (present.has(value)) return;
      // Anchor to the next value already present, else after the previous one.
      const next = to.slice(k + 1).find((v) => present.has(v));
      const position = next !== undefined ? ` BEFORE ${quoteLiteral(next)}` : k > 0 ? ` AFTER ${quoteLiteral(to[k - 1])}` : '';
      statements.push(`ALTER TYPE ${q} ADD VALUE ${quoteLiteral(value)}${position}`);
      present.add(value);
    });
    // A value added in a transaction cannot be used before it commits: run it on its own.
    ctx.add(PHASE.enum, 'add enum value', name, statements, { transactional: false });
    return undefined;
  }
  const removed = from.filter((v) => !to.includes(v));
  const oldName = fitName(type.name, '__pglens_old');
  const hazard = removed.length > 0
    ? { kind: 'enum value removed' as const, object: name, message: `removes value${removed.length > 1 ? 's' : ''} ${removed.join(', ')}: rows holding ${removed.length > 1 ? 'them' : 'it'} make the recast fail` }
    : { kind: 'rewrite' as const, object: name, message: 'enum values reordered: the type is recreated and every column using it rewritten' };
  ctx.add(PHASE.enum, 'recreate enum', name, [`ALTER TYPE ${q} RENAME TO ${quoteIdent(oldName)}`, createTypeStatement(type)], { hazard });
  const columns: RecastColumn[] = [];
  const forms = pgQualifiedForms(type.schema, type.name);
  for (const table of desired.tables) {
    if (table.partitionOf) continue; // partitions follow their parent
    for (const column of table.columns) {
      const array = column.type.endsWith('[]');
      const base = array ? column.type.slice(0, -2) : column.type;
      if (!forms.includes(base)) continue;
      columns.push({ table, column: column.name });
      const t = qualified(table.schema, table.name);
      const c = quoteIdent(column.name);
      const target = `${q}${array ? '[]' : ''}`;
      const statements: string[] = [];
      if (column.default !== undefined) statements.push(`ALTER TABLE ${t} ALTER COLUMN ${c} DROP DEFAULT`);
      statements.push(`ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${target} USING ${c}::text${array ? '[]' : ''}::${target}`);
      if (column.default !== undefined) statements.push(`ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${column.default}`);
      ctx.add(PHASE.enumRecast, 'recast column', display(table.schema, table.name, column.name), statements);
    }
  }
  ctx.add(PHASE.dropOldType, 'drop old enum', name, [`DROP TYPE ${qualified(type.schema, oldName)}`]);
  return columns;
}

function alterDomain(ctx: DiffContext, old: TypeInfo, type: TypeInfo, current: SchemaSnapshot): void {
  const q = qualified(type.schema, type.name);
  const name = display(type.schema, type.name);
  if (old.baseType !== type.baseType || old.collation !== type.collation) {
    dropType(ctx, old, false, usedBy(current, old));
    createType(ctx, type);
    return;
  }
  const statements: string[] = [];
  if (old.default !== type.default) statements.push(type.default === undefined ? `ALTER DOMAIN ${q} DROP DEFAULT` : `ALTER DOMAIN ${q} SET DEFAULT ${type.default}`);
  if (!!old.notNull !== !!type.notNull) statements.push(`ALTER DOMAIN ${q} ${type.notNull ? 'SET' : 'DROP'} NOT NULL`);
  const checks = (t: TypeInfo) => new Map((t.checks ?? []).map((def, k) => [t.checkNames?.[k] ?? `#${k}:${def}`, def]));
  const before = checks(old);
  const after = checks(type);
  for (const [n, def] of before) if (after.get(n) !== def && !n.startsWith('#')) statements.push(`ALTER DOMAIN ${q} DROP CONSTRAINT ${quoteIdent(n)}`);
  for (const [n, def] of after) {
    if (before.get(n) === def) continue;
    statements.push(n.startsWith('#') ? `ALTER DOMAIN ${q} ADD ${def}` : `ALTER DOMAIN ${q} ADD CONSTRAINT ${quoteIdent(n)} ${def}`);
  }
  ctx.add(PHASE.domain, 'alter domain', name, statements);
}

function alterComposite(ctx: DiffContext, old: TypeInfo, type: TypeInfo, desired: SchemaSnapshot): void {
  const q = qualified(type.schema, type.name);
  const before = new Map((old.attributes ?? []).map((a) => [a.name, a.type]));
  const after = new Map((type.attributes ?? []).map((a) => [a.name, a.type]));
  const actions: string[] = [];
  for (const [n] of before) if (!after.has(n)) actions.push(`DROP ATTRIBUTE ${quoteIdent(n)}`);
  for (const [n, t] of after) {
    const was = before.get(n);
    if (was === undefined) actions.push(`ADD ATTRIBUTE ${quoteIdent(n)} ${t}`);
    else if (was !== t) actions.push(`ALTER ATTRIBUTE ${quoteIdent(n)} TYPE ${t}`);
  }
  if (actions.length === 0) return;
  // CASCADE carries the change to typed tables; a table column of this type makes PostgreSQL refuse
  // (its stored values would need rewriting): said as a hazard, not worked around.
  const user = usedBy(desired, type);
  const name = display(type.schema, type.name);
  const hazard = user.length > 0 ? { kind: 'unsupported' as const, object: name, message: `PostgreSQL refuses to alter a composite type used by columns (${user.join(', ')}): migrate them by hand` } : undefined;
  ctx.add(PHASE.composite, 'alter type', name, [`ALTER TYPE ${q} ${actions.map((a) => `${a} CASCADE`).join(', ')}`], { hazard });
}
