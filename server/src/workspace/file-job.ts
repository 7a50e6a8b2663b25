import * as path from 'node:path';
import type { FileFinding } from '../../../protocol/findings';
import type { SchemaSnapshot } from '../../../protocol/schema';
import { checkFile } from './check-file';
import type { AnalyzeOptions, DocumentAnalysis } from '../document/analyze';
import type { MigrationSet } from '../migrations/discover';
import { migrationOf } from '../migrations/discover';
import type { RuleConfig } from '../rules/config';
import { lintDocument } from '../rules/lint';

/** What checking one file needs, without a database. */
export interface FileJob {
  analyze: AnalyzeOptions;
  config: RuleConfig;
  migrations?: MigrationSet;
  snapshot?: SchemaSnapshot;
  newTables?: string[];
}

/** Syntax and migration-safety rules of one file (every file given to `pglens check` counts as a migration). */
export function checkOneFile(file: string, job: FileJob, newTables?: ReadonlySet<string>): { findings: FileFinding[]; analysis?: DocumentAnalysis } {
  const checked = checkFile(file, job.analyze);
  if (!checked.analysis) return checked;
  const migration = job.migrations ? migrationOf(job.migrations, path.resolve(file)) : undefined;
  const lint = lintDocument(checked.analysis, {
    config: job.config,
    isMigration: true,
    tool: migration ? job.migrations?.tool : undefined,
    transactional: migration?.transactional ?? false,
    snapshot: job.snapshot,
    newTables: newTables ?? (job.newTables && new Set(job.newTables)),
    fixes: false,
    reuse: false,
  });
  const findings = [...checked.findings, ...lint.map(({ range, severity, code, message }) => ({ file, range, severity, code, message }))];
  return { findings, analysis: checked.analysis };
}
