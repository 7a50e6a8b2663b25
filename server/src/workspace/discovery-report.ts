import * as path from 'node:path';
import type { MigrationTool, WorkspaceDiscovery } from '../migrations/discover';

const TOOL_NAMES: Record<MigrationTool, string> = {
  supabase: 'Supabase',
  dbmate: 'dbmate',
  'golang-migrate': 'golang-migrate',
  flyway: 'Flyway',
  goose: 'goose',
  prisma: 'Prisma',
  sqitch: 'Sqitch',
  plain: 'ordered .sql files',
};

/** What discovery found, as plain data for the reporters (paths relative to the current folder). */
export interface DiscoverySummary {
  migrations: Array<{ directory: string; tool: MigrationTool; files: number }>;
  skipped: Array<{ path: string; reason: string }>;
}

export function summarizeDiscovery(discovery: WorkspaceDiscovery | undefined, extraSkipped: Array<{ path: string; reason: string }> = []): DiscoverySummary {
  const shown = (file: string): string => path.relative(process.cwd(), file).split(path.sep).join('/') || '.';
  return {
    migrations: (discovery?.sets ?? []).map((set) => ({ directory: shown(set.directory), tool: set.tool, files: set.files.length })),
    skipped: [...(discovery?.skipped ?? []), ...extraSkipped].map((skip) => ({ path: shown(skip.path), reason: skip.reason })),
  };
}

/** `supabase/migrations: Supabase, 84 files`, then one line per skipped file or folder. */
export function discoveryLines(summary: DiscoverySummary): string {
  const plural = (count: number): string => `${count} file${count === 1 ? '' : 's'}`;
  const found = summary.migrations.map((set) => `${set.directory}: ${TOOL_NAMES[set.tool]}, ${plural(set.files)}\n`);
  // Skipped files of one folder for one reason (a hundred `.down.sql`) make one line.
  const groups = new Map<string, string[]>();
  for (const skip of summary.skipped) {
    const key = `${path.posix.dirname(skip.path)}\0${skip.reason}`;
    groups.set(key, [...(groups.get(key) ?? []), skip.path]);
  }
  const skipped = [...groups].map(([key, paths]) => {
    const [folder, reason] = key.split('\0');
    return paths.length === 1 ? `${paths[0]}: skipped, ${reason}\n` : `${folder}: skipped ${plural(paths.length)}, ${reason}\n`;
  });
  return [...found, ...skipped].join('');
}
