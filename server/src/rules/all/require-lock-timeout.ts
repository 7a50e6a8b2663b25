import type { AnalyzedStatement } from '../../document/analyze';
import { asArray, findOption, qualifiedName, rangeVarName, stringValue, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import { memoOnParse } from '../../sql/parser';
import { insertLineBefore, nameSpanAt, tokensOf } from '../helpers';
import type { Span } from '../helpers';
import type { Rule, RuleContext } from '../types';
import { spell } from './concurrently-in-transaction';
import { indexTable } from './require-concurrent-index-deletion';

/**
 * The first statement of a migration that needs a lock blocking writes (most often ACCESS EXCLUSIVE)
 * on an existing table, with no lock_timeout set before it: while it waits for a long query to end,
 * every later query on the table queues behind it.
 */
export const rule: Rule = {
  name: 'require-lock-timeout',
  summary: 'A statement that takes an ACCESS EXCLUSIVE (or write-blocking) lock with no lock_timeout set',
  defaultSeverity: 'error',
  scalesWithTableSize: true,
  check(statement, context) {
    if (!context.isMigration) return [];
    // Once per file: only the first such statement, and none once a lock_timeout is set. Statements
    // come in order, so the walk so far is kept for the run.
    const walk = context.memo('require-lock-timeout', () => ({ set: false, reported: false }));
    if (walk.reported) return []; // nothing after the first report can change what is reported
    const target = walk.set ? undefined : firstExisting(strongLocks(statement, context), context);
    walk.set = timeoutAfter(statement, 'lock_timeout', walk.set);
    if (!target) return [];
    walk.reported = true;
    const on = target.table ?? 'the table';
    return [
      {
        ...leadSpan(statement, target.location),
        table: target.table,
        // Queued behind a long query, ACCESS EXCLUSIVE stops every read and write (the site is down);
        // SHARE ROW EXCLUSIVE (a new foreign key's referenced table) stops writes only.
        ...(target.mode === EXCLUSIVE ? {} : { severity: 'warning' as const }),
        message: `This statement needs ${target.mode} lock on ${on} and no lock_timeout is set: while it waits behind a long-running query, every later ${target.mode === EXCLUSIVE ? 'query' : 'write'} on ${on} queues behind it. SET lock_timeout (e.g. '5s') before it, and retry the migration if it times out.`,
        fixes: [
          {
            title: "Set lock_timeout = '5s' first",
            preferred: true,
            edits: [insertLineBefore(context.analysis.text, statement, `${spell(statement, 'SET')} lock_timeout = '5s';`)],
          },
        ],
      },
    ];
  },
};

export interface LockTarget {
  /** `schema.name` or `name`; undefined when the table is not known (DROP INDEX of an index made elsewhere). */
  table?: string;
  /** Parse-tree location of the table's name, when there is one. */
  location?: unknown;
  mode: 'an ACCESS EXCLUSIVE' | 'a SHARE ROW EXCLUSIVE' | 'an EXCLUSIVE';
}

const EXCLUSIVE = 'an ACCESS EXCLUSIVE' as const;
const SHARE_ROW = 'a SHARE ROW EXCLUSIVE' as const;

/** ALTER TABLE subcommands that take at most SHARE UPDATE EXCLUSIVE on the altered table (reads and writes go on). */
const WEAK_SUBCOMMANDS = new Set([
  'AT_SetStatistics',
  'AT_SetOptions',
  'AT_ResetOptions',
  'AT_SetStorage',
  'AT_ClusterOn',
  'AT_DropCluster',
  'AT_ValidateConstraint',
  'AT_SetRelOptions',
  'AT_ResetRelOptions',
  'AT_AttachPartition',
  'AT_DetachPartitionFinalize',
]);
const TRIGGER_SUBCOMMANDS = /^AT_(Enable|Disable)(Always|Replica)?Trig/;

const relationTarget = (relation: unknown, mode: LockTarget['mode']): LockTarget[] => {
  const table = rangeVarName(relation);
  const fields = unwrap(relation)?.[0] === 'RangeVar' ? unwrap(relation)?.[1] : (relation as Fields | undefined);
  return table ? [{ table, location: fields?.location, mode }] : [];
};

/** Tables a statement locks against writes (ACCESS EXCLUSIVE, EXCLUSIVE or SHARE ROW EXCLUSIVE). */
export function strongLocks(statement: AnalyzedStatement, context: RuleContext): LockTarget[] {
  const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
  if (!unwrapped) return [];
  const [type, fields] = unwrapped;
  switch (type) {
    case 'AlterTableStmt': {
      if (!['OBJECT_TABLE', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE'].includes(String(fields.objtype))) return [];
      const targets: LockTarget[] = [];
      let mode: LockTarget['mode'] | undefined;
      for (const command of asArray(fields.cmds)) {
        const cmd = unwrap(command)?.[1] ?? {};
        const subtype = String(cmd.subtype);
        const def = unwrap(cmd.def);
        if (subtype === 'AT_DetachPartition' && def?.[1].concurrent === true) continue;
        if (subtype === 'AT_AttachPartition') targets.push(...relationTarget(def?.[1].name, EXCLUSIVE));
        if (subtype === 'AT_AddColumn' && def?.[0] === 'ColumnDef') targets.push(...foreignKeyTargets(asArray(def[1].constraints)));
        if (WEAK_SUBCOMMANDS.has(subtype)) continue;
        if (subtype === 'AT_AddConstraint' && def?.[0] === 'Constraint' && def[1].contype === 'CONSTR_FOREIGN') {
          mode ??= SHARE_ROW;
          targets.push(...foreignKeyTargets([cmd.def]));
        } else if (TRIGGER_SUBCOMMANDS.test(subtype)) mode ??= SHARE_ROW;
        else mode = EXCLUSIVE;
      }
      return mode ? [...relationTarget(fields.relation, mode), ...targets] : targets;
    }
    case 'CreateStmt': {
      // A new table's foreign keys lock the tables they reference; a new partition locks its parent.
      const targets: LockTarget[] = [];
      if (fields.partbound) asArray(fields.inhRelations).forEach((parent) => targets.push(...relationTarget(parent, EXCLUSIVE)));
      for (const element of asArray(fields.tableElts)) {
        const [kind, body] = unwrap(element) ?? ['', {}];
        targets.push(...foreignKeyTargets(kind === 'ColumnDef' ? asArray(body.constraints) : kind === 'Constraint' ? [element] : []));
      }
      return targets;
    }
    case 'DropStmt': {
      const names = asArray(fields.objects).map((object) => asArray(unwrap(object)?.[1].items));
      switch (fields.removeType) {
        case 'OBJECT_TABLE':
        case 'OBJECT_MATVIEW':
          return names.map((items) => ({ table: qualifiedName(items), mode: EXCLUSIVE }));
        case 'OBJECT_INDEX':
          return fields.concurrent ? [] : names.map((items) => ({ table: indexTable(context, qualifiedName(items)), mode: EXCLUSIVE }));
        case 'OBJECT_TRIGGER':
        case 'OBJECT_RULE':
        case 'OBJECT_POLICY':
          return names.map((items) => ({ table: qualifiedName(items.slice(0, -1)), mode: EXCLUSIVE }));
      }
      return [];
    }
    case 'RenameStmt':
      if (fields.renameType === 'OBJECT_COLUMN' && !['OBJECT_TABLE', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE'].includes(String(fields.relationType))) return [];
      return ['OBJECT_TABLE', 'OBJECT_COLUMN', 'OBJECT_TABCONSTRAINT', 'OBJECT_TRIGGER', 'OBJECT_RULE', 'OBJECT_POLICY', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE'].includes(String(fields.renameType))
        ? relationTarget(fields.relation, EXCLUSIVE)
        : [];
    case 'TruncateStmt':
      return asArray(fields.relations).flatMap((relation) => relationTarget(relation, EXCLUSIVE));
    case 'CreateTrigStmt':
      return relationTarget(fields.relation, SHARE_ROW);
    case 'RuleStmt':
      return relationTarget(fields.relation, EXCLUSIVE);
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      return relationTarget(fields.table, EXCLUSIVE);
    case 'LockStmt': {
      const mode = typeof fields.mode === 'number' ? fields.mode : 8;
      if (mode < 6) return [];
      const lock = mode === 8 ? EXCLUSIVE : mode === 7 ? ('an EXCLUSIVE' as const) : SHARE_ROW;
      return asArray(fields.relations).flatMap((relation) => relationTarget(relation, lock));
    }
    case 'VacuumStmt':
      if (!findOption(fields.options, 'full')) return [];
      return asArray(fields.rels).flatMap((rel) => relationTarget(unwrap(rel)?.[1].relation, EXCLUSIVE));
    case 'ClusterStmt':
      return relationTarget(fields.relation, EXCLUSIVE);
    case 'RefreshMatViewStmt':
      return fields.concurrent ? [] : relationTarget(fields.relation, EXCLUSIVE);
  }
  return [];
}

/** The tables that foreign keys among `constraints` reference (SHARE ROW EXCLUSIVE on each). */
function foreignKeyTargets(constraints: unknown[]): LockTarget[] {
  return constraints.flatMap((constraint) => {
    const fk = unwrap(constraint);
    // No location: the span stays on the statement's first words rather than running to the referenced name.
    return fk?.[0] === 'Constraint' && fk[1].contype === 'CONSTR_FOREIGN' ? relationTarget(fk[1].pktable, SHARE_ROW).map((target) => ({ ...target, location: undefined })) : [];
  });
}

/** The first target that is not a table created in this file or deploy (an unknown table counts as existing). */
export function firstExisting(targets: LockTarget[], context: RuleContext): LockTarget | undefined {
  return targets.find((target) => target.table === undefined || !context.table(target.table).newInThisDeploy);
}

/**
 * Whether `name` (lock_timeout, statement_timeout) is set to a non-zero value after `statement`,
 * given whether it was before: SET [LOCAL|SESSION], SET … TO DEFAULT, RESET, RESET ALL, set_config().
 */
export function timeoutAfter(statement: AnalyzedStatement, name: string, before: boolean): boolean {
  // Rules walk every statement of the file at every edit: the effect is computed once per parse.
  const effect = memoOnParse(statement.outcome, effectKey(name), () => timeoutEffect(statement, name));
  return effect ?? before;
}

const EFFECT_KEYS = new Map<string, symbol>();
function effectKey(name: string): symbol {
  let key = EFFECT_KEYS.get(name);
  if (!key) EFFECT_KEYS.set(name, (key = Symbol(`pglens.timeoutEffect.${name}`)));
  return key;
}

/** true: the statement sets `name` to a non-zero value; false: it clears it; undefined: it leaves it as it was. */
function timeoutEffect(statement: AnalyzedStatement, name: string): boolean | undefined {
  const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
  if (!unwrapped) return undefined;
  const [type, fields] = unwrapped;
  if (type === 'VariableSetStmt') {
    if (fields.kind === 'VAR_RESET_ALL') return false;
    if (fields.name !== name) return undefined;
    if (fields.kind === 'VAR_SET_VALUE') return !isZero(asArray(fields.args)[0]);
    if (fields.kind === 'VAR_SET_DEFAULT' || fields.kind === 'VAR_RESET') return false;
    return undefined;
  }
  if (type === 'SelectStmt') {
    let value: boolean | undefined;
    for (const target of asArray(fields.targetList)) {
      const call = unwrap(unwrap(target)?.[1].val);
      if (call?.[0] !== 'FuncCall' || qualifiedName(call[1].funcname).replace(/^pg_catalog\./, '') !== 'set_config') continue;
      const args = asArray(call[1].args);
      if (constantText(args[0]) === name) value = !isZero(args[1]);
    }
    return value;
  }
  return undefined;
}

function constantText(node: unknown): string | undefined {
  const constant = unwrap(node);
  if (constant?.[0] !== 'A_Const') return undefined;
  const fields = constant[1];
  if (fields.sval) return stringValue({ String: fields.sval });
  if (fields.ival && typeof fields.ival === 'object') return String((fields.ival as Fields).ival ?? 0);
  if (fields.fval && typeof fields.fval === 'object') return String((fields.fval as Fields).fval ?? 0);
  return undefined;
}

/** `0`, `'0'`, `'0ms'`: the timeout is off. */
function isZero(node: unknown): boolean {
  const text = constantText(node);
  return text !== undefined && /^\s*0+(\.0*)?\s*(us|ms|s|min|h|d)?\s*$/i.test(text);
}

/** From the statement's first token to the end of the locked table's name when it is on that line, else the first two tokens. */
export function leadSpan(statement: AnalyzedStatement, location: unknown): Span {
  const tokens = tokensOf(statement);
  const first = tokens[0];
  if (!first) return { start: statement.segment.start, end: statement.segment.end };
  if (typeof location === 'number') {
    const name = nameSpanAt(statement, location);
    if (!statement.segment.sql.slice(0, name.end - statement.segment.start).includes('\n')) return { start: first.start, end: name.end };
  }
  const second = tokens[1] && tokens[1].text !== ';' ? tokens[1] : first;
  return { start: first.start, end: second.end };
}
