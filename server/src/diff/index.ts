/**
 * The schema diff engine: `diffSchemas(current, desired)` → the changes that turn current into
 * desired, ordered by dependency, with hazards and rename candidates; `renderScript` joins them into
 * a script. The down script is `diffSchemas(desired, current)`.
 *
 * Give it snapshots loaded with `loadSnapshot(db, { details: true })`: without details there are no
 * function definitions (functions are then neither created nor replaced), sequence options, view
 * options, domain check names or privileges.
 */
import type { SchemaSnapshot } from '../../../protocol/schema';
import { DiffContext } from './context';
import { diffGrants } from './grants';
import { diffFunctions, diffSchemaObjects, diffSequences } from './objects';
import { diffDefaultPrivileges, diffRules, diffStatistics, diffTableStorage } from './storage';
import { diffTables, tableKey } from './tables';
import type { Change, DiffOptions, SchemaDiff } from './types';
import { diffTypes } from './usertypes';
import { diffViews } from './views';

export type { Change, DiffOptions, Hazard, HazardKind, RenameCandidate, RenameDecision, RenderOptions, SchemaDiff } from './types';
export { renderScript, LOCK_TIMEOUT_PREAMBLE } from './script';

export function diffSchemas(current: SchemaSnapshot, desired: SchemaSnapshot, options: DiffOptions = {}): SchemaDiff {
  const ctx = new DiffContext(options, { current, desired });
  diffSchemaObjects(ctx, current, desired);
  const types = diffTypes(ctx, current, desired);
  diffSequences(ctx, current, desired);
  const droppedFunctions = diffFunctions(ctx, current, desired, types.recreated);
  const effects = diffTables(ctx, current, desired, new Set(types.recast.map(({ table }) => tableKey(table))));
  diffViews(ctx, current, desired, effects, droppedFunctions);
  const renamedFrom = new Map([...effects.renamed].map(([from, table]) => [tableKey(table), from]));
  diffTableStorage(ctx, current, desired, renamedFrom);
  diffStatistics(ctx, current, desired);
  diffRules(ctx, current, desired);
  if (options.grants !== false) {
    diffGrants(ctx, current, desired);
    diffDefaultPrivileges(ctx, current, desired);
  }

  // Stable: equal phase and rank keep the order in which the parts emitted them.
  const staged = ctx.changes.map((change, k) => ({ change, k })).sort((a, b) => a.change.phase - b.change.phase || a.change.rank - b.change.rank || a.k - b.k);
  const changes: Change[] = staged.map(({ change }) => ({
    kind: change.kind,
    object: change.object,
    statements: change.statements,
    transactional: change.transactional,
    ...(change.hazard ? { hazard: change.hazard } : {}),
  }));
  return {
    changes,
    hazards: changes.flatMap((c) => (c.hazard ? [c.hazard] : [])),
    renameCandidates: ctx.renameCandidates,
    safe: ctx.safe,
  };
}
