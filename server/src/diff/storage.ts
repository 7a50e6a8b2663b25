/**
 * How tables are stored and planned rather than what they hold: UNLOGGED, storage parameters,
 * REPLICA IDENTITY, column storage / statistics target / compression, extended statistics objects,
 * rules, and ALTER DEFAULT PRIVILEGES. Tables are matched by their desired name (a renamed table's
 * settings are compared with its old self through `renamedFrom`).
 */
import type { ColumnInfo, DefaultPrivilegesInfo, SchemaSnapshot, TableInfo } from '../../../protocol/schema';
import { qualified, quoteIdent, roleName } from '../sql/quote';
import type { DiffContext } from './context';
import { byKey, display, PHASE, trimStatement } from './context';
import { tableKey } from './tables';

/** After the table and its columns exist; before views and grants. */
const STORAGE_PHASE = PHASE.index + 1;

export function diffTableStorage(ctx: DiffContext, current: SchemaSnapshot, desired: SchemaSnapshot, renamedFrom: ReadonlyMap<string, string>): void {
  const before = byKey(current.tables, tableKey);
  for (const table of desired.tables) {
    const old = before.get(renamedFrom.get(tableKey(table)) ?? tableKey(table));
    const name = qualified(table.schema, table.name);
    const object = display(table.schema, table.name);
    const statements: string[] = [];
    if ((old?.unlogged ?? false) !== (table.unlogged ?? false)) {
      const statement = `ALTER TABLE ${name} SET ${table.unlogged ? 'UNLOGGED' : 'LOGGED'}`;
      // A new table is created LOGGED by the table diff and switched here, while it is empty.
      if (old) ctx.add(STORAGE_PHASE, 'set persistence', object, [statement], { hazard: { kind: 'rewrite', object, message: `${statement} rewrites the table under an ACCESS EXCLUSIVE lock` } });
      else statements.push(statement);
    }
    statements.push(...optionChanges(`ALTER TABLE ${name}`, old?.options ?? [], table.options ?? []));
    const identity = replicaIdentity(table);
    if (identity !== replicaIdentity(old ?? { ...table, replicaIdentity: undefined })) statements.push(`ALTER TABLE ${name} REPLICA IDENTITY ${identity}`);
    for (const column of table.columns) statements.push(...columnChanges(name, old?.columns.find((c) => c.name === column.name), column));
    ctx.add(STORAGE_PHASE, 'alter storage', object, statements);
  }
}

/** `ALTER TABLE t SET (a=1, b=2)` for what is new or changed, `RESET (c)` for what went. */
function optionChanges(alter: string, from: readonly string[], to: readonly string[]): string[] {
  const parse = (options: readonly string[]) => new Map(options.map((o) => [o.slice(0, o.indexOf('=')), o.slice(o.indexOf('=') + 1)]));
  const a = parse(from);
  const b = parse(to);
  const set = [...b].filter(([key, value]) => a.get(key) !== value).map(([key, value]) => `${key}=${optionValue(value)}`);
  const reset = [...a.keys()].filter((key) => !b.has(key));
  const out: string[] = [];
  if (reset.length > 0) out.push(`${alter} RESET (${reset.join(', ')})`);
  if (set.length > 0) out.push(`${alter} SET (${set.join(', ')})`);
  return out;
}

/** reloptions values are printed bare when they are plain words or numbers; anything else is quoted. */
function optionValue(value: string): string {
  return /^[A-Za-z0-9_.+-]+$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
}

function replicaIdentity(table: TableInfo): string {
  if (table.replicaIdentity === 'index' && table.replicaIndex) return `USING INDEX ${quoteIdent(table.replicaIndex)}`;
  return (table.replicaIdentity ?? 'default').toUpperCase();
}

function columnChanges(table: string, old: ColumnInfo | undefined, column: ColumnInfo): string[] {
  const alter = `ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(column.name)}`;
  const out: string[] = [];
  // Without a storage of its own a column uses its type's: going back names the type's (DEFAULT is 16+).
  const storage = column.storage ?? (old?.storage ? old.typeStorage : undefined);
  if (old?.storage !== column.storage && storage) out.push(`${alter} SET STORAGE ${storage.toUpperCase()}`);
  if (old?.statisticsTarget !== column.statisticsTarget) out.push(`${alter} SET STATISTICS ${column.statisticsTarget ?? -1}`);
  if (old?.compression !== column.compression) out.push(`${alter} SET COMPRESSION ${column.compression ?? 'DEFAULT'}`);
  return out;
}

/** CREATE STATISTICS objects: dropped and created again when their definition changes. */
export function diffStatistics(ctx: DiffContext, current: SchemaSnapshot, desired: SchemaSnapshot): void {
  const key = (s: { schema: string; name: string }) => `${s.schema}\u0000${s.name}`;
  const before = byKey(current.statistics ?? [], key);
  const after = byKey(desired.statistics ?? [], key);
  for (const [k, old] of before) {
    const now = after.get(k);
    if (now && now.definition === old.definition) continue;
    ctx.drop(STORAGE_PHASE, 'drop statistics', display(old.schema, old.name), [`DROP STATISTICS IF EXISTS ${qualified(old.schema, old.name)}`]);
  }
  for (const [k, now] of after) {
    const old = before.get(k);
    const name = qualified(now.schema, now.name);
    const statements: string[] = [];
    if (!old || old.definition !== now.definition) statements.push(trimStatement(now.definition));
    if ((old?.definition === now.definition ? old.statisticsTarget : undefined) !== now.statisticsTarget) {
      statements.push(`ALTER STATISTICS ${name} SET STATISTICS ${now.statisticsTarget ?? -1}`);
    }
    ctx.add(STORAGE_PHASE + 1, 'create statistics', display(now.schema, now.name), statements);
  }
}

