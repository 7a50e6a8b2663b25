import * as path from 'node:path';
import type { ClientConfig } from 'pg';
import { discoverMigrations } from '../migrations/discover';
import type { MigrationSet } from '../migrations/discover';
import type { Shadow, ShadowWorkerHost } from '../shadow/shadow-worker';

export interface Root {
  directory: string;
  migrations: MigrationSet | undefined;
  session: Shadow | undefined;
}

/**
 * The language server's view of the workspace folders: each folder's migrations (found by
 * convention) and the shadow database they are replayed into. Rediscovered when SQL files are
 * created, deleted or renamed.
 */
export class Workspaces {
  private folders: Root[] = [];

  /** With `pglens.shadow = server`: where pglens creates its scratch databases (else PGlite). */
  private shadowServer: ClientConfig | undefined;

  constructor(
    private readonly host: ShadowWorkerHost,
    readonly cacheDir: string | undefined,
  ) {}

  /** Switches the shadow between PGlite (undefined) and scratch databases on a server; reopens the sessions. */
  async setShadowServer(config: ClientConfig | undefined): Promise<void> {
    if (JSON.stringify(config) === JSON.stringify(this.shadowServer)) return;
    this.shadowServer = config;
    await this.rediscover();
  }

  async setFolders(directories: string[]): Promise<void> {
    await this.closeSessions();
    this.folders = directories.map((directory) => this.discover(directory));
  }

  /** Files were added or removed: find the migrations again (a new migration changes every later check). */
  async rediscover(): Promise<void> {
    await this.setFolders(this.folders.map((root) => root.directory));
  }

  roots(): readonly Root[] {
    return this.folders;
  }

  /** The workspace folder holding `file`, the innermost when folders nest. */
  rootOf(file: string): Root | undefined {
    const absolute = path.resolve(file);
    return this.folders
      .filter((root) => absolute === root.directory || absolute.startsWith(root.directory + path.sep))
      .sort((a, b) => b.directory.length - a.directory.length)[0];
  }

  isMigration(file: string): boolean {
    const absolute = path.resolve(file);
    return this.rootOf(file)?.migrations?.files.some((migration) => migration.path === absolute) ?? false;
  }

  sessionFor(file: string): Shadow | undefined {
    return this.rootOf(file)?.session;
  }

  async dispose(): Promise<void> {
    await this.closeSessions();
    this.folders = [];
  }

  private discover(directory: string): Root {
    const absolute = path.resolve(directory);
    const migrations = discoverMigrations(absolute);
    const session = migrations ? this.host.open(migrations, { cacheDir: this.cacheDir, server: this.shadowServer }) : undefined;
    return { directory: absolute, migrations, session };
  }

  private async closeSessions(): Promise<void> {
    await Promise.all(this.folders.map((root) => root.session?.close()));
  }
}
