/**
 * Privileges (on by default; `grants: false` leaves them out): GRANT / REVOKE per grantee where the
 * ACLs of schemas, tables, views, columns, sequences, functions, procedures and types differ.
 */
import type { SchemaSnapshot } from '../../../protocol/schema';
import { qualified, quoteIdent, roleName } from '../sql/quote';
import type { DiffContext } from './context';
import { byKey, PHASE } from './context';
import { functionSignature } from './objects';

const PRIVILEGES: Record<string, string> = {
  r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE', D: 'TRUNCATE', x: 'REFERENCES', t: 'TRIGGER',
  X: 'EXECUTE', U: 'USAGE', C: 'CREATE', c: 'CONNECT', T: 'TEMPORARY', m: 'MAINTAIN',
};


interface Grantable {
  /** `TABLE "s"."t"`, `SEQUENCE …`, `FUNCTION …(args)`, `SCHEMA "s"`, `TYPE …`. */
  target: string;
  object: string;
  owner?: string;
  cls: 'table' | 'sequence' | 'function' | 'schema' | 'type' | 'column';
  /** For a column: its name, rendered as `GRANT UPDATE ("b") ON TABLE …`. */
  column?: string;
  acl?: string[];
}

const unquote = (name: string) => (name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name);

/**
 * aclitem text → grantee → privilege letters (sorted, `*` after a letter for the grant option); PUBLIC
 * is the empty grantee. A NULL ACL means the defaults: PUBLIC may execute functions. The owner's own
 * entry (grantee = grantor) is left out: the owner's privileges are not diffed, and their letters
 * differ between versions (MAINTAIN from 17).
 */
function parseAcl(item: Grantable): Map<string, string> {
  const result = new Map<string, string>();
  if (item.acl === undefined) {
    if (item.cls === 'function') result.set('', 'X');
    if (item.cls === 'type') result.set('', 'U');
    return result;
  }
  for (const entry of item.acl) {
    const match = /^(.*)=([A-Za-z*]*)\/(.*)$/.exec(entry);
    if (!match) continue;
    const grantee = unquote(match[1]);
    if (grantee === unquote(match[3]) && grantee === (item.owner ?? grantee)) continue;
    result.set(grantee, (result.get(grantee) ?? '') + match[2]);
  }
  for (const [grantee, letters] of result) result.set(grantee, (letters.match(/[A-Za-z]\*?/g) ?? []).sort().join(''));
  return result;
}

/** `r*w` → [['r', true], ['w', false]] */
function privileges(letters: string): Array<[string, boolean]> {
  const out: Array<[string, boolean]> = [];
  for (let k = 0; k < letters.length; k++) {
    if (letters[k] === '*') continue;
    out.push([letters[k], letters[k + 1] === '*']);
  }
  return out;
}

function collect(snapshot: SchemaSnapshot): Map<string, Grantable> {
  const items: Grantable[] = [];
  for (const s of snapshot.schemas) items.push({ target: `SCHEMA ${quoteIdent(s.name)}`, object: s.name, owner: s.owner, cls: 'schema', acl: s.acl });
  for (const relation of [...snapshot.tables, ...snapshot.views]) {
    const target = `TABLE ${qualified(relation.schema, relation.name)}`;
    const object = `${relation.schema}.${relation.name}`;
    items.push({ target, object, owner: relation.owner, cls: 'table', acl: relation.acl });
    for (const c of relation.columns) {
      if (c.acl) items.push({ target, object: `${object}.${c.name}`, cls: 'column', column: c.name, acl: c.acl });
    }
  }
  for (const t of snapshot.types) items.push({ target: `TYPE ${qualified(t.schema, t.name)}`, object: `${t.schema}.${t.name}`, cls: 'type', acl: t.acl });
  for (const s of snapshot.sequences) items.push({ target: `SEQUENCE ${qualified(s.schema, s.name)}`, object: `${s.schema}.${s.name}`, cls: 'sequence', acl: s.acl });
  for (const f of snapshot.functions) {
    if (f.kind === 'aggregate') continue;
    const word = f.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION';
    items.push({ target: `${word} ${functionSignature(f)}`, object: `${f.schema}.${f.name}(${f.arguments})`, cls: 'function', acl: f.acl });
  }
  return byKey(items, (i) => `${i.target}\u0000${i.column ?? ''}`);
}

export function diffGrants(ctx: DiffContext, current: SchemaSnapshot, desired: SchemaSnapshot): void {
  const before = collect(current);
  const after = collect(desired);
  // A column whose privileges were all revoked is absent from the desired side: compare it with none.
  for (const [k, item] of before) if (item.cls === 'column' && !after.has(k) && columnExists(desired, item)) after.set(k, { ...item, acl: [] });
  for (const [k, item] of after) {
    const old = before.get(k);
    // A new object starts with the defaults.
    const from = parseAcl(old ?? { ...item, acl: undefined });
    const to = parseAcl(item);
    const statements: string[] = [];
    for (const grantee of new Set([...from.keys(), ...to.keys()])) {
      const a = from.get(grantee) ?? '';
      const b = to.get(grantee) ?? '';
      if (a === b) continue;
      const who = grantee === '' ? 'PUBLIC' : roleName(grantee);
      const on = item.column === undefined ? `ON ${item.target}` : `(${quoteIdent(item.column)}) ON ${item.target}`;
      if (a !== '') statements.push(`REVOKE ALL ${on} FROM ${who}`);
      const plain = privileges(b).filter(([, option]) => !option).map(([p]) => PRIVILEGES[p]).filter(Boolean);
      const withOption = privileges(b).filter(([, option]) => option).map(([p]) => PRIVILEGES[p]).filter(Boolean);
      if (plain.length > 0) statements.push(`GRANT ${plain.join(', ')} ${on} TO ${who}`);
      if (withOption.length > 0) statements.push(`GRANT ${withOption.join(', ')} ${on} TO ${who} WITH GRANT OPTION`);
    }
    ctx.add(PHASE.grant, 'grant', item.object, statements);
  }
}

function columnExists(snapshot: SchemaSnapshot, item: Grantable): boolean {
  return [...snapshot.tables, ...snapshot.views].some((r) => `${r.schema}.${r.name}.${item.column}` === item.object && r.columns.some((c) => c.name === item.column));
}
