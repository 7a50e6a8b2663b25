import type { AnalyzedStatement } from '../../document/analyze';
import { asArray, qualifiedName, rangeVarName, stringValue, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import type { Token } from '../../sql/tokens';
import { commandTokens, keywordsSpan, tableKey } from '../helpers';
import type { Rule, RuleFinding } from '../types';

/**
 * ALTER COLUMN … TYPE rewrites the table and rebuilds its indexes under ACCESS EXCLUSIVE, except for
 * the binary-coercible changes PostgreSQL makes in the catalog only. The column's current type comes
 * from the file's earlier statements when they define it; otherwise the finding says what it depends on.
 */
export const rule: Rule = {
  name: 'changing-column-type',
  summary: 'ALTER COLUMN … TYPE rewrites the table and its indexes under an ACCESS EXCLUSIVE lock',
  defaultSeverity: 'error',
  scalesWithTableSize: true,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || unwrapped?.[0] !== 'AlterTableStmt' || unwrapped[1].objtype !== 'OBJECT_TABLE') return [];
    const table = rangeVarName(unwrapped[1].relation);
    if (!table) return [];
    const cmds = asArray(unwrapped[1].cmds).map((command) => unwrap(command)?.[1] ?? {});
    if (!cmds.some((cmd) => cmd.subtype === 'AT_AlterColumnType')) return [];
    const pieces = commandTokens(statement, unwrapped[1].relation);
    const known = columnTypesBefore([...context.history(), ...context.earlier()]).get(tableKey(table));
    const findings: RuleFinding[] = [];
    cmds.forEach((cmd, index) => {
      if (cmd.subtype !== 'AT_AlterColumnType' || typeof cmd.name !== 'string') return;
      const column = cmd.name;
      const def = unwrap(cmd.def)?.[1] ?? {};
      const typeName = def.typeName as Fields | undefined;
      if (!typeName) return;
      const target = normalize(typeName);
      const tokens = pieces.length === cmds.length ? pieces[index] : undefined;
      const typeText = tokens ? typeSource(tokens, typeName.location) : undefined;
      const shown = typeText ? context.analysis.text.slice(typeText.start, typeText.end) : target ? display(target) : qualifiedName(typeName.names);
      const span = tokens && typeText ? { start: tokens[0].start, end: typeText.end } : (keywordsSpan(statement, ['type']) ?? keywordsSpan(statement, ['alter']));
      if (!span) return;
      const using = def.raw_default;
      const trivialUsing = using === undefined || isColumn(using, column);
      const current = known?.get(column);
      const before = current ? normalize(current) : undefined;
      const lock = `rewrites ${table} and rebuilds its indexes under an ACCESS EXCLUSIVE lock (reads and writes wait)`;
      const safe = 'add a new column, backfill it in batches, and switch over to it.';

      if (!trivialUsing) {
        findings.push({ ...span, table, message: `Changing ${column} to ${shown} with a USING expression ${lock}. Instead, ${safe}` });
        return;
      }
      if (before && target) {
        if (binaryCoercible(before, target)) return;
        const zones = [before.name, target.name].sort().join(' ') === 'timestamp timestamptz' && !before.array && !target.array;
        const utc = zones ? ". PostgreSQL 12+ skips the rewrite only when the session's TimeZone is UTC" : '';
        findings.push({ ...span, table, message: `Changing ${column} from ${display(before)} to ${shown} ${lock}${utc}. Instead, ${safe}` });
        return;
      }
      const exceptions = exceptionsFor(target);
      if (exceptions) {
        findings.push({
          ...span,
          table,
          severity: 'warning',
          message: `Changing ${column} to ${shown} ${lock}, unless it is a binary-coercible change (${exceptions}); pglens cannot see the column's current type. If it rewrites, ${safe}`,
        });
        return;
      }
      const utc = target?.name === 'timestamptz' || target?.name === 'timestamp' ? ". Between timestamp and timestamptz, PostgreSQL 12+ skips the rewrite only when the session's TimeZone is UTC" : '';
      findings.push({ ...span, table, message: `Changing ${column} to ${shown} ${lock}${utc}. Instead, ${safe}` });
    });
    return findings;
  },
};

