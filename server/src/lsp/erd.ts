/**
 * The ER diagram over LSP: `pglens/erd` answers the model of the live database when connected, else
 * of the workspace's migrations replayed in the shadow (with the first migration that failed, for the
 * banner); `pglens/erdDefinition` finds the statement that created a table; `pglens/schemaChanged`
 * tells the client when the live snapshot changed (migration edits are seen by the client on save).
 */
import * as path from 'node:path';
import type { Connection, ServerCapabilities } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { ErdChangedNotification, ErdDefinitionRequest, ErdRequest, SchemaTreeRequest } from '../../../protocol/erd';
import type { SchemaSnapshot } from '../../../protocol/schema';
import { buildErdModel } from '../erd/model';
import { objectKey } from '../schema/origins';
import { toLocation } from './convert';
import type { Session } from './session';

/** Folders where migrations are looked for, named in the empty state. */
const CONVENTIONAL_FOLDERS = ['supabase/migrations', 'db/migrations', 'migrations', 'prisma/migrations', 'sql'];

export function registerErd(connection: Connection, session: Session): ServerCapabilities {
  const { live, schemas } = session;
  const workspaces = () => session.workspaces;
  const rootFor = (uri: string | undefined) => {
    const file = uri && URI.parse(uri).scheme === 'file' ? URI.parse(uri).fsPath : undefined;
    return (file ? workspaces().rootOf(file) : undefined) ?? workspaces().roots()[0];
  };

  live.onSnapshot(() => void connection.sendNotification(ErdChangedNotification.method));

  type Source = { ok: true; snapshot: SchemaSnapshot; sourceLabel: string; failingMigration?: { path: string; message: string } } | { ok: false; message: string; empty?: ErdRequest.EmptyHint };

  /** The live database's snapshot when connected, else the shadow's (and the first migration that failed). */
  async function sourceFor(uri: string | undefined): Promise<Source> {
    if (live.snapshot) return { ok: true, snapshot: live.snapshot, sourceLabel: live.status.label };
    const root = rootFor(uri);
    const searched = (root ? [root.directory] : workspaces().roots().map((candidate) => candidate.directory)).flatMap((directory) => CONVENTIONAL_FOLDERS.map((folder) => path.join(directory, folder)));
    if (!root?.session || !root.migrations) return { ok: false, message: 'No migrations were found in this workspace and no database is connected.', empty: { searched } };
    const snapshot = await schemas.snapshotFor(root.migrations.files[0]?.path ?? root.directory);
    if (!snapshot) return { ok: false, message: 'The migrations could not be replayed; see the pglens output.', empty: { searched } };
    const findings = await root.session.findingsForAll().catch(() => ({}) as Awaited<ReturnType<NonNullable<typeof root.session>['findingsForAll']>>);
    const failing = root.migrations.files.find((file) => findings[file.path]?.some((finding) => finding.severity === 'error'));
    const failure = failing && findings[failing.path].find((finding) => finding.severity === 'error');
    return {
      ok: true,
      snapshot,
      sourceLabel: `embedded shadow of ${path.relative(root.directory, root.migrations.directory) || '.'}`,
      ...(failing && failure ? { failingMigration: { path: path.relative(root.directory, failing.path), message: failure.message.split('\n')[0] } } : {}),
    };
  }

  const failed = (error: unknown): { ok: false; message: string } => {
    connection.console.error(`pglens erd failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { ok: false, message: `The schema could not be read: ${error instanceof Error ? error.message : String(error)}` };
  };

  connection.onRequest(ErdRequest.method, async (params: ErdRequest.Params): Promise<ErdRequest.Result> => {
    try {
      const source = await sourceFor(params.uri);
      if (!source.ok) return source;
      const { snapshot, ...rest } = source;
      return { ...rest, model: buildErdModel(snapshot) };
    } catch (error) {
      return failed(error);
    }
  });

  connection.onRequest(SchemaTreeRequest.method, async (params: SchemaTreeRequest.Params): Promise<SchemaTreeRequest.Result> => {
    try {
      const source = await sourceFor(params.uri);
      return source.ok ? { ok: true, sourceLabel: source.sourceLabel, snapshot: source.snapshot } : { ok: false, message: source.message };
    } catch (error) {
      return failed(error);
    }
  });

  connection.onRequest(ErdDefinitionRequest.method, (params: ErdDefinitionRequest.Params): ErdDefinitionRequest.Result => {
    const root = rootFor(params.uri);
    const file = root?.migrations?.files[0]?.path;
    const origin = file ? schemas.originsFor(file)?.relations.get(objectKey(params.table.schema, params.table.name)) : undefined;
    if (!origin) return null;
    return toLocation(origin.created, session.textOf(origin.created.path) ?? '');
  });
  return {};
}
