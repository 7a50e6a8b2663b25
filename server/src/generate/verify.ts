/**
 * Proves a generated migration before it is written: a shadow database is built in the current
 * state, `up` is applied statement by statement as the migration tool would run it, and a re-diff
 * against the desired schema must be empty; then `down` is applied and a re-diff against the state
 * before `up` must be empty. Each phase is also checked independently: the shadow's catalog facts
 * (server/src/catalog-facts, no code shared with the snapshot) must equal the target's, so an object
 * kind the snapshot misses cannot pass unseen.
 *
 * The current state comes from its source: SQL (declarative files or migrations) is replayed. A live
 * database cannot be copied; its snapshot's DDL (the engine's diff from an empty database to it) is
 * applied instead, and the report says that only the schema the snapshot captures took part.
 */
import { performance } from 'node:perf_hooks';
import type { SchemaSnapshot } from '../../../protocol/schema';
import { compareFacts, describeDifference } from '../catalog-facts';
import type { CatalogFact } from '../catalog-facts';
import { diffSchemas } from '../diff';
import type { DiffOptions, SchemaDiff } from '../diff';
import type { Database } from '../db/port';
import { asDatabaseError } from '../db/port';
import { quoteIdent } from '../sql/quote';
import { changeLabel, stepsOf } from './conventions';
import type { Step } from './conventions';
import { applyScripts, extensionsOf, factsOf, openShadow, scriptsOf, snapshotOf, SourceError } from './desired';
import type { Shadow, SourceOptions } from './desired';
import { deriveVersionDowns } from './split';
import type { PhaseReport, SchemaSource, VerificationReport, VersionDowns } from './types';

export interface VerifyInput {
  /** Where current came from: replayed when it is SQL. */
  current: SchemaSource;
  currentSnapshot: SchemaSnapshot;
  desired: SchemaSnapshot;
  /** The desired schema's catalog facts: the independent check of `up` (skipped without them). */
  desiredFacts?: CatalogFact[];
  up: SchemaDiff;
  down: SchemaDiff;
  /** The options the diffs were made with (renames are not needed to re-diff: names match after up). */
  diffOptions?: DiffOptions;
  /**
   * The up steps of each version when the migration is split into several (dbmate, golang-migrate):
   * after up and down pass, each version's own down is derived and checked (split.ts).
   */
  versions?: readonly (readonly Step[])[];
}

const notVerified = (reason: string): PhaseReport => ({ status: 'not verified', leftover: [], reason });

export async function verifyMigration(input: VerifyInput, options: SourceOptions = {}): Promise<VerificationReport> {
  const started = performance.now();
  const timings = { buildMs: 0, upMs: 0, downMs: 0, totalMs: 0 };
  const notes: string[] = [];
  const rediff = { ...input.diffOptions, renames: undefined };
  let versions: VersionDowns | undefined;
  const finish = (up: PhaseReport, down: PhaseReport, kind: Shadow['kind']): VerificationReport => {
    timings.totalMs = performance.now() - started;
    const statuses = [up.status, down.status];
    const status = statuses.includes('failed') ? 'failed' : statuses.every((s) => s === 'passed') ? 'passed' : 'not verified';
    if (input.versions && input.versions.length > 1) versions ??= { report: notVerified(up.reason ?? 'up or down did not pass, so the versions were not checked one by one') };
    return { status, up, down, shadow: kind, notes, timings, ...(versions ? { versions } : {}) };
  };

  const scripts = input.current.kind === 'database' ? [] : scriptsOf(input.current);
  const extensions = new Set([...extensionsOf(scripts), ...[input.currentSnapshot, input.desired].flatMap((snapshot) => snapshot.extensions.map((extension) => extension.name))]);
  extensions.delete('plpgsql');
  const kind: Shadow['kind'] = options.shadowServer ? 'server' : 'embedded';
  let shadow: Shadow;
  try {
    shadow = await openShadow(options, extensions);
  } catch (error) {
    const reason = `no shadow database: ${(error as Error).message}`;
    return finish(notVerified(reason), notVerified(reason), kind);
  }
  try {
    // Roles are cluster-wide: a fresh embedded shadow has none of those the schemas grant to.
    if (shadow.kind === 'embedded') await createMissingRoles(shadow.db, [input.currentSnapshot, input.desired]);
    // ── the current state ──
    let before: SchemaSnapshot;
    let beforeFacts: CatalogFact[] = [];
    try {
      if (input.current.kind === 'database') {
        notes.push('Current is a live database: the shadow was built from its schema snapshot, not copied; data, row counts and whatever the snapshot does not capture took no part.');
        const empty = await snapshotOf(shadow.db);
        const build = diffSchemas(empty, input.currentSnapshot, { ...rediff, safe: false });
        const failure = await applySteps(shadow.db, stepsOf(build));
        if (failure) throw new SourceError(`the live schema cannot be rebuilt in the shadow: ${failure.message} in: ${failure.statement}`);
      } else {
        await applyScripts(shadow.db, scripts);
      }
      before = await snapshotOf(shadow.db);
      beforeFacts = await factsOf(shadow.db);
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      const reason = error.message;
      timings.buildMs = performance.now() - started;
      return finish(notVerified(reason), notVerified(reason), shadow.kind);
    }
    const drift = diffSchemas(before, input.currentSnapshot, rediff).changes;
    if (drift.length > 0) {
      notes.push(`The shadow's current state differs from the current schema in ${drift.length} way(s) (${drift.slice(0, 5).map(changeLabel).join('; ')}); up was checked from the shadow's state.`);
    }
    timings.buildMs = performance.now() - started;

    // ── up ──
    const upStart = performance.now();
    const upFailure = await applySteps(shadow.db, stepsOf(input.up));
    let up: PhaseReport;
    if (upFailure) up = { status: 'failed', leftover: [], error: upFailure };
    else {
      const leftover = diffSchemas(await snapshotOf(shadow.db), input.desired, rediff).changes.map(changeLabel);
      if (input.desiredFacts) {
        const sameEngine = input.desired.serverVersionNum === before.serverVersionNum && input.desired.source === before.source;
        const differences = await factDifferences(shadow.db, input.desiredFacts, 'the target');
        if (sameEngine) leftover.push(...differences);
        else if (differences.length > 0) {
          notes.push(`The independent catalog comparison ran across versions (PostgreSQL ${major(before)} shadow, ${major(input.desired)} target), where PostgreSQL prints some definitions differently, so its ${differences.length} difference(s) were not counted: ${differences.slice(0, 3).join('; ')}`);
        }
      }
      up = { status: leftover.length === 0 ? 'passed' : 'failed', leftover };
    }
    timings.upMs = performance.now() - upStart;

    // ── down ──
    const downStart = performance.now();
    let down: PhaseReport;
    if (upFailure) down = notVerified('up failed, so down could not be applied after it');
    else {
      const downFailure = await applySteps(shadow.db, stepsOf(input.down));
      if (downFailure) down = { status: 'failed', leftover: [], error: downFailure };
      else {
        const leftover = diffSchemas(await snapshotOf(shadow.db), before, rediff).changes.map(changeLabel);
        leftover.push(...(await factDifferences(shadow.db, beforeFacts, 'the state before up')));
        down = { status: leftover.length === 0 ? 'passed' : 'failed', leftover };
      }
    }
    timings.downMs = performance.now() - downStart;
    // The shadow is back in the state before up: derive each version's own down from there.
    if (input.versions && input.versions.length > 1 && up.status === 'passed' && down.status === 'passed') {
      versions = await deriveVersionDowns(shadow.db, before, input.versions, input.diffOptions ?? {}, applySteps);
    }
    if (input.up.changes.length > 0) notes.push('Data was not part of the check: the shadow tables are empty, so a NOT NULL, unique or check constraint the existing rows break, or a cast they fail, shows only on the real database.');
    return finish(up, down, shadow.kind);
  } finally {
    await shadow.discard().catch(() => undefined);
  }
}

