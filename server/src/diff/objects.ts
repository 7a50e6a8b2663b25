/** Schemas, extensions, sequences and functions. */
import type { FunctionInfo, SchemaSnapshot, SequenceInfo } from '../../../protocol/schema';
import { commentLiteral, qualified, quoteIdent, quoteLiteral } from '../sql/quote';
import type { DiffContext } from './context';
import { byKey, display, PHASE, pgQualifiedForms, trimStatement } from './context';

export function diffSchemaObjects(ctx: DiffContext, current: SchemaSnapshot, desired: SchemaSnapshot): void {
  const before = byKey(current.schemas, (s) => s.name);
  const after = byKey(desired.schemas, (s) => s.name);
  for (const [n] of before) {
    if (after.has(n)) continue;
    ctx.add(PHASE.lateDropSchema, 'drop schema', n, [`DROP SCHEMA ${quoteIdent(n)}`], { hazard: { kind: 'drop', object: n, message: `drops schema ${n}` } });
  }
  for (const [n, schema] of after) {
    const old = before.get(n);
    if (!old) ctx.add(PHASE.schema, 'create schema', n, [`CREATE SCHEMA ${quoteIdent(n)}`]);
    if ((old?.comment ?? undefined) !== schema.comment) ctx.add(PHASE.comment, 'comment', n, [`COMMENT ON SCHEMA ${quoteIdent(n)} IS ${commentLiteral(schema.comment)}`]);
  }

  const oldExtensions = byKey(current.extensions, (e) => e.name);
  const newExtensions = byKey(desired.extensions, (e) => e.name);
  for (const [n] of oldExtensions) {
    if (newExtensions.has(n)) continue;
    ctx.add(PHASE.lateDropExtension, 'drop extension', n, [`DROP EXTENSION ${quoteIdent(n)}`], { hazard: { kind: 'drop', object: n, message: `drops extension ${n} and what it provides` } });
  }
  for (const [n, extension] of newExtensions) {
    const old = oldExtensions.get(n);
    if (!old) {
      // The shadow's version says nothing about what another server has: then its default.
      const version = ctx.crossVersion ? '' : ` VERSION ${quoteLiteral(extension.version)}`;
      ctx.add(PHASE.extension, 'create extension', n, [`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(n)} WITH SCHEMA ${quoteIdent(extension.schema)}${version}`]);
      continue;
    }
    const statements: string[] = [];
    if (old.schema !== extension.schema) statements.push(`ALTER EXTENSION ${quoteIdent(n)} SET SCHEMA ${quoteIdent(extension.schema)}`);
    if (old.version !== extension.version && !ctx.crossVersion) statements.push(`ALTER EXTENSION ${quoteIdent(n)} UPDATE TO ${quoteLiteral(extension.version)}`);
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
    for (const column of table.columns) result.set(`${table.schema}.${table.name}.${column.name}`, `${qualified(table.schema, table.name)}.${quoteIdent(column.name)}`);
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

  // A serial sequence of a renamed table (or column) is renamed along, keeping its position, when
  // the desired one is owned by the same column under its new name.
  const renames = ctx.options.renames ?? [];
  const follow = (ownedBy: string): string => {
    let result = ownedBy;
    for (const r of renames) if (r.kind === 'table' && result.startsWith(`${r.from}.`)) result = `${r.to}${result.slice(r.from.length)}`;
    for (const r of renames) {
      if (r.kind !== 'column') continue;
      for (const t of new Set([r.table, ...renames.filter((x) => x.kind === 'table' && x.from === r.table).map((x) => x.to)])) {
        if (result === `${t}.${r.from}`) result = `${t}.${r.to}`;
      }
    }
    return result;
  };
  const renamedFrom = new Map<string, SequenceInfo>();
  if (renames.length > 0) {
    const added = [...after].filter(([k]) => !before.has(k));
    for (const [k, old] of before) {
      if (after.has(k) || old.ownedBy === undefined) continue;
      const target = follow(old.ownedBy);
      const match = target !== old.ownedBy ? added.find(([, s]) => s.ownedBy === target && !renamedFrom.has(key(s))) : undefined;
      if (match) renamedFrom.set(match[0], old);
    }
  }
  const renamedOld = new Set([...renamedFrom.values()]);

  for (const [k, old] of before) {
    if (after.has(k) || renamedOld.has(old)) continue;
    // IF EXISTS: a sequence owned by a dropped table or column is already gone with it.
    const name = display(old.schema, old.name);
    ctx.add(PHASE.lateDropSequence, 'drop sequence', name, [`DROP SEQUENCE IF EXISTS ${qualified(old.schema, old.name)}`], {
      hazard: { kind: 'drop', object: name, message: `drops sequence ${name}: a sequence created in its place starts again` },
    });
  }
  for (const [k, sequence] of after) {
    const renamed = renamedFrom.get(k);
    const old = before.get(k) ?? renamed;
    const q = qualified(sequence.schema, sequence.name);
    const name = display(sequence.schema, sequence.name);
    if (renamed) {
      const statements: string[] = [];
      if (renamed.schema !== sequence.schema) statements.push(`ALTER SEQUENCE ${qualified(renamed.schema, renamed.name)} SET SCHEMA ${quoteIdent(sequence.schema)}`);
      if (renamed.name !== sequence.name) statements.push(`ALTER SEQUENCE ${qualified(sequence.schema, renamed.name)} RENAME TO ${quoteIdent(sequence.name)}`);
      ctx.add(PHASE.sequence, 'rename sequence', `${display(renamed.schema, renamed.name)} → ${name}`, statements, { rank: -1 });
    }
    if (!old) {
      const options = sequenceOptions(sequence);
      ctx.add(PHASE.sequence, 'create sequence', name, [`CREATE SEQUENCE ${q}${options ? ` ${options}` : ''}`]);
    } else {
      const options = sequenceOptions(sequence, old);
      if (options) ctx.add(PHASE.sequence, 'alter sequence', name, [`ALTER SEQUENCE ${q} ${options}`]);
    }
    if ((old?.ownedBy === undefined ? undefined : follow(old.ownedBy)) !== sequence.ownedBy) {
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
export function diffFunctions(
  ctx: DiffContext,
  current: SchemaSnapshot,
  desired: SchemaSnapshot,
  recreatedTypes: Array<{ schema: string; name: string }> = [],
): Set<string> {
  const dropped = new Set<string>();
  // A function taking or returning a recreated enum would keep the old type: dropped and created again.
  const forms = recreatedTypes.flatMap((t) => pgQualifiedForms(t.schema, t.name));
  const usesRecreated = (f: FunctionInfo) => forms.some((form) => `${f.arguments} ${f.returns}`.includes(form));
  const key = (f: FunctionInfo) => `${f.schema}\u0000${f.name}\u0000${f.arguments}\u0000${f.kind}`;
  const before = byKey(current.functions, key);
  const after = byKey(desired.functions, key);
  // Before the tables, whose defaults, checks and generated columns may call them, with body checks
  // off as pg_dump does (a body may name tables created later); SQL-standard bodies (BEGIN ATOMIC)
  // are bound at creation whatever the setting, so they come after the tables.
  const phase = (f: FunctionInfo) => (f.definition !== undefined && /\bBEGIN\s+ATOMIC\b/i.test(f.definition) ? PHASE.sqlFunction : PHASE.function);
  // Aggregates after the functions they are made of.
  const rank = (f: FunctionInfo) => (f.kind === 'aggregate' ? 1 : 0);
  const unchecked = (create: string) => ['SET check_function_bodies = false', create, 'RESET check_function_bodies'];
  for (const [k, old] of before) {
    if (after.has(k)) continue;
    dropped.add(`${old.schema}\u0000${old.name}`);
    ctx.drop(phase(old), `drop ${old.kind}`, display(old.schema, old.name), [`DROP ${functionWord(old)} ${functionSignature(old)}`], {
      kind: 'drop',
      object: display(old.schema, old.name),
      message: `drops ${old.kind} ${old.name}(${old.arguments})`,
    }, rank(old));
  }
  for (const [k, fn] of after) {
    const old = before.get(k);
    const name = display(fn.schema, fn.name);
    if (fn.definition === undefined) continue; // a snapshot without details: nothing to create from
    const create = trimStatement(fn.definition);
    if (!old) ctx.add(phase(fn), `create ${fn.kind}`, name, unchecked(create), { rank: rank(fn) });
    const recreate = old !== undefined && (old.returns !== fn.returns || usesRecreated(old));
    if (old && recreate) {
      // CREATE OR REPLACE cannot change the result type, nor repoint an argument to a new type.
      dropped.add(`${old.schema}\u0000${old.name}`);
      ctx.drop(phase(fn), `drop ${fn.kind}`, name, [`DROP ${functionWord(old)} ${functionSignature(old)}`], undefined, rank(old));
      ctx.add(phase(fn), `create ${fn.kind}`, name, unchecked(create), { rank: rank(fn) });
    } else if (old && old.definition !== fn.definition) ctx.add(phase(fn), `replace ${fn.kind}`, name, unchecked(create), { rank: rank(fn) });
    const was = recreate ? undefined : old?.comment;
    if (was !== fn.comment && (old !== undefined || fn.comment !== undefined)) {
      ctx.add(PHASE.comment, 'comment', name, [`COMMENT ON ${functionWord(fn)} ${functionSignature(fn)} IS ${commentLiteral(fn.comment)}`]);
    }
  }
  return dropped;
}
