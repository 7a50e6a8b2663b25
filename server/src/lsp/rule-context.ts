import type { SchemaSnapshot } from '../../../protocol/schema';
import type { PglensSettings } from '../../../protocol/settings';
import type { DocumentAnalysis } from '../document/analyze';
import { migrationOf } from '../migrations/discover';
import type { RuleConfig } from '../rules/config';
import { mergeRuleConfig, readProjectConfig } from '../rules/config';
import type { LintFinding } from '../rules/lint';
import { lintDocument } from '../rules/lint';
import type { Workspaces } from '../workspace/workspaces';

/**
 * Migration-safety findings for an open document, with the context rules need: whether it is a
 * migration and of which tool, the live database's table sizes, and the configuration (defaults ←
 * `pglens.json` at the workspace root ← VS Code settings). Kept per document version so the code
 * actions offered are the fixes of the findings shown.
 */
export class RuleFindings {
  private readonly projectConfigs = new Map<string, RuleConfig>();
  private readonly cache = new Map<string, { version: number; findings: LintFinding[] }>();

  constructor(
    private readonly workspaces: () => Workspaces,
    private readonly log: (message: string) => void,
  ) {}

  findings(uri: string, file: string | undefined, version: number, analysis: DocumentAnalysis, settings: PglensSettings, snapshot: SchemaSnapshot | undefined): LintFinding[] {
    const cached = this.cache.get(uri);
    if (cached && cached.version === version) return cached.findings;
    const findings = this.lint(file, analysis, settings, snapshot);
    this.cache.set(uri, { version, findings });
    return findings;
  }

  /** Findings of a file that is not open (for the Problems view), not cached. */
  lint(file: string | undefined, analysis: DocumentAnalysis, settings: PglensSettings, snapshot: SchemaSnapshot | undefined): LintFinding[] {
    const root = file ? this.workspaces().rootOf(file) : undefined;
    const migration = file && root?.migrations ? migrationOf(root.migrations, file) : undefined;
    const problems: string[] = [];
    const config = mergeRuleConfig(root ? this.projectConfig(root.directory) : readProjectConfig('').config, settings.ruleConfig, problems);
    for (const problem of problems) this.log(`pglens settings: ${problem}`);
    return lintDocument(analysis, {
      config,
      isMigration: migration !== undefined,
      tool: root?.migrations?.tool,
      transactional: migration?.transactional ?? false,
      snapshot,
    });
  }

  /** The findings last computed for `uri` at `version`, for code actions. */
  last(uri: string, version: number): LintFinding[] {
    const cached = this.cache.get(uri);
    return cached && cached.version === version ? cached.findings : [];
  }

  /** Settings, pglens.json, migrations or the schema changed. */
  invalidate(): void {
    this.projectConfigs.clear();
    this.cache.clear();
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  private projectConfig(directory: string): RuleConfig {
    let config = this.projectConfigs.get(directory);
    if (!config) {
      const read = readProjectConfig(directory);
      for (const problem of read.problems) this.log(`pglens.json: ${problem}`);
      config = read.config;
      this.projectConfigs.set(directory, config);
    }
    return config;
  }
}
