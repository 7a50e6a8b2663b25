import type { Connection, ServerCapabilities } from 'vscode-languageserver';
import type { ClientConfig } from 'pg';
import { GenerateMigrationRequest } from '../../../protocol/messages';
import { redactSecrets } from '../connection/redact';
import { describeTarget } from '../connection/resolve';
import { generateMigration } from '../generate/generate';
import type { GenerateRequest, SchemaSource, VerificationReport } from '../generate/types';
import { InputError } from '../workspace/errors';
import type { Session } from './session';

/** `pglens/generateMigration`: the editor's "Generate migration" commands, answered as files to write. */
export function registerGenerate(connection: Connection, session: Session): ServerCapabilities {
  connection.onRequest(GenerateMigrationRequest.type, async (params): Promise<GenerateMigrationRequest.Result> => {
    const { workspaces } = session;
    const target = session.fileOf(params.uri);
    const root = target ? (workspaces.rootOf(target)?.directory ?? workspaces.roots().find((candidate) => target.startsWith(candidate.directory))?.directory) : undefined;
    if (!target || !root) return { ok: false, message: 'Generate migration works on files and folders inside an open workspace folder.' };
    const result = await session.guarded('generate migration', () => generateForEditor(params, target, { workspaceRoot: root, live: session.live.clientConfig, cacheDir: workspaces.cacheDir }));
    return result ?? { ok: false, message: 'Generating the migration failed; see the pglens output for details.' };
  });
  return {};
}

interface GenerateContext {
  /** The workspace folder holding the clicked resource: the migrations and the convention come from it. */
  workspaceRoot: string;
  /** The connected database, for drift (its password stays in memory, in this process). */
  live?: ClientConfig;
  cacheDir?: string;
}

/** Runs the generator for the editor's "Generate migration" commands and says what it found, as plain data. */
export async function generateForEditor(params: GenerateMigrationRequest.Params, target: string, context: GenerateContext): Promise<GenerateMigrationRequest.Result> {
  const migrations = context.workspaceRoot;
  let from: string | SchemaSource;
  let to: string | SchemaSource;
  if (params.mode === 'schema') {
    from = migrations;
    to = target;
  } else {
    if (!context.live) return { ok: false, message: 'Connect to a database first (pglens: Connect to Database): drift compares it with the migrations.' };
    // The live connection's own config, TLS settings and socket or IPv6 host included.
    const database: SchemaSource = { kind: 'database', database: { config: context.live, target: describeTarget(context.live) } };
    [from, to] = params.mode === 'drift-capture' ? [migrations, database] : [database, migrations];
  }
  const request: GenerateRequest = { from, to, workspaceRoot: context.workspaceRoot, renames: params.renames, cacheDir: context.cacheDir };
  try {
    const result = await generateMigration(request);
    const verification = result.verification ? describeVerification(result.verification) : 'not verified';
    return {
      ok: true,
      files: result.files,
      hazards: result.hazards.map((hazard) => `${hazard.kind} ${hazard.object}: ${hazard.message}`),
      renameCandidates: result.renameCandidates,
      verification,
      changes: result.diff.changes.length,
      format: result.format,
    };
  } catch (error) {
    const secrets = [typeof context.live?.password === 'string' ? context.live.password : undefined];
    if (error instanceof InputError) return { ok: false, message: redactSecrets(error.message, secrets) };
    return { ok: false, message: redactSecrets(`pglens could not generate the migration: ${error instanceof Error ? error.message : String(error)}`, secrets) };
  }
}

/** `passed`, or what failed: the statement PostgreSQL rejected, or what a re-diff still found. */
export function describeVerification(report: VerificationReport): string {
  if (report.status !== 'failed') return `${report.status}${report.notes.length > 0 ? ` (${report.notes.join(' ')})` : ''}`;
  const phases = (['up', 'down'] as const).filter((phase) => report[phase].status === 'failed');
  const reasons = phases.map((phase) => {
    const { error, leftover } = report[phase];
    return error ? `${phase}: ${error.message} (in: ${error.statement.slice(0, 120)})` : `${phase}: still differs: ${leftover.slice(0, 5).join(', ')}`;
  });
  return `failed: ${reasons.join('; ')}`;
}
