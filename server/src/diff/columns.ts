/** Column definitions and column alterations of one table. */
import type { ColumnInfo, SequenceInfo } from '../../../protocol/schema';
import { quoteIdent } from '../sql/quote';
import type { Hazard } from './types';

/**
 * `"name" type [COLLATE …] [GENERATED …] [DEFAULT …] [NOT NULL]`, as in CREATE TABLE and ADD COLUMN;
 * `identity`: the identity column's sequence, for its options.
 */
export function columnDefinition(column: ColumnInfo, identity?: SequenceInfo): string {
  let sql = `${quoteIdent(column.name)} ${column.type}`;
  if (column.collation) sql += ` COLLATE ${quoteIdent(column.collation)}`;
  if (column.generated !== undefined) {
    sql += ` GENERATED ALWAYS AS (${column.generated}) ${column.generatedKind === 'virtual' ? 'VIRTUAL' : 'STORED'}`;
  } else if (column.identity) {
    sql += ` GENERATED ${column.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`;
    const options = identityOptions(identity);
    if (options.length > 0) sql += ` (${options.join(' ')})`;
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

const TYPE_MAX: Record<string, string> = { smallint: '32767', integer: '2147483647', bigint: '9223372036854775807' };
const TYPE_MIN: Record<string, string> = { smallint: '-32768', integer: '-2147483648', bigint: '-9223372036854775808' };

/** The options CREATE SEQUENCE gives a sequence of this type and increment when none are said. */
function defaultOptions(dataType: string, increment: string): Required<Pick<SequenceInfo, 'start' | 'minValue' | 'maxValue' | 'cache' | 'cycle' | 'increment'>> {
  const up = !increment.startsWith('-');
  const min = up ? '1' : (TYPE_MIN[dataType] ?? '1');
  const max = up ? (TYPE_MAX[dataType] ?? '9223372036854775807') : '-1';
  // Bounds follow the direction of the increment said; the increment itself defaults to 1.
  return { start: up ? min : max, minValue: min, maxValue: max, cache: '1', cycle: false, increment: '1' };
}

/**
 * Sequence options of an identity column (`START WITH 10`, `INCREMENT BY 2`, …) that differ from
 * `base` (the old sequence), or from the defaults when there is none. Empty when a snapshot has no
 * sequence options (loaded without details).
 */
export function identityOptions(sequence: SequenceInfo | undefined, base?: SequenceInfo): string[] {
  if (!sequence || sequence.increment === undefined) return [];
  const from = base?.increment !== undefined ? base : defaultOptions(sequence.dataType, sequence.increment);
  const options: string[] = [];
  if (from.increment !== sequence.increment) options.push(`INCREMENT BY ${sequence.increment}`);
  if (from.minValue !== sequence.minValue) options.push(`MINVALUE ${sequence.minValue}`);
  if (from.maxValue !== sequence.maxValue) options.push(`MAXVALUE ${sequence.maxValue}`);
  if (from.start !== sequence.start) options.push(`START WITH ${sequence.start}`);
  if (from.cache !== sequence.cache) options.push(`CACHE ${sequence.cache}`);
  if (!!from.cycle !== !!sequence.cycle) options.push(sequence.cycle ? 'CYCLE' : 'NO CYCLE');
  return options;
}

/** What ALTER COLUMN … TYPE makes of an identity sequence: bounds at the old type's defaults follow the new type. */
export function retypedSequence(sequence: SequenceInfo, type: string): SequenceInfo {
  const result = { ...sequence, dataType: type };
  if (sequence.maxValue === TYPE_MAX[sequence.dataType] && TYPE_MAX[type]) result.maxValue = TYPE_MAX[type];
  if (sequence.minValue === TYPE_MIN[sequence.dataType] && TYPE_MIN[type]) result.minValue = TYPE_MIN[type];
  return result;
}
