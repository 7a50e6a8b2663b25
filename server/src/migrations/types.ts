export type MigrationTool = 'supabase' | 'dbmate' | 'golang-migrate' | 'flyway' | 'goose' | 'prisma' | 'sqitch' | 'plain';

export interface MigrationSet {
  tool: MigrationTool;
  /** Absolute path of the folder the migrations were found in (for sqitch: the folder of `sqitch.plan`). */
  directory: string;
  /** In apply order. */
  files: MigrationFile[];
}

export interface MigrationFile {
  /** Absolute path. */
  path: string;
  /** The ordering key as the tool sees it, e.g. '20240101120000', '1', '1.2' ('' for Flyway's repeatable migrations). */
  version: string;
  /** Human name, e.g. 'create_users', as written in the file name. */
  name: string;
  /** The parts of the file that run on "up", with UTF-16 offsets into the file text; statements outside them (down sections) are not replayed. */
  up: Array<{ start: number; end: number }>;
  /** Does the tool run this file inside one transaction? (with the file's own opt-outs applied) */
  transactional: boolean;
}

export interface MigrationSections {
  up: Array<{ start: number; end: number }>;
  transactional: boolean;
}

export interface SectionOptions {
  /** Flyway: `executeInTransaction` from the migration's script config file (`<file>.sql.conf`), when it sets one. */
  executeInTransaction?: boolean;
}

/** A file or folder discovery saw and left out, and why (told to the user, never silent). */
export interface SkippedPath {
  /** Absolute path. */
  path: string;
  reason: string;
}

/** Every migration folder below a root, and what was left out. */
export interface WorkspaceDiscovery {
  /** Absolute path the search started from (the project root when the folder given was a tool's migrations folder). */
  root: string;
  sets: MigrationSet[];
  skipped: SkippedPath[];
}

export interface LocatedFile {
  path: string;
  version: string;
  name: string;
  /** Flyway: the script config file next to the migration, if any. */
  scriptConfig?: string;
}

/** What a tool's locator makes of one folder: its migrations in apply order, and files it knowingly leaves out. */
export interface LocatedFolder {
  files: LocatedFile[];
  skipped?: SkippedPath[];
}
