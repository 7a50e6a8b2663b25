/**
 * Tables: create / drop / rename, partitions (attach / detach), columns, constraints and indexes;
 * their triggers, row-level security, policies and comments through table-parts.ts.
 */
import type { ColumnInfo, ConstraintInfo, IndexInfo, SchemaSnapshot, SequenceInfo, TableInfo, TriggerInfo } from '../../../protocol/schema';
import { qualified, quoteIdent } from '../sql/quote';
import { columnDefinition, identityOptions, retypedSequence, typeChangeHazard } from './columns';
import type { DiffContext } from './context';
import { byKey, display, fitName, PHASE, replaceQualified } from './context';
import { columnRenames, tableRenames } from './renames';
import { alterPolicy, columnComment, commentOn, createPolicy, createTrigger, diffTriggers, indexComment, rls, tableComment } from './table-parts';

export const tableKey = (t: { schema: string; name: string }) => `${t.schema}\u0000${t.name}`;

/** Identity sequences by their column, `schema.table.column` as SequenceInfo.ownedBy writes it. */
function identitySequences(snapshot: SchemaSnapshot): Map<string, SequenceInfo> {
  return new Map(snapshot.sequences.filter((s) => s.identity && s.ownedBy !== undefined).map((s) => [s.ownedBy ?? '', s]));
}

/** An identity column's sequence in the current (`before`) or desired (`after`) snapshot. */
function identityOf(effects: TableEffects, which: 'before' | 'after', table: TableInfo, column: ColumnInfo): SequenceInfo | undefined {
  return effects.identities[which].get(`${table.schema}.${table.name}.${column.name}`);
}

/** What the table diff did that other objects depend on. */
export interface TableEffects {
  /** Tables (desired key) whose columns changed type, were dropped or renamed: views over them are recreated. */
  reshaped: Set<string>;
  /** Tables created or dropped by this diff (current and desired keys). */
  created: Set<string>;
  dropped: Set<string>;
  /** Renamed tables: current key → desired table. */
  renamed: Map<string, TableInfo>;
  /** Tables (desired key) where a column changes type: policies and triggers over them are recreated. */
  retyped: Set<string>;
  /** Identity columns' sequences (for their options), current and desired. */
  identities: { before: Map<string, SequenceInfo>; after: Map<string, SequenceInfo> };
}

/** `recast`: desired keys of tables whose columns an enum recreation recasts. */
export function diffTables(ctx: DiffContext, current: SchemaSnapshot, desired: SchemaSnapshot, recast: Set<string> = new Set()): TableEffects {
  const identities = { before: identitySequences(current), after: identitySequences(desired) };
  const effects: TableEffects = { reshaped: new Set(recast), created: new Set(), dropped: new Set(), renamed: new Map(), retyped: new Set(recast), identities };
  // Foreign tables (and their servers) are not diffed: a known gap.
  current = { ...current, tables: current.tables.filter((t) => t.kind !== 'foreign table') };
  desired = { ...desired, tables: desired.tables.filter((t) => t.kind !== 'foreign table') };
  const before = byKey(current.tables, tableKey);
  const after = byKey(desired.tables, tableKey);
  const pairs = tableRenames(ctx, before, after);
  // Catalog text of the current tables names renamed tables by their old names: compared under the new.
  const renames = [...pairs.byDesired].map(([k, from]) => ({ from, to: after.get(k) ?? from }));
  const norm = (text: string) => renames.reduce((t, r) => replaceQualified(t, r.from, r.to), text);

  const matchedOld = new Set<string>();
  for (const [k, table] of after) {
    const renamedFrom = pairs.byDesired.get(k);
    const old = renamedFrom ?? before.get(k);
    if (!old) {
      createTable(ctx, table, desired, effects);
      effects.created.add(k);
      continue;
    }
    matchedOld.add(tableKey(old));
    if (old.kind !== table.kind) {
      dropTable(ctx, old, current);
      createTable(ctx, table, desired, effects);
      effects.created.add(k);
      effects.reshaped.add(k);
      continue;
    }
    if (renamedFrom) {
      effects.renamed.set(tableKey(old), table);
      effects.reshaped.add(k);
      renameTable(ctx, old, table);
    }
    alterTable(ctx, old, table, effects, current, desired, norm);
  }
  for (const [k, old] of before) {
    if (matchedOld.has(k)) continue;
    dropTable(ctx, old, current);
    effects.dropped.add(k);
  }
  return effects;
}

