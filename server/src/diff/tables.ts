/**
 * Tables: create / drop / rename, partitions (attach / detach), columns, constraints, indexes,
 * triggers, row-level security, policies and comments.
 */
import type { ColumnInfo, ConstraintInfo, IndexInfo, PolicyInfo, SchemaSnapshot, TableInfo, TriggerInfo } from '../../../protocol/schema';
import { commentLiteral, ident, qualified, roleName } from '../sql/render';
import { columnDefinition, typeChangeHazard } from './columns';
import type { DiffContext } from './context';
import { byKey, display, fitName, PHASE, replaceQualified } from './context';
import { columnRenames, tableRenames } from './renames';

export const tableKey = (t: { schema: string; name: string }) => `${t.schema}\u0000${t.name}`;

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
}

/** `recast`: desired keys of tables whose columns an enum recreation recasts. */
export function diffTables(ctx: DiffContext, current: SchemaSnapshot, desired: SchemaSnapshot, recast: Set<string> = new Set()): TableEffects {
  const effects: TableEffects = { reshaped: new Set(recast), created: new Set(), dropped: new Set(), renamed: new Map(), retyped: new Set(recast) };
  // Foreign tables (and their servers) are not diffed: a known gap.
  current = { ...current, tables: current.tables.filter((t) => t.kind !== 'foreign table') };
  desired = { ...desired, tables: desired.tables.filter((t) => t.kind !== 'foreign table') };
  const before = byKey(current.tables, tableKey);
  const after = byKey(desired.tables, tableKey);
  const pairs = tableRenames(ctx, before, after);

  const matchedOld = new Set<string>();
  for (const [k, table] of after) {
    const renamedFrom = pairs.byDesired.get(k);
    const old = renamedFrom ?? before.get(k);
    if (!old) {
      createTable(ctx, table, desired);
      effects.created.add(k);
      continue;
    }
    matchedOld.add(tableKey(old));
    if (old.kind !== table.kind) {
      dropTable(ctx, old, current);
      createTable(ctx, table, desired);
      effects.created.add(k);
      effects.reshaped.add(k);
      continue;
    }
    if (renamedFrom) {
      effects.renamed.set(tableKey(old), table);
      effects.reshaped.add(k);
      renameTable(ctx, old, table);
    }
    alterTable(ctx, old, table, effects, current, desired);
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
    ctx.drop(PHASE.foreignKey, 'drop constraint', display(name, fk.name), [`ALTER TABLE ${q} DROP CONSTRAINT ${ident(fk.name)}`]);
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

function createTable(ctx: DiffContext, table: TableInfo, desired: SchemaSnapshot): void {
  const q = qualified(table.schema, table.name);
  const name = display(table.schema, table.name);
  const parent = table.partitionOf ? parentOf(table, desired) : undefined;
  let sql: string;
  if (parent) {
    sql = `CREATE TABLE ${q} PARTITION OF ${qualified(parent.schema, parent.name)} ${table.partitionBound ?? 'DEFAULT'}`;
  } else {
    sql = `CREATE TABLE ${q} (${table.columns.map((c) => `\n  ${columnDefinition(c)}`).join(',')}\n)`;
  }
  if (table.partitionKey) sql += ` PARTITION BY ${table.partitionKey}`;
  ctx.add(parent ? PHASE.partition : PHASE.table, 'create table', name, [sql], { rank: depth(table, desired) });
  // A new table is empty: its constraints and indexes need none of the safe forms.
  for (const constraint of ownConstraints(table)) addConstraint(ctx, table, constraint, false);
  for (const index of ownIndexes(table)) createIndex(ctx, table, index, false);
  for (const trigger of table.triggers) createTrigger(ctx, table, trigger);
  rls(ctx, undefined, table);
  for (const policy of table.policies) createPolicy(ctx, table, policy);
  if (table.comment !== undefined) tableComment(ctx, table);
  if (!parent) for (const column of table.columns) if (column.comment !== undefined) columnComment(ctx, table, column);
}

function renameTable(ctx: DiffContext, old: TableInfo, table: TableInfo): void {
  const statements: string[] = [];
  let schema = old.schema;
  if (old.schema !== table.schema) {
    statements.push(`ALTER TABLE ${qualified(old.schema, old.name)} SET SCHEMA ${ident(table.schema)}`);
    schema = table.schema;
  }
  if (old.name !== table.name) statements.push(`ALTER TABLE ${qualified(schema, old.name)} RENAME TO ${ident(table.name)}`);
  ctx.add(PHASE.table, 'rename table', `${display(old.schema, old.name)} → ${display(table.schema, table.name)}`, statements, { rank: -1 });
}

function alterTable(ctx: DiffContext, old: TableInfo, table: TableInfo, effects: TableEffects, current: SchemaSnapshot, desired: SchemaSnapshot): void {
  const q = qualified(table.schema, table.name);
  const name = display(table.schema, table.name);
  // Catalog text of the old table names it by its old name: compare under the new one.
  const norm = (text: string) => (old.schema === table.schema && old.name === table.name ? text : replaceQualified(text, old, table));

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

  // Constraints (a partition's inherited ones follow its parent).
  const oldConstraints = byKey(ownConstraints(old), (c) => c.name);
  const newConstraints = byKey(ownConstraints(table), (c) => c.name);
  const changedConstraints = new Set<string>();
  for (const [n, c] of oldConstraints) {
    const next = newConstraints.get(n);
    if (next && norm(c.definition) === next.definition) continue;
    changedConstraints.add(n);
    ctx.drop(c.kind === 'foreign key' ? PHASE.foreignKey : c.kind === 'check' ? PHASE.check : PHASE.key, 'drop constraint', display(name, n), [
      `ALTER TABLE ${qualified(old.schema, old.name)} DROP CONSTRAINT ${ident(n)}`,
    ]);
  }
  for (const [n, c] of newConstraints) {
    const was = oldConstraints.get(n);
    if (was && norm(was.definition) === c.definition) continue;
    addConstraint(ctx, table, c, ctx.safe);
  }

  // Indexes.
  const oldIndexes = byKey(ownIndexes(old), (i) => i.name);
  const newIndexes = byKey(ownIndexes(table), (i) => i.name);
  for (const [n, index] of oldIndexes) {
    const next = newIndexes.get(n);
    if (next && norm(index.definition) === next.definition) continue;
    const concurrently = ctx.safe && old.kind === 'table';
    ctx.drop(PHASE.index, 'drop index', display(old.schema, n), [`DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${qualified(old.schema, n)}`]);
    if (concurrently) ctx.changes[ctx.changes.length - 1].transactional = false;
  }
  for (const [n, index] of newIndexes) {
    const was = oldIndexes.get(n);
    if (was && norm(was.definition) === index.definition) continue;
    createIndex(ctx, table, index, ctx.safe);
  }

  // Triggers.
  if (retyped) diffTriggers(ctx, old, old, old.triggers, [], norm);
  diffTriggers(ctx, old, table, retyped ? [] : old.triggers, table.triggers, norm);

  rls(ctx, old, table);
  const oldPolicies = byKey(retyped ? [] : old.policies, (p) => p.name);
  if (retyped) for (const p of old.policies) ctx.drop(PHASE.policy, 'drop policy', display(name, p.name), [`DROP POLICY ${ident(p.name)} ON ${qualified(old.schema, old.name)}`]);
  const newPolicies = byKey(table.policies, (p) => p.name);
  for (const [n] of oldPolicies) {
    if (!newPolicies.has(n)) ctx.drop(PHASE.policy, 'drop policy', display(name, n), [`DROP POLICY ${ident(n)} ON ${qualified(old.schema, old.name)}`]);
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

      ctx.add(PHASE.column, 'add column', display(tableName, column.name), [`ALTER TABLE ${q} ADD COLUMN ${columnDefinition(column)}`], {
        hazard: !column.nullable && column.default === undefined && column.identity === undefined && column.generated === undefined
          ? { kind: 'lock', object: display(tableName, column.name), message: 'NOT NULL without a default fails when the table has rows' }
          : undefined,
      });
      if (column.comment !== undefined) columnComment(ctx, table, column);
      continue;
    }
    matched.add(was.name);
    if (from !== undefined) {
      ctx.add(PHASE.renameColumn, 'rename column', display(tableName, `${from} → ${column.name}`), [`ALTER TABLE ${q} RENAME COLUMN ${ident(from)} TO ${ident(column.name)}`]);
      effects.reshaped.add(tableKey(table));
    }
    alterColumn(ctx, table, was, column, effects);
  }
  for (const column of old.columns) {
    if (matched.has(column.name)) continue;
    effects.reshaped.add(tableKey(table));
    const name = display(tableName, column.name);
    ctx.add(-PHASE.column, 'drop column', name, [`ALTER TABLE ${qualified(old.schema, old.name)} DROP COLUMN ${ident(column.name)}`], {
      hazard: { kind: 'data loss', object: name, message: `drops column ${name} and its data` },
    });
  }
}

function alterColumn(ctx: DiffContext, table: TableInfo, was: ColumnInfo, column: ColumnInfo, effects: TableEffects): void {
  const q = qualified(table.schema, table.name);
  const c = ident(column.name);
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
    const collate = column.collation ? ` COLLATE ${ident(column.collation)}` : '';
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
      const check = ident(fitName(column.name, '_not_null_pglens'));
      statements.push(
        `ALTER TABLE ${q} ADD CONSTRAINT ${check} CHECK (${c} IS NOT NULL) NOT VALID`,
        `ALTER TABLE ${q} VALIDATE CONSTRAINT ${check}`,
        `${at} SET NOT NULL`,
        `ALTER TABLE ${q} DROP CONSTRAINT ${check}`,
      );
    } else statements.push(`${at} SET NOT NULL`);
  } else if (!was.nullable && column.nullable) statements.push(`${at} DROP NOT NULL`);
  if (!was.identity && column.identity) {
    statements.push(`${at} ADD GENERATED ${column.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`);
  } else if (was.identity && column.identity && was.identity !== column.identity) {
    statements.push(`${at} SET GENERATED ${column.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'}`);
  }
  ctx.add(PHASE.column, 'alter column', name, statements, { hazard });
  if (was.comment !== column.comment) columnComment(ctx, table, column);
}

