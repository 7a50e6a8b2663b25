import * as path from 'node:path';
import type { FileFinding } from '../../../protocol/findings';
import type { SchemaSnapshot } from '../../../protocol/schema';
import { checkFile } from './check-file';
import type { AnalyzeOptions, DocumentAnalysis } from '../document/analyze';
import type { MigrationSet } from '../migrations/discover';
import type { RuleConfig } from '../rules/config';
import { lintDocument } from '../rules/lint';
import { setOf } from './discover-inputs';
import type { MigrationHistory } from './history';

/** What checking one file needs, without a database. */
export interface FileJob {
  analyze: AnalyzeOptions;
  config: RuleConfig;
  migrations?: readonly MigrationSet[];
  /** false: a file outside every migration set is linted as a plain SQL file (a seed, a test), not as a migration. Default true. */
  othersAreMigrations?: boolean;
  snapshot?: SchemaSnapshot;
  newTables?: string[];
  /** The statements of the migrations before a file (older migrations' tables and columns). */
  history?: MigrationHistory;
}

/** Syntax and migration-safety rules of one file (a file given to `pglens check` by name counts as a migration). */
export function checkOneFile(file: string, job: FileJob, newTables?: ReadonlySet<string>): { findings: FileFinding[]; analysis?: DocumentAnalysis } {
  const checked = checkFile(file, job.analyze);
  if (!checked.analysis) return checked;
  const absolute = path.resolve(file);
  const set = setOf(job.migrations ?? [], absolute);
  const migration = set?.files.find((candidate) => path.resolve(candidate.path) === absolute);
  const lint = lintDocument(checked.analysis, {
    config: job.config,
    isMigration: migration !== undefined || (job.othersAreMigrations ?? true),
    tool: set?.tool,
    transactional: migration?.transactional ?? false,
    snapshot: job.snapshot,
    newTables: newTables ?? (job.newTables && new Set(job.newTables)),
    history: set && job.history ? job.history.before(set, absolute) : undefined,
    fixes: false,
    reuse: false,
  });
  const findings = [...checked.findings, ...lint.map(({ range, severity, code, message }) => ({ file, range, severity, code, message }))];
  return { findings, analysis: checked.analysis };
}