function dropTable(ctx: DiffContext, table: TableInfo, current: SchemaSnapshot): void {
  const name = display(table.schema, table.name);
  const q = qualified(table.schema, table.name);
  // Its foreign keys to other tables go first: those may be dropped too, in any order.
  for (const fk of ownConstraints(table)) {
    if (fk.kind !== 'foreign key' || (fk.references?.schema === table.schema && fk.references.table === table.name)) continue;
    ctx.drop(PHASE.foreignKey, 'drop constraint', display(name, fk.name), [`ALTER TABLE ${q} DROP CONSTRAINT ${quoteIdent(fk.name)}`]);
  }
  // Sub-partitions before their partitioned parents.
  const hazard = { kind: 'data loss' as const, object: name, message: `drops table ${name} and its rows` };
  ctx.drop(table.partitionOf ? PHASE.partition : PHASE.table, 'drop table', name, [`DROP TABLE ${q}`], hazard, depth(table, current));
}

const parentIndex = new WeakMap<SchemaSnapshot, Map<string, TableInfo>>();

/** A partition's parent, found by `schema.name` as the snapshot writes it. */
function parentOf(table: TableInfo, snapshot: SchemaSnapshot): TableInfo | undefined {
  if (table.partitionOf === undefined) return undefined;
  let index = parentIndex.get(snapshot);
  if (!index) parentIndex.set(snapshot, (index = new Map(snapshot.tables.map((t) => [`${t.schema}.${t.name}`, t]))));
  return index.get(table.partitionOf);
}

function depth(table: TableInfo, snapshot: SchemaSnapshot): number {
  let n = 0;
  for (let t: TableInfo | undefined = table; t?.partitionOf && n < 32; t = parentOf(t, snapshot)) n++;
  return n;
}

function createTable(ctx: DiffContext, table: TableInfo, desired: SchemaSnapshot, effects: TableEffects): void {
  const q = qualified(table.schema, table.name);
  const name = display(table.schema, table.name);
  const parent = table.partitionOf ? parentOf(table, desired) : undefined;
  let sql: string;
  if (parent) {
    sql = `CREATE TABLE ${q} PARTITION OF ${qualified(parent.schema, parent.name)} ${table.partitionBound ?? 'DEFAULT'}`;
  } else {
    sql = `CREATE TABLE ${q} (${table.columns.map((c) => `\n  ${columnDefinition(c, identityOf(effects, 'after', table, c))}`).join(',')}\n)`;
  }
  if (table.partitionKey) sql += ` PARTITION BY ${table.partitionKey}`;
  ctx.add(parent ? PHASE.partition : PHASE.table, 'create table', name, [sql], { rank: depth(table, desired) });
  // A new table is empty: its constraints and indexes need none of the safe forms.
  for (const constraint of ownConstraints(table)) addConstraint(ctx, table, constraint, false);
  for (const index of ownIndexes(table)) createIndex(ctx, table, index, false);
  for (const trigger of ownTriggers(table)) createTrigger(ctx, table, trigger);
  rls(ctx, undefined, table);
  for (const policy of table.policies) createPolicy(ctx, table, policy);
  if (table.comment !== undefined) tableComment(ctx, table);
  if (!parent) for (const column of table.columns) if (column.comment !== undefined) columnComment(ctx, table, column);
}

function renameTable(ctx: DiffContext, old: TableInfo, table: TableInfo): void {
  const statements: string[] = [];
  let schema = old.schema;
  if (old.schema !== table.schema) {
    statements.push(`ALTER TABLE ${qualified(old.schema, old.name)} SET SCHEMA ${quoteIdent(table.schema)}`);
    schema = table.schema;
  }
  if (old.name !== table.name) statements.push(`ALTER TABLE ${qualified(schema, old.name)} RENAME TO ${quoteIdent(table.name)}`);
  ctx.add(PHASE.table, 'rename table', `${display(old.schema, old.name)} → ${display(table.schema, table.name)}`, statements, { rank: -1 });
}