/** The binary-coercible changes that reach `target` without a rewrite, for the message when the old type is unknown. */
function exceptionsFor(target: ColumnType | undefined): string | undefined {
  if (!target || target.array) return undefined;
  const sized = target.mods !== undefined;
  switch (target.name) {
    case 'varchar':
      return sized ? 'from a varchar no longer than that' : 'from any varchar, or from text';
    case 'text':
      return 'from varchar';
    case 'numeric':
      return sized ? 'from a numeric with no more precision and the same scale' : 'from any numeric';
    case 'varbit':
      return sized ? 'from a bit varying no longer than that' : 'from any bit varying';
    case 'inet':
      return 'from cidr';
    default:
      return undefined;
  }
}

interface ColumnType {
  /** Lower-case name without `pg_catalog.` (`varchar`, `numeric`, `int4`, `public.citext`). */
  name: string;
  /** Integer type modifiers (`varchar(20)` → [20]); undefined without any. */
  mods?: number[];
  array: boolean;
}

function normalize(typeName: Fields): ColumnType | undefined {
  const names = asArray(typeName.names).map((part) => stringValue(part) ?? '');
  if (names.length === 0) return undefined;
  const name = names.length === 2 && names[0] === 'pg_catalog' ? names[1] : names.join('.');
  const modNodes = asArray(typeName.typmods);
  const mods: number[] = [];
  for (const node of modNodes) {
    const constant = unwrap(node);
    const ival = constant?.[0] === 'A_Const' ? (constant[1].ival as Fields | undefined) : undefined;
    if (!ival) return undefined; // not an integer literal: compare nothing
    mods.push(typeof ival.ival === 'number' ? ival.ival : 0);
  }
  return { name, mods: modNodes.length > 0 ? mods : undefined, array: asArray(typeName.arrayBounds).length > 0 };
}

const ALIASES: Record<string, string> = { int2: 'smallint', int4: 'integer', int8: 'bigint', float4: 'real', float8: 'double precision', bool: 'boolean', bpchar: 'char', varbit: 'bit varying' };

function display(type: ColumnType): string {
  return `${ALIASES[type.name] ?? type.name}${type.mods ? `(${type.mods.join(',')})` : ''}${type.array ? '[]' : ''}`;
}

/** The changes PostgreSQL makes without touching the rows (ATColumnChangeRequiresRewrite). */
function binaryCoercible(from: ColumnType, to: ColumnType): boolean {
  const same = from.name === to.name && from.array === to.array && JSON.stringify(from.mods) === JSON.stringify(to.mods);
  if (same) return true;
  if (from.array || to.array) return false;
  const grows = (a?: number[], b?: number[]): boolean => b === undefined || (a !== undefined && b[0] >= a[0]);
  if (from.name === 'varchar' && to.name === 'varchar') return grows(from.mods, to.mods);
  if (from.name === 'varchar' && to.name === 'text') return true;
  if (from.name === 'text' && to.name === 'varchar') return to.mods === undefined;
  if (from.name === 'varbit' && to.name === 'varbit') return grows(from.mods, to.mods);
  if (from.name === 'numeric' && to.name === 'numeric') {
    if (to.mods === undefined) return true;
    if (from.mods === undefined) return false;
    return to.mods[0] >= from.mods[0] && (to.mods[1] ?? 0) === (from.mods[1] ?? 0);
  }
  return from.name === 'cidr' && to.name === 'inet';
}

