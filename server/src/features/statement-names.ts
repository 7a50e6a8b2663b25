/**
 * The names a statement holds and what each designates, before any lookup: from its parse tree
 * (name-bearing nodes by the byte offset where the name starts, names kept without a location, the
 * relations in scope), or from tokens alone when the statement does not parse. Shared by
 * go-to-definition, hover and completion.
 */
import type { Node } from 'libpg-query';
import { asArray, stringValue, unwrap } from '../sql/ast';
import type { Fields } from '../sql/ast';
import { RESERVED_KEYWORD, identValue, isName, word } from '../sql/tokens';
import type { Token } from '../sql/tokens';

export interface QualifiedName {
  schema?: string;
  name: string;
}

/** A relation a statement reads or writes, with the alias it goes by there. */
export interface ScopeEntry extends QualifiedName {
  alias?: string;
}

/** What a name designates, before looking it up. */
export type NameTarget =
  | { kind: 'schema'; schema: string }
  | { kind: 'relation' | 'index' | 'function' | 'type'; name: QualifiedName }
  | { kind: 'column'; column: string; candidates: QualifiedName[] }
  | { kind: 'unknown'; parts: string[]; index: number; scope: ScopeEntry[] };

export type Site =
  | { kind: 'relation'; parts: string[]; role: 'relation' | 'index' | 'cte' }
  | { kind: 'column-ref'; fields: string[] }
  | { kind: 'function' | 'type'; parts: string[] }
  | { kind: 'column'; name: string; relation?: QualifiedName };

export interface TreeNames {
  /** Name-bearing nodes by the byte offset where their name starts. */
  sites: Map<number, Site>;
  /** Names the tree holds without a location, in tree order. */
  named: Array<{ name: string; target: NameTarget }>;
  /** Relations of the statement, in tree order. */
  scope: ScopeEntry[];
}

/** The relations `qualifier` (an alias, or a table's own name) stands for in a statement. */
export function scopeMatch(scope: readonly ScopeEntry[], qualifier: string): QualifiedName[] {
  const byAlias = scope.filter((entry) => entry.alias === qualifier);
  if (byAlias.length > 0) return byAlias.map(({ schema, name }) => ({ schema, name }));
  const byName = scope.filter((entry) => entry.name === qualifier);
  if (byName.length > 0) return byName.map(({ schema, name }) => ({ schema, name }));
  return [{ name: qualifier }];
}

export function nameOf(parts: readonly string[]): QualifiedName {
  const name = parts[parts.length - 1];
  return parts.length > 1 ? { schema: parts[parts.length - 2], name } : { name };
}

function stringsOf(list: unknown): string[] {
  return asArray(list).map((item) => stringValue(item) ?? '*');
}

function relationOf(rangeVar: unknown): QualifiedName | undefined {
  const fields = rangeVar as Fields | undefined;
  if (!fields || typeof fields.relname !== 'string') return undefined;
  return typeof fields.schemaname === 'string' ? { schema: fields.schemaname, name: fields.relname } : { name: fields.relname };
}

/** ALTER TABLE sub-commands whose `name` is a column. */
const COLUMN_COMMANDS = new Set([
  'AT_AlterColumnType',
  'AT_ColumnDefault',
  'AT_CookedColumnDefault',
  'AT_DropNotNull',
  'AT_SetNotNull',
  'AT_SetExpression',
  'AT_DropExpression',
  'AT_SetStatistics',
  'AT_SetOptions',
  'AT_ResetOptions',
  'AT_SetStorage',
  'AT_SetCompression',
  'AT_DropColumn',
  'AT_AddIdentity',
  'AT_SetIdentity',
  'AT_DropIdentity',
  'AT_AlterColumnGenericOptions',
]);

