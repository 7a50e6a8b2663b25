import type { Finding } from '../../../protocol/findings';
import type { Database } from '../db/port';
import type { DocumentAnalysis } from '../document/analyze';
import { analyzeQuery, isPreparable, toFinding } from '../schema-check/execute';
import type { Workspaces } from '../workspace/workspaces';

export interface SchemaSources {
  workspaces: Workspaces;
  /** The user's database, when connected: only ever used read-only. */
  live?: Database;
}

/**
 * PostgreSQL's own errors for a document. A migration is run in the shadow at the state the
 * migrations before it produce (rolled back). Any other SQL file is analysed against the live
 * database when connected (PREPARE in a read-only transaction: nothing runs), else against the shadow.
 */
export async function schemaFindings(file: string, analysis: DocumentAnalysis, sources: SchemaSources): Promise<Finding[]> {
  if (analysis.skipped) return [];
  const session = sources.workspaces.sessionFor(file);
  if (session && sources.workspaces.isMigration(file)) return session.checkMigration(file);
  if (sources.live) {
    const findings: Finding[] = [];
    for (const statement of analysis.statements.filter(isPreparable)) {
      const problem = await analyzeQuery(sources.live, statement);
      if (problem) findings.push(toFinding(problem, analysis.lineIndex));
    }
    return findings;
  }
  return session ? session.checkOther(file, analysis) : [];
}