/** USING col or USING col::type: the column itself, as without USING. */
function isColumn(expression: unknown, column: string): boolean {
  let node = unwrap(expression);
  while (node?.[0] === 'TypeCast') node = unwrap(node[1].arg);
  if (node?.[0] !== 'ColumnRef') return false;
  const fields = asArray(node[1].fields).map((field) => stringValue(field));
  return fields.length === 1 && fields[0] === column;
}

/** The type's tokens in an ALTER COLUMN command: from its location to USING, COLLATE or the end. */
function typeSource(tokens: Token[], location: unknown): { start: number; end: number } | undefined {
  const first = tokens.findIndex((token) => token.byte === location);
  if (first < 0) return undefined;
  let last = tokens.length - 1;
  let depth = 0;
  for (let i = first; i < tokens.length; i++) {
    const text = tokens[i].text.toLowerCase();
    if (text === '(' || text === '[') depth++;
    if (text === ')' || text === ']') depth--;
    if (depth === 0 && i > first && (text === 'using' || text === 'collate')) {
      last = i - 1;
      break;
    }
  }
  return { start: tokens[first].start, end: tokens[last].end };
}

/** Column types as the file's earlier statements leave them, by `schema.table` then column. */
function columnTypesBefore(statements: AnalyzedStatement[]): Map<string, Map<string, Fields>> {
  const tables = new Map<string, Map<string, Fields>>();
  const columnsOf = (name: string | undefined): Map<string, Fields> | undefined => {
    if (!name) return undefined;
    const key = tableKey(name);
    if (!tables.has(key)) tables.set(key, new Map());
    return tables.get(key);
  };
  const defineColumn = (columns: Map<string, Fields> | undefined, node: unknown): void => {
    const column = unwrap(node);
    if (column?.[0] === 'ColumnDef' && typeof column[1].colname === 'string' && column[1].typeName) columns?.set(column[1].colname, column[1].typeName as Fields);
  };
  for (const statement of statements) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!unwrapped) continue;
    const [type, fields] = unwrapped;
    if (type === 'CreateStmt') {
      const name = rangeVarName(fields.relation);
      if (name) tables.set(tableKey(name), new Map());
      const columns = columnsOf(name);
      asArray(fields.tableElts).forEach((element) => defineColumn(columns, element));
    } else if (type === 'AlterTableStmt' && fields.objtype === 'OBJECT_TABLE') {
      const columns = columnsOf(rangeVarName(fields.relation));
      for (const command of asArray(fields.cmds)) {
        const cmd = unwrap(command)?.[1] ?? {};
        if (cmd.subtype === 'AT_AddColumn') defineColumn(columns, cmd.def);
        const typeName = unwrap(cmd.def)?.[1]?.typeName;
        if (cmd.subtype === 'AT_AlterColumnType' && typeof cmd.name === 'string' && typeName) columns?.set(cmd.name, typeName as Fields);
        if (cmd.subtype === 'AT_DropColumn' && typeof cmd.name === 'string') columns?.delete(cmd.name);
      }
    } else if (type === 'RenameStmt' && fields.renameType === 'OBJECT_COLUMN' && typeof fields.subname === 'string' && typeof fields.newname === 'string') {
      const columns = columnsOf(rangeVarName(fields.relation));
      const moved = columns?.get(fields.subname);
      columns?.delete(fields.subname);
      if (moved) columns?.set(fields.newname, moved);
    } else if (type === 'RenameStmt' && fields.renameType === 'OBJECT_TABLE' && typeof fields.newname === 'string') {
      const name = rangeVarName(fields.relation);
      if (!name) continue;
      const columns = tables.get(tableKey(name));
      tables.delete(tableKey(name));
      const schema = tableKey(name).split('.')[0];
      if (columns) tables.set(`${schema}.${fields.newname}`, columns);
    } else if (type === 'DropStmt' && fields.removeType === 'OBJECT_TABLE') {
      for (const object of asArray(fields.objects)) tables.delete(tableKey(qualifiedName(unwrap(object)?.[1]?.items)));
    }
  }
  return tables;
}

