/**
 * The down of each version of a split migration (dbmate, golang-migrate: a statement that cannot run
 * in a transaction gets a version of its own). Each version's down must revert that version alone,
 * since `dbmate rollback` and `migrate down 1` run only the newest one. Slicing the whole down script
 * cannot give that (its order is not the up's order reversed), so the down of version k is the diff
 * between the schema after versions 1..k and the schema after 1..k-1, both read from a shadow that
 * applies the up one version at a time.
 *
 * A version's down must itself be one file the tool can run: all statements in one transaction, or
 * one statement outside any. When the safe diff mixes both, that version's down is diffed again
 * without the safe forms (plain CREATE/DROP INDEX, in the transaction); if what is still left outside
 * is only `ALTER TYPE … ADD VALUE` (e.g. reverting a removed enum value next to other changes), it
 * goes into the transaction too: PostgreSQL 12+ allows that, and the shadow run proves the down does
 * not use the value before it commits. Otherwise no per-version downs are given and the caller falls
 * back to spreading the whole down over the versions.
 */
import type { SchemaSnapshot } from '../../../protocol/schema';
import { diffSchemas } from '../diff';
import type { DiffOptions, RenameDecision, SchemaDiff } from '../diff';
import type { Database } from '../db/port';
import { changeLabel, stepsOf, units } from './conventions';
import type { Step } from './conventions';
import { snapshotOf } from './desired';
import type { VersionDowns } from './types';

/** The up steps of each version: each non-transactional statement alone, runs of the others together. */
export function versionSlices(up: SchemaDiff): Step[][] {
  return units(stepsOf(up));
}

/**
 * Applies the versions one by one from the shadow's current state (which must be the state before
 * the migration, `before`) and derives each version's down; checks that version k's up then its down
 * returns to the state after version k-1. Leaves the shadow in the state after the last version.
 */
export async function deriveVersionDowns(
  db: Database,
  before: SchemaSnapshot,
  slices: readonly (readonly Step[])[],
  diffOptions: DiffOptions,
  apply: (db: Database, steps: readonly Step[]) => Promise<{ statement: string; message: string } | undefined>,
): Promise<VersionDowns> {
  const rediff: DiffOptions = { ...diffOptions, renames: undefined };
  const renames = sliceRenames(diffOptions.renames ?? []);
  const downs: SchemaDiff[] = [];
  const inOneTransaction: number[] = [];
  const failed = (version: number, what: Omit<VersionDowns['report'], 'status'>): VersionDowns => ({
    report: { status: 'failed', ...what, reason: `version ${version} of ${slices.length}${what.reason ? `: ${what.reason}` : ''}` },
  });

  let previous = before;
  for (let k = 0; k < slices.length; k++) {
    const version = k + 1;
    const upFailure = await apply(db, slices[k]);
    if (upFailure) return failed(version, { leftover: [], error: upFailure, reason: 'its up failed' });
    const after = await snapshotOf(db);

    let down = diffSchemas(after, previous, { ...diffOptions, renames });
    if (units(stepsOf(down)).length > 1) {
      down = oneTransaction(diffSchemas(after, previous, { ...diffOptions, renames, safe: false }));
      if (units(stepsOf(down)).length > 1) {
        return failed(version, { leftover: [], reason: 'its down needs statements both inside and outside a transaction, which one file cannot hold' });
      }
      inOneTransaction.push(version);
    }

    const downFailure = await apply(db, stepsOf(down));
    if (downFailure) return failed(version, { leftover: [], error: downFailure, reason: 'its down failed' });
    const leftover = diffSchemas(await snapshotOf(db), previous, rediff).changes.map(changeLabel);
    if (leftover.length > 0) return failed(version, { leftover, reason: 'its down does not restore the state before it' });

    // Back to the state after this version, for the next one.
    const again = await apply(db, slices[k]);
    if (again) return failed(version, { leftover: [], error: again, reason: 'its up failed when applied again after its down' });
    downs.push(down);
    previous = after;
  }
  return { report: { status: 'passed', leftover: [] }, downs, inOneTransaction };
}

/** Enum values added inside the transaction (PostgreSQL 12+), when nothing else must run outside one. */
function oneTransaction(diff: SchemaDiff): SchemaDiff {
  const outside = diff.changes.filter((change) => !change.transactional);
  if (outside.length === 0 || outside.some((change) => change.statements.some((sql) => !ADD_ENUM_VALUE.test(sql)))) return diff;
  return { ...diff, changes: diff.changes.map((change) => ({ ...change, transactional: true })) };
}

const ADD_ENUM_VALUE = /^\s*ALTER\s+TYPE\s+.+\s+ADD\s+VALUE\s/is;

/**
 * The renames to reverse in a version's down: all of them, backwards. The diff engine applies a
 * decision only where its old name disappears and its new one appears, so a rename outside the
 * version is ignored there. A column's table may be named as before or after a table rename in
 * that version's schemas: each name it can have is listed.
 */
export function sliceRenames(renames: readonly RenameDecision[]): RenameDecision[] {
  const forward = new Map<string, string>();
  const backward = new Map<string, string>();
  for (const rename of renames) {
    if (rename.kind !== 'table') continue;
    forward.set(rename.from, rename.to);
    backward.set(rename.to, rename.from);
  }
  const result: RenameDecision[] = [];
  for (const rename of renames) {
    if (rename.kind === 'table') {
      result.push({ kind: 'table', from: rename.to, to: rename.from });
      continue;
    }
    const names = new Set([rename.table, forward.get(rename.table) ?? rename.table, backward.get(rename.table) ?? rename.table]);
    for (const table of names) result.push({ kind: 'column', table, from: rename.to, to: rename.from });
  }
  return result;
}