/** Constraints the table declares itself: not PostgreSQL 18's catalogued NOT NULL, not a partition's inherited copies. */
function ownConstraints(table: TableInfo): ConstraintInfo[] {
  return table.constraints.filter((c) => c.kind !== 'not null' && !c.inherited);
}

/** Indexes created on their own: not those behind a constraint, not a partition's inherited ones. */
function ownIndexes(table: TableInfo): IndexInfo[] {
  const backing = new Set(table.constraints.filter((c) => c.kind === 'primary key' || c.kind === 'unique' || c.kind === 'exclusion').map((c) => c.name));
  return table.indexes.filter((i) => !backing.has(i.name) && !i.inherited);
}

function addConstraint(ctx: DiffContext, table: TableInfo, constraint: ConstraintInfo, safe: boolean): void {
  const q = qualified(table.schema, table.name);
  const c = ident(constraint.name);
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
  if (safe && table.kind === 'table' && index && (constraint.kind === 'primary key' || constraint.kind === 'unique') && !/DEFERRABLE/.test(def) && !/NULLS NOT DISTINCT/.test(def)) {
    // Build the index without blocking writes, then turn it into the constraint.
    ctx.add(PHASE.key, 'create index', display(table.schema, index.name), [concurrently(index.definition)], { transactional: false });
    ctx.add(phase, `add ${constraint.kind}`, name, [`ALTER TABLE ${q} ADD CONSTRAINT ${c} ${constraint.kind === 'primary key' ? 'PRIMARY KEY' : 'UNIQUE'} USING INDEX ${ident(index.name)}`], { rank: 1 });
    return;
  }
  ctx.add(phase, `add ${constraint.kind}`, name, [`ALTER TABLE ${q} ADD CONSTRAINT ${c} ${def}`]);
}