function alterTable(
  ctx: DiffContext,
  old: TableInfo,
  table: TableInfo,
  effects: TableEffects,
  current: SchemaSnapshot,
  desired: SchemaSnapshot,
  norm: (text: string) => string,
): void {
  const q = qualified(table.schema, table.name);
  const name = display(table.schema, table.name);

  if (old.partitionOf !== table.partitionOf || old.partitionBound !== table.partitionBound) {
    const oldParent = parentOf(old, current);
    const newParent = parentOf(table, desired);
    if (oldParent) {
      ctx.drop(PHASE.partition, 'detach partition', name, [`ALTER TABLE ${qualified(oldParent.schema, oldParent.name)} DETACH PARTITION ${qualified(old.schema, old.name)}`]);
    }
    if (newParent) {
      ctx.add(PHASE.partition, 'attach partition', name, [`ALTER TABLE ${qualified(newParent.schema, newParent.name)} ATTACH PARTITION ${q} ${table.partitionBound ?? 'DEFAULT'}`], { rank: 1 });
    }
  }
  if (!table.partitionOf) alterColumns(ctx, old, table, effects);
  // ALTER COLUMN … TYPE refuses a column used by a policy or a trigger's WHEN / UPDATE OF: those of a
  // retyped table are dropped before and created again after.
  const retyped = effects.retyped.has(tableKey(table));

  // Constraints (a partition's inherited ones follow its parent), and indexes. One dropped and one
  // added with the same definition but another name (e.g. after a table rename) are renamed.
  const oldConstraints = byKey(ownConstraints(old), (c) => c.name);
  const newConstraints = byKey(ownConstraints(table), (c) => c.name);
  const same = (a: ConstraintInfo | undefined, b: ConstraintInfo) => a !== undefined && a.kind === b.kind && norm(a.definition) === b.definition;
  const renamedConstraints = pairRenames(
    [...oldConstraints.values()].filter((c) => !newConstraints.has(c.name)),
    [...newConstraints.values()].filter((c) => !oldConstraints.has(c.name)),
    same,
  );
  for (const [n, c] of oldConstraints) {
    const next = newConstraints.get(n);
    if ((next && same(c, next)) || renamedConstraints.has(n)) continue;
    ctx.drop(c.kind === 'foreign key' ? PHASE.foreignKey : c.kind === 'check' ? PHASE.check : PHASE.key, 'drop constraint', display(name, n), [
      `ALTER TABLE ${qualified(old.schema, old.name)} DROP CONSTRAINT ${quoteIdent(n)}`,
    ]);
  }
  const constraintsByNew = new Map([...renamedConstraints].map(([from, to]) => [to.name, oldConstraints.get(from)]));
  for (const [n, c] of newConstraints) {
    const renamedFrom = constraintsByNew.get(n);
    const was = renamedFrom ?? oldConstraints.get(n);
    if (renamedFrom) ctx.add(PHASE.renameColumn, 'rename constraint', display(name, `${renamedFrom.name} → ${n}`), [`ALTER TABLE ${q} RENAME CONSTRAINT ${quoteIdent(renamedFrom.name)} TO ${quoteIdent(n)}`]);
    if (!was || !same(was, c)) addConstraint(ctx, table, c, ctx.safe);
    else if (was.comment !== c.comment) commentOn(ctx, 'CONSTRAINT', c.name, table, c.comment);
  }

  const oldIndexes = byKey(ownIndexes(old), (i) => i.name);
  const newIndexes = byKey(ownIndexes(table), (i) => i.name);
  const unnamed = (definition: string) => definition.replace(INDEX_NAME, '$1');
  const renamedIndexes = pairRenames(
    [...oldIndexes.values()].filter((i) => !newIndexes.has(i.name)),
    [...newIndexes.values()].filter((i) => !oldIndexes.has(i.name)),
    (a, b) => unnamed(norm(a.definition)) === unnamed(b.definition),
  );
  for (const [n, index] of oldIndexes) {
    const next = newIndexes.get(n);
    if ((next && norm(index.definition) === next.definition) || renamedIndexes.has(n)) continue;
    const concurrently = ctx.safe && old.kind === 'table';
    ctx.drop(PHASE.index, 'drop index', display(old.schema, n), [`DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${qualified(old.schema, n)}`]);
    if (concurrently) ctx.changes[ctx.changes.length - 1].transactional = false;
  }
  const indexesByNew = new Map([...renamedIndexes].map(([from, to]) => [to.name, oldIndexes.get(from)]));
  for (const [n, index] of newIndexes) {
    const renamedFrom = indexesByNew.get(n);
    if (renamedFrom) {
      // The index moved with its table (SET SCHEMA): it is in the table's new schema.
      ctx.add(PHASE.renameColumn, 'rename index', display(table.schema, `${renamedFrom.name} → ${n}`), [`ALTER INDEX ${qualified(table.schema, renamedFrom.name)} RENAME TO ${quoteIdent(n)}`]);
      if (renamedFrom.comment !== index.comment) indexComment(ctx, table.schema, n, index.comment);
      continue;
    }
    const was = oldIndexes.get(n);
    if (!was || norm(was.definition) !== index.definition) createIndex(ctx, table, index, ctx.safe);
    else if (was.comment !== index.comment) indexComment(ctx, table.schema, index.name, index.comment);
  }

  // Triggers.
  if (retyped) diffTriggers(ctx, old, old, ownTriggers(old), [], norm);
  diffTriggers(ctx, old, table, retyped ? [] : ownTriggers(old), ownTriggers(table), norm);

  rls(ctx, old, table);
  const oldPolicies = byKey(retyped ? [] : old.policies, (p) => p.name);
  if (retyped) for (const p of old.policies) ctx.drop(PHASE.policy, 'drop policy', display(name, p.name), [`DROP POLICY ${quoteIdent(p.name)} ON ${qualified(old.schema, old.name)}`]);
  const newPolicies = byKey(table.policies, (p) => p.name);
  for (const [n] of oldPolicies) {
    if (!newPolicies.has(n)) ctx.drop(PHASE.policy, 'drop policy', display(name, n), [`DROP POLICY ${quoteIdent(n)} ON ${qualified(old.schema, old.name)}`]);
  }
  for (const [n, policy] of newPolicies) {
    const was = oldPolicies.get(n);
    if (!was) createPolicy(ctx, table, policy);
    else alterPolicy(ctx, table, was, policy, norm);
  }
  if (old.comment !== table.comment) tableComment(ctx, table);
}