export function collectNames(stmt: Node): TreeNames {
  const out: TreeNames = { sites: new Map(), named: [], scope: [] };
  const ctes = new Set<string>();
  findCtes(stmt, ctes);
  const site = (location: unknown, entry: Site): void => {
    if (typeof location === 'number' && !out.sites.has(location)) out.sites.set(location, entry);
  };
  const column = (name: unknown, relation: QualifiedName | undefined): void => {
    if (typeof name === 'string') out.named.push({ name, target: { kind: 'column', column: name, candidates: relation ? [relation] : out.scope } });
  };
  const rangeVar = (value: unknown, role: 'relation' | 'index' = 'relation'): QualifiedName | undefined => {
    const relation = relationOf(value);
    if (!relation) return undefined;
    const fields = value as Fields;
    const cte = relation.schema === undefined && ctes.has(relation.name);
    site(fields.location, { kind: 'relation', parts: relation.schema ? [relation.schema, relation.name] : [relation.name], role: cte ? 'cte' : role });
    if (cte || role !== 'relation') return relation;
    const alias = (fields.alias as Fields | undefined)?.aliasname;
    out.scope.push(typeof alias === 'string' ? { ...relation, alias } : relation);
    if (typeof alias === 'string') out.named.push({ name: alias, target: { kind: 'relation', name: relation } });
    return relation;
  };
  const targets = (list: unknown, relation: QualifiedName | undefined, ctx: Context): void => {
    for (const item of asArray(list)) {
      const target = unwrap(item);
      if (target?.[0] !== 'ResTarget') continue;
      if (typeof target[1].name === 'string') site(target[1].location, { kind: 'column', name: target[1].name, relation });
      visit(target[1].val, ctx);
      visit(target[1].indirection, ctx);
    }
  };
  const visitExcept = (fields: Fields, ctx: Context, skip: readonly string[]): void => {
    for (const [key, value] of Object.entries(fields)) if (!skip.includes(key)) visit(value, ctx);
  };

  const node = (type: string, fields: Fields, ctx: Context): void => {
    switch (type) {
      case 'RangeVar':
        rangeVar(fields);
        return;
      case 'ColumnRef':
        site(fields.location, { kind: 'column-ref', fields: stringsOf(fields.fields) });
        return;
      case 'FuncCall':
        site(fields.location, { kind: 'function', parts: stringsOf(fields.funcname) });
        visitExcept(fields, ctx, ['funcname']);
        return;
      case 'TypeName':
        site(fields.location, fields.pct_type ? { kind: 'column-ref', fields: stringsOf(fields.names) } : { kind: 'type', parts: stringsOf(fields.names) });
        return;
      case 'ColumnDef':
        if (typeof fields.colname === 'string') site(fields.location, { kind: 'column', name: fields.colname, relation: ctx.relation });
        visitExcept(fields, ctx, []);
        return;
      case 'CreateStmt': {
        const relation = rangeVar(fields.relation);
        visitExcept(fields, { relation }, ['relation']);
        return;
      }
      case 'AlterTableStmt': {
        const relation = rangeVar(fields.relation, fields.objtype === 'OBJECT_INDEX' ? 'index' : 'relation');
        for (const command of asArray(fields.cmds)) {
          const cmd = unwrap(command)?.[1];
          if (!cmd) continue;
          if (COLUMN_COMMANDS.has(String(cmd.subtype))) column(cmd.name, relation);
          visit(cmd.def, { relation });
        }
        return;
      }
      case 'IndexStmt': {
        const relation = rangeVar(fields.relation);
        if (typeof fields.idxname === 'string') out.named.push({ name: fields.idxname, target: { kind: 'index', name: { schema: relation?.schema, name: fields.idxname } } });
        visitExcept(fields, { relation }, ['relation']);
        return;
      }
      case 'IndexElem':
        column(fields.name, ctx.relation);
        visit(fields.expr, ctx);
        return;
      case 'Constraint': {
        for (const key of ['keys', 'fk_attrs', 'including']) for (const name of stringsOf(fields[key])) column(name, ctx.relation);
        const referenced = rangeVar(fields.pktable);
        for (const name of stringsOf(fields.pk_attrs)) column(name, referenced);
        visitExcept(fields, ctx, ['keys', 'fk_attrs', 'including', 'pk_attrs', 'pktable']);
        return;
      }
      case 'InsertStmt': {
        const relation = rangeVar(fields.relation);
        targets(fields.cols, relation, { relation });
        visitExcept(fields, { relation }, ['relation', 'cols']);
        return;
      }
      case 'UpdateStmt': {
        const relation = rangeVar(fields.relation);
        targets(fields.targetList, relation, { relation });
        visitExcept(fields, { relation }, ['relation', 'targetList']);
        return;
      }
      case 'OnConflictClause':
        targets(fields.targetList, ctx.relation, ctx);
        visitExcept(fields, ctx, ['targetList']);
        return;
      case 'RenameStmt': {
        const relation = rangeVar(fields.relation, fields.renameType === 'OBJECT_INDEX' ? 'index' : 'relation');
        if (fields.renameType === 'OBJECT_COLUMN') {
          column(fields.subname, relation);
          column(fields.newname, relation);
        }
        return;
      }
      default:
        visitExcept(fields, ctx, []);
    }
  };
  const visit = (value: unknown, ctx: Context): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, ctx);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const keys = Object.keys(value);
    if (keys.length === 1 && /^[A-Z]/.test(keys[0])) {
      const fields = (value as Fields)[keys[0]];
      node(keys[0], fields && typeof fields === 'object' ? (fields as Fields) : {}, ctx);
      return;
    }
    // Some fields hold a node's body without its `{ Type: … }` wrapper.
    const fields = value as Fields;
    if (typeof fields.relname === 'string') node('RangeVar', fields, ctx);
    else if (Array.isArray(fields.names) && ('typemod' in fields || 'location' in fields)) node('TypeName', fields, ctx);
    else visitExcept(fields, ctx, []);
  };
  visit(stmt, {});
  return out;
}

