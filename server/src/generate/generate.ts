/**
 * "Generate migration", end to end, as plain data: both schemas from their sources, the diff both
 * ways, verification in a shadow, and the files in the workspace's convention. It never asks
 * anything: the caller (CLI flags, or the editor after asking the user) passes renames and whether
 * hazards are acceptable, and calls again with its decisions.
 */
import * as path from 'node:path';
import { diffSchemas } from '../diff';
import type { DiffOptions, RenameDecision, SchemaDiff } from '../diff';
import { conventionFor, renderMigrationFiles } from './conventions';
import { compareFacts, describeDifference } from '../catalog-facts';
import { describeSource, loadSource, resolveSource } from './desired';
import { versionSlices } from './split';
import type { GenerateRequest, GenerateResult, MigrationDraft } from './types';
import { verifyMigration } from './verify';

export async function generateMigration(request: GenerateRequest): Promise<GenerateResult> {
  const root = path.resolve(request.workspaceRoot);
  const from = resolveSource(request.from, root);
  const to = resolveSource(request.to, root);
  const sourceOptions = { cacheDir: request.cacheDir, shadowServer: request.shadowServer };
  // One after the other: each may hold an embedded PostgreSQL (hundreds of MB) while it loads.
  const currentSchema = await loadSource(from, sourceOptions);
  const desiredSchema = await loadSource(to, sourceOptions);
  const current = currentSchema.snapshot;
  const desired = desiredSchema.snapshot;

  const renames = request.renames ?? [];
  const options: DiffOptions = { renames };
  const diff = diffSchemas(current, desired, options);
  const down = diffSchemas(desired, current, { ...options, renames: reverseRenames(renames) });
  const { convention, existing } = conventionFor(root, { format: request.format, outDir: request.outDir });
  // Nothing to do by the diff, yet the catalogs differ: say what was not compared, never "no changes".
  const notCompared =
    diff.changes.length === 0
      ? compareFacts(currentSchema.facts, desiredSchema.facts).flatMap((d) => describeDifference(d, { first: 'current', second: 'desired' }))
      : [];
  const base = { diff, down, hazards: diff.hazards, renameCandidates: diff.renameCandidates, format: convention.format, notCompared };

  if (request.safeOnly && diff.hazards.length > 0) return { ...base, files: [], refused: true };

  // dbmate and golang-migrate get a version per statement that cannot run in a transaction: each version's own down is derived while verifying.
  const slices = convention.format === 'dbmate' || convention.format === 'golang-migrate' ? versionSlices(diff) : [];
  const versions = slices.length > 1 ? slices : undefined;
  const verification = request.verify === false ? undefined : await verifyMigration({ current: from, currentSnapshot: current, desired, desiredFacts: desiredSchema.facts, up: diff, down, diffOptions: options, versions }, sourceOptions);
  const draft: MigrationDraft = {
    up: diff,
    down,
    renames,
    renameCandidates: diff.renameCandidates,
    verification,
    notCompared,
    from: describeSource(from, root),
    to: describeSource(to, root),
  };
  const now = request.now ?? new Date();
  const files = renderMigrationFiles(draft, convention, request.name ?? defaultName(diff), now, existing);
  return { ...base, files, verification, refused: false };
}

/** The renames of the down diff: each one backwards; a column's table by its name on the desired side. */
export function reverseRenames(renames: readonly RenameDecision[]): RenameDecision[] {
  const tables = new Map<string, string>();
  for (const rename of renames) if (rename.kind === 'table') tables.set(rename.from, rename.to);
  return renames.map((rename) =>
    rename.kind === 'table' ? { kind: 'table', from: rename.to, to: rename.from } : { kind: 'column', table: tables.get(rename.table) ?? rename.table, from: rename.to, to: rename.from },
  );
}

/** `add_column_email` for a one-change migration, else `schema_changes`. */
export function defaultName(diff: SchemaDiff): string {
  if (diff.changes.length !== 1) return 'schema_changes';
  const change = diff.changes[0];
  return `${change.kind} ${change.object.split('.').pop() ?? ''}`;
}