function alterColumns(ctx: DiffContext, old: TableInfo, table: TableInfo, effects: TableEffects): void {
  const q = qualified(table.schema, table.name);
  const tableName = display(table.schema, table.name);
  const renames = columnRenames(ctx, old, table);
  const oldColumns = byKey(old.columns, (c) => c.name);
  const matched = new Set<string>();

  for (const column of table.columns) {
    const from = renames.get(column.name);
    const was = from !== undefined ? oldColumns.get(from) : oldColumns.get(column.name);
    if (!was) {

      ctx.add(PHASE.column, 'add column', display(tableName, column.name), [`ALTER TABLE ${q} ADD COLUMN ${columnDefinition(column, identityOf(effects, 'after', table, column))}`], {
        hazard: !column.nullable && column.default === undefined && column.identity === undefined && column.generated === undefined
          ? { kind: 'lock', object: display(tableName, column.name), message: 'NOT NULL without a default fails when the table has rows' }
          : undefined,
      });
      if (column.comment !== undefined) columnComment(ctx, table, column);
      continue;
    }
    matched.add(was.name);
    if (from !== undefined) {
      ctx.add(PHASE.renameColumn, 'rename column', display(tableName, `${from} → ${column.name}`), [`ALTER TABLE ${q} RENAME COLUMN ${quoteIdent(from)} TO ${quoteIdent(column.name)}`]);
      effects.reshaped.add(tableKey(table));
    }
    alterColumn(ctx, old, table, was, column, effects);
  }
  for (const column of old.columns) {
    if (matched.has(column.name)) continue;
    effects.reshaped.add(tableKey(table));
    const name = display(tableName, column.name);
    ctx.add(-PHASE.column, 'drop column', name, [`ALTER TABLE ${qualified(old.schema, old.name)} DROP COLUMN ${quoteIdent(column.name)}`], {
      hazard: { kind: 'data loss', object: name, message: `drops column ${name} and its data` },
    });
  }
}