interface Context {
  /** The table a CREATE TABLE, ALTER TABLE, CREATE INDEX or INSERT/UPDATE is about. */
  relation?: QualifiedName;
}

function findCtes(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) findCtes(item, into);
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'CommonTableExpr' && typeof (child as Fields).ctename === 'string') into.add((child as Fields).ctename as string);
    findCtes(child, into);
  }
}

/**
 * The relations a statement names after FROM, JOIN, UPDATE, INTO, USING, TABLE, ON (of CREATE
 * INDEX) and REFERENCES, and commas of a FROM list, with their aliases; CTE names are left out.
 * Token heuristics only, for statements that do not parse.
 */
export function scopeFromTokens(tokens: readonly Token[]): ScopeEntry[] {
  const scope: ScopeEntry[] = [];
  const ctes = new Set<string>();
  const fromDepths = new Set<number>();
  const indexStatement = tokens.some((token) => word(token) === 'INDEX');
  let depth = 0;
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k];
    const keyword = word(token);
    if (token.text === '(') depth++;
    else if (token.text === ')') {
      fromDepths.delete(depth);
      depth--;
    } else if (isName(token) && word(tokens[k + 1]) === 'AS' && (tokens[k + 2]?.text === '(' || /^(NOT|MATERIALIZED)$/.test(word(tokens[k + 2])))) {
      ctes.add(identValue(token.text));
    }
    if (keyword === 'FROM') fromDepths.add(depth);
    else if (/^(WHERE|GROUP|ORDER|HAVING|LIMIT|OFFSET|WINDOW|UNION|INTERSECT|EXCEPT|RETURNING|SET|VALUES|SELECT)$/.test(keyword)) fromDepths.delete(depth);
    const opens =
      /^(FROM|JOIN|UPDATE|INTO|USING|TABLE|REFERENCES)$/.test(keyword) ||
      (keyword === 'ON' && indexStatement && word(tokens[k - 1]) !== 'CONFLICT') ||
      (token.text === ',' && fromDepths.has(depth));
    if (!opens) continue;
    let at = k + 1;
    while (/^(ONLY|LATERAL|IF|NOT|EXISTS)$/.test(word(tokens[at]))) at++;
    if (!isName(tokens[at]) || tokens[at].keyword === RESERVED_KEYWORD) continue;
    const parts = [identValue(tokens[at].text)];
    while (tokens[at + 1]?.text === '.' && isName(tokens[at + 2])) {
      parts.push(identValue(tokens[at + 2].text));
      at += 2;
    }
    const entry: ScopeEntry = nameOf(parts);
    let alias: Token | undefined = tokens[at + 1];
    if (word(alias) === 'AS') alias = isName(tokens[at + 2]) ? tokens[at + 2] : undefined;
    else if (alias?.kind !== 'ident') alias = undefined;
    if (alias) entry.alias = identValue(alias.text);
    scope.push(entry);
  }
  return scope.filter((entry) => entry.schema !== undefined || !ctes.has(entry.name));
}
