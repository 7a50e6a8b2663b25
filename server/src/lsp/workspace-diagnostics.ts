import * as fs from 'node:fs';
import type { WorkspaceDiagnosticReport, WorkspaceDocumentDiagnosticReport } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { Finding } from '../../../protocol/findings';
import type { Database } from '../db/port';
import type { AnalyzeOptions, DocumentAnalysis } from '../document/analyze';
import { analyzeDocument } from '../document/analyze';
import { analyzeQuery, isPreparable, toFinding } from '../schema-check/execute';
import { decodeFile } from '../text/decode';
import { checkFile } from '../workspace/check-file';
import { collectSqlFiles } from '../workspace/files';
import type { Workspaces } from '../workspace/workspaces';
import { toDiagnostic } from './convert';

/** At most this many files per workspace folder are reported, so a huge folder cannot stall the server. */
const MAX_FILES = 2000;

export interface WorkspaceSources {
  workspaces: Workspaces;
  live?: Database;
  isOpen: (uri: string) => boolean;
  optionsFor: (uri: string) => Promise<AnalyzeOptions | undefined>;
  /** Migration-safety findings of a file's statements. */
  lint: (uri: string, file: string, analysis: DocumentAnalysis) => Promise<Finding[]>;
}

/**
 * Diagnostics of the SQL files that are not open, so the Problems view lists every mistake of the
 * workspace as soon as it is opened. A file is recomputed only when it or the schema changed: its
 * result id is its size and modification time plus the generation of what it was checked with.
 */
export class WorkspaceDiagnostics {
  private generation = 0;

  /** A migration, the live schema or the settings changed: every file's findings may have changed too. */
  invalidate(): void {
    this.generation++;
  }

  async report(previous: Array<{ uri: string; value: string }>, sources: WorkspaceSources, cancelled: () => boolean): Promise<WorkspaceDiagnosticReport> {
    const previousIds = new Map(previous.map((entry) => [entry.uri, entry.value]));
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    for (const root of sources.workspaces.roots()) {
      const files = collectSqlFiles([root.directory]).files.slice(0, MAX_FILES);
      let migrationFindings: Record<string, Finding[]> | undefined;
      for (const file of files) {
        if (cancelled()) return { items };
        const uri = URI.file(file).toString();
        if (sources.isOpen(uri)) continue;
        const options = await sources.optionsFor(uri);
        if (!options) continue;
        const resultId = this.resultId(file);
        if (resultId === undefined) continue;
        if (previousIds.get(uri) === resultId) {
          items.push({ kind: 'unchanged', uri, version: null, resultId });
          continue;
        }
        const checked = checkFile(file, options);
        const findings: Finding[] = checked.findings;
        if (checked.analysis) findings.push(...(await sources.lint(uri, file, checked.analysis)));
        const isMigration = root.migrations?.files.some((migration) => migration.path === file) ?? false;
        try {
          if (isMigration && root.session) {
            migrationFindings ??= await root.session.findingsForAll();
            findings.push(...(migrationFindings[file] ?? []));
          } else if (!isMigration) {
            findings.push(...(await this.otherFindings(file, options, root.session, sources.live)));
          }
        } catch {
          // The shadow failed or was stopped (see ShadowWorkerHost): syntax findings still stand.
        }
        items.push({ kind: 'full', uri, version: null, resultId, items: findings.map(toDiagnostic) });
      }
    }
    return { items };
  }

  private async otherFindings(file: string, options: AnalyzeOptions, session: { checkOther: (file: string, analysis: ReturnType<typeof analyzeDocument>) => Promise<Finding[]> } | undefined, live: Database | undefined): Promise<Finding[]> {
    if (!session && !live) return [];
    const decoded = decodeFile(fs.readFileSync(file));
    if (decoded.nulAt !== undefined) return [];
    const analysis = analyzeDocument(decoded.text, options);
    if (analysis.skipped) return [];
    if (!live) return session!.checkOther(file, analysis);
    const findings: Finding[] = [];
    for (const statement of analysis.statements.filter(isPreparable)) {
      const problem = await analyzeQuery(live, statement);
      if (problem) findings.push(toFinding(problem, analysis.lineIndex));
    }
    return findings;
  }

  private resultId(file: string): string | undefined {
    try {
      const stat = fs.statSync(file);
      return `${this.generation}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      return undefined;
    }
  }
}
