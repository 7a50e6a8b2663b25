/** Schemas, extensions, sequences and functions. */
import type { FunctionInfo, SchemaSnapshot, SequenceInfo } from '../../../protocol/schema';
import { commentLiteral, ident, literal, qualified } from '../sql/render';
import type { DiffContext } from './context';
import { byKey, display, PHASE, trimStatement } from './context';

export function diffSchemaObjects(ctx: DiffContext, current: SchemaSnapshot, desired: SchemaSnapshot): void {
  const before = byKey(current.schemas, (s) => s.name);
  const after = byKey(desired.schemas, (s) => s.name);
  for (const [n] of before) {
    if (after.has(n)) continue;
    ctx.add(PHASE.lateDropSchema, 'drop schema', n, [`DROP SCHEMA ${ident(n)}`], { hazard: { kind: 'drop', object: n, message: `drops schema ${n}` } });
  }
  for (const [n, schema] of after) {
    const old = before.get(n);
    if (!old) ctx.add(PHASE.schema, 'create schema', n, [`CREATE SCHEMA ${ident(n)}`]);
    if ((old?.comment ?? undefined) !== schema.comment) ctx.add(PHASE.comment, 'comment', n, [`COMMENT ON SCHEMA ${ident(n)} IS ${commentLiteral(schema.comment)}`]);
  }

  const oldExtensions = byKey(current.extensions, (e) => e.name);
  const newExtensions = byKey(desired.extensions, (e) => e.name);
  for (const [n] of oldExtensions) {
    if (newExtensions.has(n)) continue;
    ctx.add(PHASE.lateDropExtension, 'drop extension', n, [`DROP EXTENSION ${ident(n)}`], { hazard: { kind: 'drop', object: n, message: `drops extension ${n} and what it provides` } });
  }
  for (const [n, extension] of newExtensions) {
    const old = oldExtensions.get(n);
    if (!old) {
      ctx.add(PHASE.extension, 'create extension', n, [`CREATE EXTENSION IF NOT EXISTS ${ident(n)} WITH SCHEMA ${ident(extension.schema)} VERSION ${literal(extension.version)}`]);
      continue;
    }
    const statements: string[] = [];
    if (old.schema !== extension.schema) statements.push(`ALTER EXTENSION ${ident(n)} SET SCHEMA ${ident(extension.schema)}`);
    if (old.version !== extension.version) statements.push(`ALTER EXTENSION ${ident(n)} UPDATE TO ${literal(extension.version)}`);
    ctx.add(PHASE.extension, 'alter extension', n, statements);
  }
}

/** The identity columns of a snapshot, as `schema.table.column` (how SequenceInfo.ownedBy names them). */
function identityColumns(snapshot: SchemaSnapshot): Set<string> {
  const result = new Set<string>();
  for (const table of snapshot.tables) for (const column of table.columns) if (column.identity) result.add(`${table.schema}.${table.name}.${column.name}`);
  return result;
}

/** `schema.table.column` (as SequenceInfo.ownedBy writes it) → `"schema"."table"."column"`. */
function ownerColumns(snapshot: SchemaSnapshot): Map<string, string> {
  const result = new Map<string, string>();
  for (const table of snapshot.tables) {
    for (const column of table.columns) result.set(`${table.schema}.${table.name}.${column.name}`, `${qualified(table.schema, table.name)}.${ident(column.name)}`);
  }
  return result;
}

function sequenceOptions(sequence: SequenceInfo, old?: SequenceInfo): string {
  const parts: string[] = [];
  const changed = <K extends keyof SequenceInfo>(key: K) => sequence[key] !== undefined && (!old || old[key] !== sequence[key]);
  if (changed('dataType')) parts.push(`AS ${sequence.dataType}`);
  if (changed('increment')) parts.push(`INCREMENT BY ${sequence.increment}`);
  if (changed('minValue')) parts.push(`MINVALUE ${sequence.minValue}`);
  if (changed('maxValue')) parts.push(`MAXVALUE ${sequence.maxValue}`);
  if (changed('start')) parts.push(`START WITH ${sequence.start}`);
  if (changed('cache')) parts.push(`CACHE ${sequence.cache}`);
  if (changed('cycle')) parts.push(sequence.cycle ? 'CYCLE' : 'NO CYCLE');
  return parts.join(' ');
}