function concurrently(definition: string): string {
  return definition.replace(/^CREATE (UNIQUE )?INDEX /, (_, unique: string | undefined) => `CREATE ${unique ?? ''}INDEX CONCURRENTLY `);
}

function createIndex(ctx: DiffContext, table: TableInfo, index: IndexInfo, safe: boolean): void {
  // CONCURRENTLY is not possible on a partitioned table (PostgreSQL builds each partition's index).
  const useConcurrently = safe && table.kind === 'table';
  ctx.add(PHASE.index, 'create index', display(table.schema, index.name), [useConcurrently ? concurrently(index.definition) : index.definition], {
    transactional: !useConcurrently,
  });
}

export function diffTriggers(
  ctx: DiffContext,
  oldRel: { schema: string; name: string },
  rel: { schema: string; name: string },
  before: TriggerInfo[],
  after: TriggerInfo[],
  norm: (text: string) => string,
): void {
  const oldTriggers = byKey(before, (t) => t.name);
  const newTriggers = byKey(after, (t) => t.name);
  for (const [n, trigger] of oldTriggers) {
    const next = newTriggers.get(n);
    if (next && norm(trigger.definition) === next.definition) continue;
    ctx.drop(PHASE.trigger, 'drop trigger', display(oldRel.schema, oldRel.name, n), [`DROP TRIGGER ${ident(n)} ON ${qualified(oldRel.schema, oldRel.name)}`]);
  }
  for (const [n, trigger] of newTriggers) {
    const was = oldTriggers.get(n);
    if (!was || norm(was.definition) !== trigger.definition) createTrigger(ctx, rel, trigger);
    else if (was.enabled !== trigger.enabled) {
      ctx.add(PHASE.trigger, 'alter trigger', display(rel.schema, rel.name, n), [`ALTER TABLE ${qualified(rel.schema, rel.name)} ${trigger.enabled ? 'ENABLE' : 'DISABLE'} TRIGGER ${ident(n)}`]);
    }
  }
}

