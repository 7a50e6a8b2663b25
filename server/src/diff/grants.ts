/** Privileges (opt-in): GRANT / REVOKE per grantee where the ACLs differ. */
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
  /** `TABLE "s"."t"`, `SEQUENCE …`, `FUNCTION …(args)`, `SCHEMA "s"`. */
  target: string;
  object: string;
  owner?: string;
  cls: 'table' | 'sequence' | 'function' | 'schema';
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
  for (const t of snapshot.tables) items.push({ target: `TABLE ${qualified(t.schema, t.name)}`, object: `${t.schema}.${t.name}`, owner: t.owner, cls: 'table', acl: t.acl });
  for (const v of snapshot.views) items.push({ target: `TABLE ${qualified(v.schema, v.name)}`, object: `${v.schema}.${v.name}`, owner: v.owner, cls: 'table', acl: v.acl });
  for (const s of snapshot.sequences) items.push({ target: `SEQUENCE ${qualified(s.schema, s.name)}`, object: `${s.schema}.${s.name}`, cls: 'sequence', acl: s.acl });
  for (const f of snapshot.functions) {
    if (f.kind === 'aggregate') continue;
    const word = f.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION';
    items.push({ target: `${word} ${functionSignature(f)}`, object: `${f.schema}.${f.name}(${f.arguments})`, cls: 'function', acl: f.acl });
  }
  return byKey(items, (i) => i.target);
}

export function diffGrants(ctx: DiffContext, current: SchemaSnapshot, desired: SchemaSnapshot): void {
  const before = collect(current);
  for (const [k, item] of collect(desired)) {
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
      if (a !== '') statements.push(`REVOKE ALL ON ${item.target} FROM ${who}`);
      const plain = privileges(b).filter(([, option]) => !option).map(([p]) => PRIVILEGES[p]).filter(Boolean);
      const withOption = privileges(b).filter(([, option]) => option).map(([p]) => PRIVILEGES[p]).filter(Boolean);
      if (plain.length > 0) statements.push(`GRANT ${plain.join(', ')} ON ${item.target} TO ${who}`);
      if (withOption.length > 0) statements.push(`GRANT ${withOption.join(', ')} ON ${item.target} TO ${who} WITH GRANT OPTION`);
    }
    ctx.add(PHASE.grant, 'grant', item.object, statements);
  }
}