function alterColumn(ctx: DiffContext, old: TableInfo, table: TableInfo, was: ColumnInfo, column: ColumnInfo, effects: TableEffects): void {
  const q = qualified(table.schema, table.name);
  const c = quoteIdent(column.name);
  const name = display(table.schema, table.name, column.name);
  const at = `ALTER TABLE ${q} ALTER COLUMN ${c}`;
  if (was.generated !== column.generated || (was.generated !== undefined && was.generatedKind !== column.generatedKind)) {
    // A generation expression cannot be changed on every supported version: drop and add again.
    effects.reshaped.add(tableKey(table));
    ctx.add(PHASE.column, 'recreate column', name, [`ALTER TABLE ${q} DROP COLUMN ${c}`, `ALTER TABLE ${q} ADD COLUMN ${columnDefinition(column)}`], {
      hazard: { kind: 'data loss', object: name, message: 'the column is dropped and added again (generated expression changed)' },
    });
    if (column.comment !== undefined) columnComment(ctx, table, column);
    return;
  }
  const statements: string[] = [];
  let hazard;
  if (was.identity && !column.identity) statements.push(`${at} DROP IDENTITY`);
  const typeChanged = was.type !== column.type || was.collation !== column.collation;
  if (typeChanged) {
    effects.reshaped.add(tableKey(table));
    effects.retyped.add(tableKey(table));
    if (was.default !== undefined && !was.identity) statements.push(`${at} DROP DEFAULT`);
    const collate = column.collation ? ` COLLATE ${quoteIdent(column.collation)}` : '';
    const using = was.type !== column.type ? ` USING ${c}::${column.type}` : '';
    statements.push(`${at} TYPE ${column.type}${collate}${using}`);
    if (was.type !== column.type) hazard = typeChangeHazard(name, was.type, column.type);
  }
  const defaultGone = typeChanged && was.default !== undefined;
  if (!column.identity && (column.default !== was.default || defaultGone)) {
    if (column.default !== undefined) statements.push(`${at} SET DEFAULT ${column.default}`);
    else if (!defaultGone && !was.identity) statements.push(`${at} DROP DEFAULT`);
  }
  if (was.nullable && !column.nullable) {
    if (ctx.safe && table.kind === 'table') {
      // SET NOT NULL scans the table under an exclusive lock unless a validated CHECK proves it.
      const check = quoteIdent(fitName(column.name, '_not_null_pglens'));
      statements.push(
        `ALTER TABLE ${q} ADD CONSTRAINT ${check} CHECK (${c} IS NOT NULL) NOT VALID`,
        `ALTER TABLE ${q} VALIDATE CONSTRAINT ${check}`,
        `${at} SET NOT NULL`,
        `ALTER TABLE ${q} DROP CONSTRAINT ${check}`,
      );
    } else statements.push(`${at} SET NOT NULL`);
  } else if (!was.nullable && column.nullable) statements.push(`${at} DROP NOT NULL`);
  if (!was.identity && column.identity) {
    const options = identityOptions(identityOf(effects, 'after', table, column));
    statements.push(`${at} ADD GENERATED ${column.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${options.length > 0 ? ` (${options.join(' ')})` : ''}`);
  } else if (was.identity && column.identity) {
    if (was.identity !== column.identity) statements.push(`${at} SET GENERATED ${column.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'}`);
    const before = identityOf(effects, 'before', old, was);
    // A type change moves a sequence at its type's default bounds along to the new type's.
    const base = typeChanged && before ? retypedSequence(before, column.type) : before;
    for (const option of identityOptions(identityOf(effects, 'after', table, column), base)) statements.push(`${at} SET ${option}`);
  }
  ctx.add(PHASE.column, 'alter column', name, statements, { hazard });
  if (was.comment !== column.comment) columnComment(ctx, table, column);
}

/** Constraints the table declares itself: not PostgreSQL 18's catalogued NOT NULL, not a partition's inherited copies. */
function ownConstraints(table: TableInfo): ConstraintInfo[] {
  return table.constraints.filter((c) => c.kind !== 'not null' && !c.inherited);
}

/** An index definition's name, to compare definitions apart from it. */
const INDEX_NAME = /^(CREATE (?:UNIQUE )?INDEX )(?:"(?:[^"]|"")*"|\S+)/;

/** Pairs dropped and added objects that are the same but for their name: old name → new object. */
function pairRenames<T extends { name: string }>(dropped: T[], added: T[], alike: (a: T, b: T) => boolean): Map<string, T> {
  const result = new Map<string, T>();
  const taken = new Set<T>();
  for (const a of dropped) {
    const match = added.find((b) => !taken.has(b) && alike(a, b));
    if (match) {
      result.set(a.name, match);
      taken.add(match);
    }
  }
  return result;
}

/** Triggers but a partition's clones of its parent's. */
function ownTriggers(table: TableInfo): TriggerInfo[] {
  return table.triggers.filter((t) => !t.inherited);
}