export function diffSequences(ctx: DiffContext, current: SchemaSnapshot, desired: SchemaSnapshot): void {
  // An identity column's sequence comes and goes with the identity.
  const own = (snapshot: SchemaSnapshot) => {
    const identity = identityColumns(snapshot);
    return snapshot.sequences.filter((s) => !s.identity && !(s.ownedBy !== undefined && identity.has(s.ownedBy)));
  };
  const key = (s: SequenceInfo) => `${s.schema}\u0000${s.name}`;
  const before = byKey(own(current), key);
  const after = byKey(own(desired), key);
  let owners: Map<string, string> | undefined;
  for (const [k, old] of before) {
    if (after.has(k)) continue;
    // IF EXISTS: a sequence owned by a dropped table or column is already gone with it.
    ctx.add(PHASE.lateDropSequence, 'drop sequence', display(old.schema, old.name), [`DROP SEQUENCE IF EXISTS ${qualified(old.schema, old.name)}`]);
  }
  for (const [k, sequence] of after) {
    const old = before.get(k);
    const q = qualified(sequence.schema, sequence.name);
    const name = display(sequence.schema, sequence.name);
    if (!old) {
      const options = sequenceOptions(sequence);
      ctx.add(PHASE.sequence, 'create sequence', name, [`CREATE SEQUENCE ${q}${options ? ` ${options}` : ''}`]);
    } else {
      const options = sequenceOptions(sequence, old);
      if (options) ctx.add(PHASE.sequence, 'alter sequence', name, [`ALTER SEQUENCE ${q} ${options}`]);
    }
    if (old?.ownedBy !== sequence.ownedBy) {
      owners ??= ownerColumns(desired);
      const owner = sequence.ownedBy === undefined ? 'NONE' : owners.get(sequence.ownedBy);
      if (owner) ctx.add(PHASE.sequenceOwner, 'sequence owner', name, [`ALTER SEQUENCE ${q} OWNED BY ${owner}`]);
    }
    if ((old?.comment ?? undefined) !== sequence.comment && (old !== undefined || sequence.comment !== undefined)) {
      ctx.add(PHASE.comment, 'comment', name, [`COMMENT ON SEQUENCE ${q} IS ${commentLiteral(sequence.comment)}`]);
    }
  }
}

/** `"schema"."name"(args)`: how DROP and COMMENT name a function. */
export function functionSignature(fn: FunctionInfo): string {
  return `${qualified(fn.schema, fn.name)}(${fn.arguments})`;
}

function functionWord(fn: FunctionInfo): string {
  return fn.kind === 'procedure' ? 'PROCEDURE' : fn.kind === 'aggregate' ? 'AGGREGATE' : 'FUNCTION';
}

/** Returns the functions dropped (gone, or dropped to be created again) as `schema\0name` keys: views calling them must go first. */
export function diffFunctions(ctx: DiffContext, current: SchemaSnapshot, desired: SchemaSnapshot): Set<string> {
  const dropped = new Set<string>();
  const key = (f: FunctionInfo) => `${f.schema}\u0000${f.name}\u0000${f.arguments}\u0000${f.kind}`;
  // Aggregates have no pg_get_functiondef: left out (a known gap).
  const before = byKey(current.functions.filter((f) => f.kind !== 'aggregate'), key);
  const after = byKey(desired.functions.filter((f) => f.kind !== 'aggregate'), key);
  // Before the tables, whose defaults, checks and generated columns may call them, with body checks
  // off as pg_dump does (a body may name tables created later); SQL-standard bodies (BEGIN ATOMIC)
  // are bound at creation whatever the setting, so they come after the tables.
  const phase = (f: FunctionInfo) => (f.definition !== undefined && /\bBEGIN\s+ATOMIC\b/i.test(f.definition) ? PHASE.sqlFunction : PHASE.function);
  const unchecked = (create: string) => ['SET check_function_bodies = false', create, 'RESET check_function_bodies'];
  for (const [k, old] of before) {
    if (after.has(k)) continue;
    dropped.add(`${old.schema}\u0000${old.name}`);
    ctx.drop(phase(old), `drop ${old.kind}`, display(old.schema, old.name), [`DROP ${functionWord(old)} ${functionSignature(old)}`], {
      kind: 'drop',
      object: display(old.schema, old.name),
      message: `drops ${old.kind} ${old.name}(${old.arguments})`,
    });
  }
  for (const [k, fn] of after) {
    const old = before.get(k);
    const name = display(fn.schema, fn.name);
    if (fn.definition === undefined) continue; // a snapshot without details: nothing to create from
    const create = trimStatement(fn.definition);
    if (!old) ctx.add(phase(fn), `create ${fn.kind}`, name, unchecked(create));
    else if (old.returns !== fn.returns) {
      // CREATE OR REPLACE cannot change the result type.
      dropped.add(`${old.schema}\u0000${old.name}`);
      ctx.drop(phase(fn), `drop ${fn.kind}`, name, [`DROP ${functionWord(old)} ${functionSignature(old)}`]);
      ctx.add(phase(fn), `create ${fn.kind}`, name, unchecked(create));
    } else if (old.definition !== fn.definition) ctx.add(phase(fn), `replace ${fn.kind}`, name, unchecked(create));
    if ((old?.comment ?? undefined) !== fn.comment && (old !== undefined || fn.comment !== undefined)) {
      ctx.add(PHASE.comment, 'comment', name, [`COMMENT ON ${functionWord(fn)} ${functionSignature(fn)} IS ${commentLiteral(fn.comment)}`]);
    }
  }
  return dropped;
}