export function createTrigger(ctx: DiffContext, rel: { schema: string; name: string }, trigger: TriggerInfo): void {
  const statements = [trigger.definition];
  if (!trigger.enabled) statements.push(`ALTER TABLE ${qualified(rel.schema, rel.name)} DISABLE TRIGGER ${ident(trigger.name)}`);
  ctx.add(PHASE.trigger, 'create trigger', display(rel.schema, rel.name, trigger.name), statements);
}

function rls(ctx: DiffContext, old: TableInfo | undefined, table: TableInfo): void {
  const q = qualified(table.schema, table.name);
  const statements: string[] = [];
  if ((old?.rlsEnabled ?? false) !== table.rlsEnabled) statements.push(`ALTER TABLE ${q} ${table.rlsEnabled ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY`);
  if ((old?.rlsForced ?? false) !== table.rlsForced) statements.push(`ALTER TABLE ${q} ${table.rlsForced ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY`);
  ctx.add(PHASE.rls, 'row level security', display(table.schema, table.name), statements);
}

function createPolicy(ctx: DiffContext, table: TableInfo, policy: PolicyInfo): void {
  let sql = `CREATE POLICY ${ident(policy.name)} ON ${qualified(table.schema, table.name)} AS ${policy.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${policy.command}`;
  sql += ` TO ${policy.roles.length > 0 ? policy.roles.map(roleName).join(', ') : 'PUBLIC'}`;
  if (policy.using !== undefined) sql += ` USING (${policy.using})`;
  if (policy.withCheck !== undefined) sql += ` WITH CHECK (${policy.withCheck})`;
  ctx.add(PHASE.policy, 'create policy', display(table.schema, table.name, policy.name), [sql]);
}

function alterPolicy(ctx: DiffContext, table: TableInfo, was: PolicyInfo, policy: PolicyInfo, norm: (text: string) => string): void {
  const using = was.using === undefined ? undefined : norm(was.using);
  const withCheck = was.withCheck === undefined ? undefined : norm(was.withCheck);
  const rolesSame = was.roles.join('\u0000') === policy.roles.join('\u0000');
  if (rolesSame && using === policy.using && withCheck === policy.withCheck && was.command === policy.command && was.permissive === policy.permissive) return;
  const q = qualified(table.schema, table.name);
  const name = display(table.schema, table.name, policy.name);
  // ALTER POLICY cannot change the command or kind, nor remove a USING / WITH CHECK expression.
  if (was.command !== policy.command || was.permissive !== policy.permissive || (using !== undefined && policy.using === undefined) || (withCheck !== undefined && policy.withCheck === undefined)) {
    ctx.drop(PHASE.policy, 'drop policy', name, [`DROP POLICY ${ident(policy.name)} ON ${q}`]);
    createPolicy(ctx, table, policy);
    return;
  }
  let sql = `ALTER POLICY ${ident(policy.name)} ON ${q}`;
  if (!rolesSame) sql += ` TO ${policy.roles.length > 0 ? policy.roles.map(roleName).join(', ') : 'PUBLIC'}`;
  if (using !== policy.using && policy.using !== undefined) sql += ` USING (${policy.using})`;
  if (withCheck !== policy.withCheck && policy.withCheck !== undefined) sql += ` WITH CHECK (${policy.withCheck})`;
  ctx.add(PHASE.policy, 'alter policy', name, [sql]);
}

function tableComment(ctx: DiffContext, table: TableInfo): void {
  ctx.add(PHASE.comment, 'comment', display(table.schema, table.name), [`COMMENT ON TABLE ${qualified(table.schema, table.name)} IS ${commentLiteral(table.comment)}`]);
}

export function columnComment(ctx: DiffContext, rel: { schema: string; name: string }, column: ColumnInfo): void {
  ctx.add(PHASE.comment, 'comment', display(rel.schema, rel.name, column.name), [
    `COMMENT ON COLUMN ${qualified(rel.schema, rel.name)}.${ident(column.name)} IS ${commentLiteral(column.comment)}`,
  ]);
}