/** Indexes created on their own: not those behind a constraint, not a partition's inherited ones. */
function ownIndexes(table: TableInfo): IndexInfo[] {
  const backing = new Set(table.constraints.filter((c) => c.kind === 'primary key' || c.kind === 'unique' || c.kind === 'exclusion').map((c) => c.name));
  return table.indexes.filter((i) => !backing.has(i.name) && !i.inherited);
}

function addConstraint(ctx: DiffContext, table: TableInfo, constraint: ConstraintInfo, safe: boolean): void {
  addConstraintForm(ctx, table, constraint, safe);
  if (constraint.comment !== undefined) commentOn(ctx, 'CONSTRAINT', constraint.name, table, constraint.comment);
}

function addConstraintForm(ctx: DiffContext, table: TableInfo, constraint: ConstraintInfo, safe: boolean): void {
  const q = qualified(table.schema, table.name);
  const c = quoteIdent(constraint.name);
  const name = display(table.schema, table.name, constraint.name);
  const phase = constraint.kind === 'foreign key' ? PHASE.foreignKey : constraint.kind === 'check' ? PHASE.check : PHASE.key;
  const def = constraint.definition;
  const notValid = / NOT VALID$/.test(def);
  if (safe && table.kind === 'table' && (constraint.kind === 'foreign key' || constraint.kind === 'check') && !notValid) {
    // NOT VALID takes a brief lock; VALIDATE checks the rows without blocking writes.
    ctx.add(phase, `add ${constraint.kind}`, name, [`ALTER TABLE ${q} ADD CONSTRAINT ${c} ${def} NOT VALID`, `ALTER TABLE ${q} VALIDATE CONSTRAINT ${c}`]);
    return;
  }
  const index = table.indexes.find((i) => i.name === constraint.name);
  if (safe && table.kind === 'table' && index && (constraint.kind === 'primary key' || constraint.kind === 'unique')) {
    // Build the index without blocking writes, then turn it into the constraint.
    ctx.add(PHASE.key, 'create index', display(table.schema, index.name), [concurrently(index.definition)], { transactional: false });
    // The index carries columns, NULLS NOT DISTINCT and storage; deferrability goes on the constraint.
    const deferrable = / DEFERRABLE( INITIALLY (DEFERRED|IMMEDIATE))?$/.exec(def)?.[0] ?? '';
    const using = `${constraint.kind === 'primary key' ? 'PRIMARY KEY' : 'UNIQUE'} USING INDEX ${quoteIdent(index.name)}${deferrable}`;
    ctx.add(phase, `add ${constraint.kind}`, name, [`ALTER TABLE ${q} ADD CONSTRAINT ${c} ${using}`], { rank: 1 });
    return;
  }
  // On an existing table with rows, what remains scans or builds under an exclusive lock.
  const hazard = safe && table.kind === 'table' && !notValid
    ? { kind: 'lock' as const, object: name, message: `adding this ${constraint.kind} holds an exclusive lock while it checks every row` }
    : undefined;
  ctx.add(phase, `add ${constraint.kind}`, name, [`ALTER TABLE ${q} ADD CONSTRAINT ${c} ${def}`], { hazard });
}

function concurrently(definition: string): string {
  return definition.replace(/^CREATE (UNIQUE )?INDEX /, (_, unique: string | undefined) => `CREATE ${unique ?? ''}INDEX CONCURRENTLY `);
}

function createIndex(ctx: DiffContext, table: TableInfo, index: IndexInfo, safe: boolean): void {
  // CONCURRENTLY is not possible on a partitioned table (PostgreSQL builds each partition's index).
  const useConcurrently = safe && table.kind === 'table';
  // pg_get_indexdef writes a partitioned table's index `ON ONLY` (as pg_dump attaches the partitions'
  // ones itself); created here, it must cascade to the partitions.
  const definition = table.kind === 'partitioned table' ? index.definition.replace(/^(CREATE (?:UNIQUE )?INDEX (?:"(?:[^"]|"")*"|\S+) ON )ONLY /, '$1') : index.definition;
  ctx.add(PHASE.index, 'create index', display(table.schema, index.name), [useConcurrently ? concurrently(definition) : definition], {
    transactional: !useConcurrently,
  });
  if (index.comment !== undefined) indexComment(ctx, table.schema, index.name, index.comment);
}
