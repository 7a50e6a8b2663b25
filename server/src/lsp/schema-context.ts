import type { SchemaSnapshot } from '../../../protocol/schema';
import type { LiveConnection } from '../connection';
import { analyzeDocument } from '../document/analyze';
import { buildOrigins } from '../schema/origins';
import type { ObjectOrigins } from '../schema/origins';
import type { Workspaces } from '../workspace/workspaces';

/**
 * The schema that hover, completion and go-to-definition see for a file: the live database's
 * snapshot when connected, else the shadow's state after all migrations. Where objects were created
 * comes from the migrations' parse trees. Both are cached per workspace folder until a migration changes.
 */
export class SchemaContext {
  private readonly snapshots = new Map<string, Promise<SchemaSnapshot | undefined>>();
  private readonly origins = new Map<string, ObjectOrigins>();

  constructor(
    private readonly live: LiveConnection,
    private readonly workspaces: () => Workspaces,
    private readonly textOf: (file: string) => string | undefined,
  ) {}

  async snapshotFor(file: string): Promise<SchemaSnapshot | undefined> {
    if (this.live.snapshot) return this.live.snapshot;
    const root = this.workspaces().rootOf(file);
    if (!root?.session) return undefined;
    let snapshot = this.snapshots.get(root.directory);
    if (!snapshot) {
      snapshot = root.session.snapshot().catch(() => undefined);
      this.snapshots.set(root.directory, snapshot);
    }
    return snapshot;
  }

  originsFor(file: string): ObjectOrigins | undefined {
    const root = this.workspaces().rootOf(file);
    if (!root?.migrations) return undefined;
    let origins = this.origins.get(root.directory);
    if (!origins) {
      origins = buildOrigins(
        root.migrations.files.map((migration) => ({ path: migration.path, analysis: analyzeDocument(this.textOf(migration.path) ?? ''), up: migration.up })),
      );
      this.origins.set(root.directory, origins);
    }
    return origins;
  }

  /** A migration changed (or the set of migrations did): the shadow's schema and the origins are stale. */
  invalidate(file?: string): void {
    if (file === undefined) {
      this.snapshots.clear();
      this.origins.clear();
      return;
    }
    const root = this.workspaces().rootOf(file);
    if (root && this.workspaces().isMigration(file)) {
      this.snapshots.delete(root.directory);
      this.origins.delete(root.directory);
    }
  }
}
