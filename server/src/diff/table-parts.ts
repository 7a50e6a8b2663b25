/** Triggers, row-level security, policies and comments of tables and views. */
import type { ColumnInfo, PolicyInfo, TableInfo, TriggerInfo } from '../../../protocol/schema';
import { commentLiteral, qualified, quoteIdent, roleName } from '../sql/quote';
import type { DiffContext } from './context';
import { byKey, display, PHASE } from './context';

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
    ctx.drop(PHASE.trigger, 'drop trigger', display(oldRel.schema, oldRel.name, n), [`DROP TRIGGER ${quoteIdent(n)} ON ${qualified(oldRel.schema, oldRel.name)}`]);
  }
  for (const [n, trigger] of newTriggers) {
    const was = oldTriggers.get(n);
    if (!was || norm(was.definition) !== trigger.definition) createTrigger(ctx, rel, trigger);
    else {
      if (was.enabled !== trigger.enabled) {
        ctx.add(PHASE.trigger, 'alter trigger', display(rel.schema, rel.name, n), [`ALTER TABLE ${qualified(rel.schema, rel.name)} ${trigger.enabled ? 'ENABLE' : 'DISABLE'} TRIGGER ${quoteIdent(n)}`]);
      }
      if (was.comment !== trigger.comment) commentOn(ctx, 'TRIGGER', n, rel, trigger.comment);
    }
  }
}

export function createTrigger(ctx: DiffContext, rel: { schema: string; name: string }, trigger: TriggerInfo): void {
  const statements = [trigger.definition];
  if (!trigger.enabled) statements.push(`ALTER TABLE ${qualified(rel.schema, rel.name)} DISABLE TRIGGER ${quoteIdent(trigger.name)}`);
  ctx.add(PHASE.trigger, 'create trigger', display(rel.schema, rel.name, trigger.name), statements);
  if (trigger.comment !== undefined) commentOn(ctx, 'TRIGGER', trigger.name, rel, trigger.comment);
}

/** `COMMENT ON CONSTRAINT|TRIGGER|POLICY name ON table IS …` */
export function commentOn(ctx: DiffContext, what: 'CONSTRAINT' | 'TRIGGER' | 'POLICY', name: string, rel: { schema: string; name: string }, comment: string | undefined): void {
  ctx.add(PHASE.comment, 'comment', display(rel.schema, rel.name, name), [`COMMENT ON ${what} ${quoteIdent(name)} ON ${qualified(rel.schema, rel.name)} IS ${commentLiteral(comment)}`]);
}

export function indexComment(ctx: DiffContext, schema: string, name: string, comment: string | undefined): void {
  ctx.add(PHASE.comment, 'comment', display(schema, name), [`COMMENT ON INDEX ${qualified(schema, name)} IS ${commentLiteral(comment)}`]);
}

export function rls(ctx: DiffContext, old: TableInfo | undefined, table: TableInfo): void {
  const q = qualified(table.schema, table.name);
  const statements: string[] = [];
  if ((old?.rlsEnabled ?? false) !== table.rlsEnabled) statements.push(`ALTER TABLE ${q} ${table.rlsEnabled ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY`);
  if ((old?.rlsForced ?? false) !== table.rlsForced) statements.push(`ALTER TABLE ${q} ${table.rlsForced ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY`);
  ctx.add(PHASE.rls, 'row level security', display(table.schema, table.name), statements);
}

export function createPolicy(ctx: DiffContext, table: TableInfo, policy: PolicyInfo): void {
  let sql = `CREATE POLICY ${quoteIdent(policy.name)} ON ${qualified(table.schema, table.name)} AS ${policy.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${policy.command}`;
  sql += ` TO ${policy.roles.length > 0 ? policy.roles.map(roleName).join(', ') : 'PUBLIC'}`;
  if (policy.using !== undefined) sql += ` USING (${policy.using})`;
  if (policy.withCheck !== undefined) sql += ` WITH CHECK (${policy.withCheck})`;
  ctx.add(PHASE.policy, 'create policy', display(table.schema, table.name, policy.name), [sql]);
  if (policy.comment !== undefined) commentOn(ctx, 'POLICY', policy.name, table, policy.comment);
}

export function alterPolicy(ctx: DiffContext, table: TableInfo, was: PolicyInfo, policy: PolicyInfo, norm: (text: string) => string): void {
  const using = was.using === undefined ? undefined : norm(was.using);
  const withCheck = was.withCheck === undefined ? undefined : norm(was.withCheck);
  const rolesSame = was.roles.join('\u0000') === policy.roles.join('\u0000');
  const recreate = was.command !== policy.command || was.permissive !== policy.permissive || (using !== undefined && policy.using === undefined) || (withCheck !== undefined && policy.withCheck === undefined);
  if (!recreate && was.comment !== policy.comment) commentOn(ctx, 'POLICY', policy.name, table, policy.comment);
  if (rolesSame && using === policy.using && withCheck === policy.withCheck && was.command === policy.command && was.permissive === policy.permissive) return;
  const q = qualified(table.schema, table.name);
  const name = display(table.schema, table.name, policy.name);
  // ALTER POLICY cannot change the command or kind, nor remove a USING / WITH CHECK expression.
  if (recreate) {
    ctx.drop(PHASE.policy, 'drop policy', name, [`DROP POLICY ${quoteIdent(policy.name)} ON ${q}`]);
    createPolicy(ctx, table, policy);
    return;
  }
  let sql = `ALTER POLICY ${quoteIdent(policy.name)} ON ${q}`;
  if (!rolesSame) sql += ` TO ${policy.roles.length > 0 ? policy.roles.map(roleName).join(', ') : 'PUBLIC'}`;
  if (using !== policy.using && policy.using !== undefined) sql += ` USING (${policy.using})`;
  if (withCheck !== policy.withCheck && policy.withCheck !== undefined) sql += ` WITH CHECK (${policy.withCheck})`;
  ctx.add(PHASE.policy, 'alter policy', name, [sql]);
}

export function tableComment(ctx: DiffContext, table: TableInfo): void {
  ctx.add(PHASE.comment, 'comment', display(table.schema, table.name), [`COMMENT ON TABLE ${qualified(table.schema, table.name)} IS ${commentLiteral(table.comment)}`]);
}

export function columnComment(ctx: DiffContext, rel: { schema: string; name: string }, column: ColumnInfo): void {
  ctx.add(PHASE.comment, 'comment', display(rel.schema, rel.name, column.name), [
    `COMMENT ON COLUMN ${qualified(rel.schema, rel.name)}.${quoteIdent(column.name)} IS ${commentLiteral(column.comment)}`,
  ]);
}

