import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MigrationSet, WorkspaceDiscovery } from '../migrations/discover';
import { DETECTION_ORDER, discoverWorkspace, migrationOf } from '../migrations/discover';

/**
 * The migration sets that `pglens check <inputs>` sees. A folder given is searched (itself by its
 * path and content, then below it). A file given belongs to the set of its folder (or the folder
 * above, for Prisma's `<name>/migration.sql`); `workspaceRoot`, when given, is searched too, so that
 * other files are checked against the schema its migrations build.
 */
export function discoverForInputs(inputs: string[], workspaceRoot: string | undefined): WorkspaceDiscovery {
  const directories = inputs.filter(isDirectory).map((input) => path.resolve(input));
  const files = inputs.filter((input) => !isDirectory(input)).map((input) => path.resolve(input));
  const searches: WorkspaceDiscovery[] = directories.map((directory) => discoverWorkspace(directory, { rootMayBeFolder: true }));
  if (files.length > 0 && workspaceRoot !== undefined) searches.push(discoverWorkspace(workspaceRoot));
  const sets = new Map<string, MigrationSet>();
  const skipped = new Map<string, string>();
  const add = (search: WorkspaceDiscovery, keep: (set: MigrationSet) => boolean): void => {
    for (const set of search.sets) if (!sets.has(set.directory) && keep(set)) sets.set(set.directory, set);
    for (const skip of search.skipped) skipped.set(skip.path, skip.reason);
  };
  for (const search of searches) add(search, () => true);
  // A file given alone: its own folder's set, when it is one of that set's migrations.
  for (const folder of new Set(files.flatMap((file) => [path.dirname(file), path.dirname(path.dirname(file))]))) {
    add(discoverWorkspace(folder, { maxDepth: 0 }), (set) => files.some((file) => migrationOf(set, file) !== undefined));
  }
  return { root: directories[0] ?? workspaceRoot ?? process.cwd(), sets: [...sets.values()], skipped: [...skipped].map(([file, reason]) => ({ path: file, reason })) };
}

/** The set whose files `file` is one of. */
export function setOf(sets: readonly MigrationSet[], file: string): MigrationSet | undefined {
  return sets.find((set) => migrationOf(set, file) !== undefined);
}

/** The set other files are checked against: the best by tool order, then the shallowest. */
export function primarySet(sets: readonly MigrationSet[]): MigrationSet | undefined {
  const depthOf = (set: MigrationSet): number => set.directory.split(path.sep).length;
  return [...sets].sort((a, b) => DETECTION_ORDER.indexOf(a.tool) - DETECTION_ORDER.indexOf(b.tool) || depthOf(a) - depthOf(b))[0];
}

/** Is `file` the folder `folder` or below it? */
export function isWithin(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
