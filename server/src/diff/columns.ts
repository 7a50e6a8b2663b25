/** Column definitions and column alterations of one table. */
import type { ColumnInfo } from '../../../protocol/schema';
import { ident } from '../sql/render';
import type { Hazard } from './types';

/** `"name" type [COLLATE …] [GENERATED …] [DEFAULT …] [NOT NULL]`, as in CREATE TABLE and ADD COLUMN. */
export function columnDefinition(column: ColumnInfo): string {
  let sql = `${ident(column.name)} ${column.type}`;
  if (column.collation) sql += ` COLLATE ${ident(column.collation)}`;
  if (column.generated !== undefined) {
    sql += ` GENERATED ALWAYS AS (${column.generated}) ${column.generatedKind === 'virtual' ? 'VIRTUAL' : 'STORED'}`;
  } else if (column.identity) {
    sql += ` GENERATED ${column.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`;
  } else if (column.default !== undefined) {
    sql += ` DEFAULT ${column.default}`;
  }
  if (!column.nullable) sql += ' NOT NULL';
  return sql;
}

/** Plain parse of a `format_type` name: base name and numeric modifiers. */
function parseType(type: string): { base: string; mods: number[]; array: boolean } {
  const array = type.endsWith('[]');
  const t = array ? type.slice(0, -2) : type;
  const match = /^(.*?)\(([\d, ]+)\)(.*)$/.exec(t);
  if (!match) return { base: t, mods: [], array };
  return { base: `${match[1]}${match[3]}`.trim(), mods: match[2].split(',').map((m) => Number(m.trim())), array };
}

const INT_WIDTH: Record<string, number> = { smallint: 2, integer: 4, bigint: 8 };
const VARLEN = new Set(['character varying', 'text', 'varchar']);

/**
 * What a type change costs: nothing (binary-coercible widening), a table rewrite, or a narrowing
 * that can fail or lose data.
 */
export function typeChangeHazard(object: string, from: string, to: string): Hazard | undefined {
  const a = parseType(from);
  const b = parseType(to);
  if (a.array !== b.array) return { kind: 'rewrite', object, message: `type ${from} → ${to} rewrites the table` };
  if (a.base === 'character varying' && b.base === 'character varying') {
    if (b.mods.length === 0 || (a.mods.length > 0 && b.mods[0] >= a.mods[0])) return undefined;
    return { kind: 'narrowing type', object, message: `${from} → ${to}: longer values make it fail` };
  }
  if (VARLEN.has(a.base) && b.base === 'text') return undefined;
  if (a.base === 'text' && b.base === 'character varying' && b.mods.length > 0) {
    return { kind: 'narrowing type', object, message: `${from} → ${to}: longer values make it fail` };
  }
  if (a.base === 'numeric' && b.base === 'numeric') {
    if (b.mods.length === 0) return undefined;
    if (a.mods.length > 0 && b.mods[0] >= a.mods[0] && (b.mods[1] ?? 0) === (a.mods[1] ?? 0)) return undefined;
    return { kind: 'narrowing type', object, message: `${from} → ${to}: precision or scale shrinks; may fail or round` };
  }
  const wa = INT_WIDTH[a.base];
  const wb = INT_WIDTH[b.base];
  if (wa !== undefined && wb !== undefined && wb < wa) {
    return { kind: 'narrowing type', object, message: `${from} → ${to}: values out of range make it fail` };
  }
  return { kind: 'rewrite', object, message: `type ${from} → ${to} rewrites the table and its indexes under an exclusive lock` };
}