/** Rules other than views' own: replaced when their definition changes, enable state kept in step. */
export function diffRules(ctx: DiffContext, current: SchemaSnapshot, desired: SchemaSnapshot): void {
  const key = (r: { schema: string; table: string; name: string }) => `${r.schema}\u0000${r.table}\u0000${r.name}`;
  const before = byKey(current.rules ?? [], key);
  const after = byKey(desired.rules ?? [], key);
  for (const [k, old] of before) {
    if (after.get(k)?.definition === old.definition) continue;
    const relation = current.tables.some((t) => t.schema === old.schema && t.name === old.table) || current.views.some((v) => v.schema === old.schema && v.name === old.table);
    if (relation) ctx.drop(PHASE.trigger, 'drop rule', display(old.schema, old.table, old.name), [`DROP RULE IF EXISTS ${quoteIdent(old.name)} ON ${qualified(old.schema, old.table)}`]);
  }
  for (const [k, now] of after) {
    const old = before.get(k);
    const statements: string[] = [];
    if (!old || old.definition !== now.definition) statements.push(trimStatement(now.definition));
    const wasEnabled = old && old.definition === now.definition ? old.enabled : 'O';
    if (wasEnabled !== now.enabled) statements.push(`ALTER TABLE ${qualified(now.schema, now.table)} ${RULE_ENABLE[now.enabled]} RULE ${quoteIdent(now.name)}`);
    ctx.add(PHASE.trigger, 'create rule', display(now.schema, now.table, now.name), statements);
  }
}

const RULE_ENABLE: Record<'O' | 'D' | 'R' | 'A', string> = { O: 'ENABLE', D: 'DISABLE', R: 'ENABLE REPLICA', A: 'ENABLE ALWAYS' };

const DEFAULT_ACL_PRIVILEGES: Record<string, string> = {
  r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE', D: 'TRUNCATE', x: 'REFERENCES', t: 'TRIGGER', X: 'EXECUTE', U: 'USAGE', C: 'CREATE', m: 'MAINTAIN',
};

/**
 * ALTER DEFAULT PRIVILEGES per (role, schema, object type) and grantee. An entry is the difference
 * from the built-in defaults, so going back to them revokes what was granted (and grants back what a
 * global entry had revoked, e.g. EXECUTE from PUBLIC).
 */
export function diffDefaultPrivileges(ctx: DiffContext, current: SchemaSnapshot, desired: SchemaSnapshot): void {
  const key = (d: DefaultPrivilegesInfo) => `${d.role}\u0000${d.schema ?? ''}\u0000${d.objectType}`;
  const before = byKey(current.defaultPrivileges ?? [], key);
  const after = byKey(desired.defaultPrivileges ?? [], key);
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const entry = (after.get(k) ?? before.get(k)) as DefaultPrivilegesInfo;
    const from = grantees(before.get(k), entry);
    const to = grantees(after.get(k), entry);
    const head = `ALTER DEFAULT PRIVILEGES FOR ROLE ${roleName(entry.role)}${entry.schema !== undefined ? ` IN SCHEMA ${quoteIdent(entry.schema)}` : ''}`;
    const statements: string[] = [];
    for (const grantee of new Set([...from.keys(), ...to.keys()])) {
      const a = from.get(grantee) ?? '';
      const b = to.get(grantee) ?? '';
      if (a === b) continue;
      const who = grantee === '' ? 'PUBLIC' : roleName(grantee);
      const names = (letters: string) => [...letters.replace(/\*/g, '')].map((letter) => DEFAULT_ACL_PRIVILEGES[letter]).filter(Boolean);
      if (a !== '') statements.push(`${head} REVOKE ${names(a).join(', ')} ON ${entry.objectType.toUpperCase()} FROM ${who}`);
      if (b !== '') {
        const plain = [...b].filter((letter, i) => letter !== '*' && b[i + 1] !== '*').join('');
        const withOption = [...b].filter((letter, i) => letter !== '*' && b[i + 1] === '*').join('');
        if (plain) statements.push(`${head} GRANT ${names(plain).join(', ')} ON ${entry.objectType.toUpperCase()} TO ${who}`);
        if (withOption) statements.push(`${head} GRANT ${names(withOption).join(', ')} ON ${entry.objectType.toUpperCase()} TO ${who} WITH GRANT OPTION`);
      }
    }
    ctx.add(PHASE.grant, 'alter default privileges', `${entry.role}${entry.schema !== undefined ? ` in ${entry.schema}` : ''} on ${entry.objectType}`, statements);
  }
}

/**
 * Grantee → privilege letters of a default ACL entry, with the built-in defaults standing in for a
 * missing entry: a global entry (no schema) replaces them — the owner has everything, PUBLIC may
 * execute functions and use types — while a schema's entry only adds to them.
 */
function grantees(entry: DefaultPrivilegesInfo | undefined, like: DefaultPrivilegesInfo): Map<string, string> {
  const result = new Map<string, string>();
  if (!entry) {
    if (like.schema === undefined && like.objectType === 'functions') result.set('', 'X');
    if (like.schema === undefined && like.objectType === 'types') result.set('', 'U');
    return result;
  }
  for (const item of entry.acl) {
    const match = /^(.*)=([A-Za-z*]*)\/(.*)$/.exec(item);
    if (!match) continue;
    const grantee = match[1].startsWith('"') ? match[1].slice(1, -1).replace(/""/g, '"') : match[1];
    // The owner's own privileges on its new objects are not a default that ALTER DEFAULT PRIVILEGES changes here.
    if (grantee === like.role) continue;
    result.set(grantee, (result.get(grantee) ?? '') + match[2]);
  }
  return result;
}
