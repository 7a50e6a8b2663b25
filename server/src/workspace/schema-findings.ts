import * as path from 'node:path';
import type { Finding } from '../../../protocol/findings';
import type { ResolvedConnection } from '../connection/resolve';
import type { PgDatabase } from '../db/pg';
import { analyzeDocument } from '../document/analyze';
import type { MigrationSet } from '../migrations/discover';
import { analyzeQuery, isPreparable, toFinding } from '../schema-check/execute';
import { ServerBackend } from '../shadow/server-backend';
import { ShadowSession } from '../shadow/session';
import type { AnalyzeOptions } from '../document/analyze';
import { primarySet } from './discover-inputs';

export interface SchemaCheck {
  sets: MigrationSet[];
  options: { analyze: AnalyzeOptions; database?: ResolvedConnection; shadow?: 'embedded' | 'server'; cacheDir?: string };
  live: PgDatabase | undefined;
  readable: (file: string) => string | undefined;
  add: (file: string, findings: Finding[]) => void;
}

/** PostgreSQL's own checks: migrations replayed in the shadow, other files against --db or the shadow. */
export async function addSchemaFindings(files: string[], shared: SchemaCheck): Promise<void> {
  const { sets, live, options, readable, add } = shared;
  const byAbsolute = new Map(files.map((file) => [path.resolve(file), file]));
  const backend = (): ServerBackend | undefined => (options.shadow === 'server' && options.database ? new ServerBackend(options.database.config, options.database.fallback) : undefined);
  const primary = primarySet(sets);
  // Each set replays into its own shadow (services do not share a database); other files are checked against the primary one's.
  for (const set of sets) {
    const session = new ShadowSession(set, (file) => readable(file), { cacheDir: options.cacheDir, backend: backend() });
    try {
      for (const [file, fileFindings] of await session.replayAll()) {
        const shown = byAbsolute.get(path.resolve(file));
        if (shown) add(shown, fileFindings);
      }
      if (set === primary || (!primary && set === sets[0])) await checkOthers(files, sets, session, shared);
    } finally {
      await session.close();
    }
  }
  if (sets.length === 0 && live) await checkOthers(files, sets, undefined, shared);
}

/** Files that are no migration: against the live database when given, else against the shadow. */
async function checkOthers(files: string[], sets: readonly MigrationSet[], session: ShadowSession | undefined, shared: SchemaCheck): Promise<void> {
  const { live, options, readable, add } = shared;
  const migrationPaths = new Set(sets.flatMap((set) => set.files.map((file) => path.resolve(file.path))));
  for (const file of files) {
    if (migrationPaths.has(path.resolve(file)) || (!session && !live)) continue;
    const text = readable(file);
    if (text === undefined) continue;
    const analysis = analyzeDocument(text, options.analyze);
    if (analysis.skipped) continue;
    if (live) {
      for (const statement of analysis.statements.filter(isPreparable)) {
        const problem = await analyzeQuery(live, statement);
        if (problem) add(file, [toFinding(problem, analysis.lineIndex)]);
      }
    } else if (session) {
      add(file, await session.checkOther(analysis));
    }
  }
}