/**
 * Runs the steps as a migration tool would: each run of transactional statements in one transaction,
 * each other statement on its own. Returns the first statement PostgreSQL rejected.
 */
export async function applySteps(db: Database, steps: readonly Step[]): Promise<{ statement: string; message: string } | undefined> {
  let inTransaction = false;
  const end = async (command: 'COMMIT' | 'ROLLBACK'): Promise<void> => {
    if (inTransaction) await db.exec(command);
    inTransaction = false;
  };
  for (const step of steps) {
    try {
      if (step.transactional && !inTransaction) {
        await db.exec('BEGIN');
        inTransaction = true;
      } else if (!step.transactional) await end('COMMIT');
      await db.exec(step.sql);
    } catch (error) {
      const databaseError = asDatabaseError(error);
      await end('ROLLBACK').catch(() => undefined);
      if (!databaseError) throw error;
      return { statement: step.sql, message: `${databaseError.code} ${databaseError.message}` };
    }
  }
  try {
    await end('COMMIT');
  } catch (error) {
    const databaseError = asDatabaseError(error);
    if (!databaseError) throw error;
    return { statement: 'COMMIT', message: `${databaseError.code} ${databaseError.message}` };
  }
  return undefined;
}

/** The shadow's catalog facts against `expected`, one line per difference. */
async function factDifferences(db: Database, expected: CatalogFact[], name: string): Promise<string[]> {
  return compareFacts(await factsOf(db), expected).flatMap((d) => describeDifference(d, { first: 'the shadow', second: name }));
}

const major = (snapshot: SchemaSnapshot) => Math.floor(snapshot.serverVersionNum / 10000);

/** Creates (NOLOGIN) every role the snapshots' privileges, policies and owners name that the shadow lacks. */
async function createMissingRoles(db: Database, snapshots: readonly SchemaSnapshot[]): Promise<void> {
  const names = new Set<string>();
  const fromAcl = (acl: readonly string[] | undefined) => {
    for (const item of acl ?? []) {
      const match = /^(.*)=[A-Za-z*]*\/(.*)$/.exec(item);
      if (!match) continue;
      for (const name of [match[1], match[2]]) if (name !== '') names.add(name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name);
    }
  };
  for (const snapshot of snapshots) {
    for (const item of [...snapshot.schemas, ...snapshot.tables, ...snapshot.views, ...snapshot.sequences, ...snapshot.functions, ...snapshot.types]) fromAcl(item.acl);
    for (const relation of [...snapshot.tables, ...snapshot.views]) for (const column of relation.columns) fromAcl(column.acl);
    for (const entry of snapshot.defaultPrivileges ?? []) {
      names.add(entry.role);
      fromAcl(entry.acl);
    }
    for (const table of snapshot.tables) for (const policy of table.policies) for (const role of policy.roles) if (role !== 'public') names.add(role);
  }
  if (names.size === 0) return;
  const { rows } = await db.query<{ name: string }>('SELECT rolname AS name FROM pg_catalog.pg_roles WHERE rolname = ANY($1::text[])', [[...names]]);
  const existing = new Set(rows.map((row) => row.name));
  for (const name of names) if (!existing.has(name)) await db.exec(`CREATE ROLE ${quoteIdent(name)} NOLOGIN`);
}
