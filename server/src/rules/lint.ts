import type { Finding, Severity } from '../../../protocol/findings';
import type { SchemaSnapshot, TableInfo } from '../../../protocol/schema';
import type { AnalyzedStatement, DocumentAnalysis } from '../document/analyze';
import { sectionsOf } from '../migrations/discover';
import type { MigrationTool } from '../migrations/discover';
import { rangeVarName, unwrap } from '../sql/ast';
import type { RuleConfig } from './config';
import { DEFAULT_RULE_CONFIG } from './config';
import { tableKey } from './helpers';
import { RULES } from './registry';
import type { Fix, Rule, RuleContext, TableFacts } from './types';

export interface LintOptions {
  config?: RuleConfig;
  isMigration: boolean;
  tool?: MigrationTool;
  transactional?: boolean;
  /** The live database's schema, for table sizes. */
  snapshot?: SchemaSnapshot;
  /** Tables created by migrations added in this deploy (`--since <ref>`), as `schema.name`. */
  newTables?: ReadonlySet<string>;
  rules?: readonly Rule[];
}

/** A rule's finding, ready for the editor and the CLI, with its quick fixes. */
export interface LintFinding extends Finding {
  fixes: Fix[];
}

const DOWNGRADE: Record<Severity, Severity> = { error: 'warning', warning: 'information', information: 'hint', hint: 'hint' };

/** Runs every enabled rule over a document's statements: suppressions, configured severities and table sizes applied. */
export function lintDocument(analysis: DocumentAnalysis, options: LintOptions): LintFinding[] {
  if (analysis.skipped) return [];
  const config = options.config ?? DEFAULT_RULE_CONFIG;
  const rules = (options.rules ?? RULES).filter((rule) => config.rules[rule.name] !== 'off');
  const suppressions = suppressionsOf(analysis);
  const findings: LintFinding[] = [];

  // Down sections (dbmate `-- migrate:down`, goose `-- +goose Down`) are not what a deploy runs.
  const up = options.tool ? sectionsOf(options.tool, analysis.text).up : undefined;
  const inUp = (statement: AnalyzedStatement): boolean => !up || up.some((section) => statement.segment.start >= section.start && statement.segment.start < section.end);

  const context = new LintContext(analysis, options, config, tablesCreatedAt(analysis.statements));

  analysis.statements.forEach((statement, index) => {
    if (!statement.outcome.ok || !inUp(statement)) return;
    const suppressed = suppressions.suppressedAt(statement);
    // One context for the run, moved from statement to statement: no allocation per statement.
    context.index = index;
    for (const rule of rules) {
      if (suppressed === 'all' || suppressed.has(rule.name)) continue;
      for (const finding of rule.check(statement, context)) {
        const configured = config.rules[rule.name];
        let severity: Severity = configured && configured !== 'off' ? configured : (finding.severity ?? rule.defaultSeverity);
        if (rule.scalesWithTableSize && finding.table) {
          const facts = context.table(finding.table);
          if (facts.newInThisDeploy) continue; // an empty, unused table: locking or rewriting it is harmless
          const size = sizeClass(facts, config);
          if (size === 'small') severity = severity === 'hint' ? 'hint' : 'information';
          else if (size === 'medium') severity = DOWNGRADE[severity];
        }
        findings.push({
          range: analysis.lineIndex.rangeOf(finding.start, finding.end),
          severity,
          code: rule.name,
          message: finding.message,
          fixes: [...(finding.fixes ?? []), suppressFix(analysis, statement, rule.name)],
        });
      }
    }
  });
  return findings;
}

/** The RuleContext of a run; `index` moves as the runner walks the statements. */
class LintContext implements RuleContext {
  index = 0;
  readonly isMigration: boolean;
  readonly tool: MigrationTool | undefined;
  readonly transactional: boolean;
  readonly targetVersion: number;
  private readonly memos = new Map<string, unknown>();

  constructor(
    readonly analysis: DocumentAnalysis,
    private readonly options: LintOptions,
    config: RuleConfig,
    private readonly createdAt: ReadonlyMap<string, number>,
  ) {
    this.isMigration = options.isMigration;
    this.tool = options.tool;
    this.transactional = options.transactional ?? false;
    this.targetVersion = config.targetVersion ?? options.snapshot?.serverVersionNum ?? 180000;
  }

  table(name: string): TableFacts {
    const key = tableKey(name);
    const newInThisDeploy = (this.createdAt.get(key) ?? Infinity) < this.index || (this.options.newTables?.has(key) ?? false);
    const info = this.sizes().get(key);
    return info ? { newInThisDeploy, rowEstimate: info.rowEstimate, totalBytes: info.totalBytes } : { newInThisDeploy };
  }

  private sizesByKey: Map<string, TableInfo> | undefined;

  /** The live database's tables by `schema.name`, indexed once per run (a catalog can hold 10,000). */
  private sizes(): Map<string, TableInfo> {
    this.sizesByKey ??= new Map((this.options.snapshot?.tables ?? []).map((table) => [`${table.schema}.${table.name}`, table]));
    return this.sizesByKey;
  }

  earlier(): AnalyzedStatement[] {
    return this.analysis.statements.slice(0, this.index);
  }

  memo<T>(key: string, create: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, create());
    return this.memos.get(key) as T;
  }
}

/** Small (information), medium (one step down), large or unknown (as configured). */
function sizeClass(facts: TableFacts, config: RuleConfig): 'small' | 'medium' | 'large' {
  if (facts.rowEstimate === undefined || facts.rowEstimate < 0) return 'large'; // unknown: assume it is big
  const { smallRows, smallBytes, largeRows, largeBytes } = config.thresholds;
  const bytes = facts.totalBytes ?? 0;
  if (facts.rowEstimate >= largeRows || bytes >= largeBytes) return 'large';
  if (facts.rowEstimate <= smallRows && bytes <= smallBytes) return 'small';
  return 'medium';
}

export { tableKey };


/** Where in the file each table is first created (statement index). */
function tablesCreatedAt(statements: readonly AnalyzedStatement[]): Map<string, number> {
  const createdAt = new Map<string, number>();
  statements.forEach((statement, index) => {
    for (const name of tablesCreatedBy(statement)) if (!createdAt.has(tableKey(name))) createdAt.set(tableKey(name), index);
  });
  return createdAt;
}

export function tablesCreatedBy(statement: AnalyzedStatement): string[] {
  if (!statement.outcome.ok) return [];
  const unwrapped = unwrap(statement.outcome.stmt);
  if (!unwrapped) return [];
  const [type, fields] = unwrapped;
  if (type === 'CreateStmt') return [rangeVarName(fields.relation)].filter((name): name is string => !!name);
  if (type === 'CreateTableAsStmt') return [rangeVarName((fields.into as Record<string, unknown> | undefined)?.rel)].filter((name): name is string => !!name);
  return [];
}

interface Suppressions {
  /** The rules silenced at a statement (by its line, the line above, or the file). */
  suppressedAt(statement: AnalyzedStatement): ReadonlySet<string> | 'all';
}

const IGNORE = /--\s*pglens-ignore(-file)?\b([^\n]*)/g;

/**
 * `-- pglens-ignore rule-a rule-b` on the statement's first line or the line above it silences those
 * rules there (no names: every rule); `-- pglens-ignore-file rule-a` anywhere silences it in the file.
 */
function suppressionsOf(analysis: DocumentAnalysis): Suppressions {
  const byLine = new Map<number, Set<string> | 'all'>();
  const fileWide = new Set<string>();
  let fileAll = false;
  for (const match of analysis.text.matchAll(IGNORE)) {
    const names = match[2].split(/[\s,]+/).filter((name) => /^[a-z0-9-]+$/.test(name));
    if (match[1]) {
      if (names.length === 0) fileAll = true;
      names.forEach((name) => fileWide.add(name));
      continue;
    }
    const line = analysis.lineIndex.positionAt(match.index ?? 0).line;
    byLine.set(line, names.length === 0 ? 'all' : new Set(names));
  }
  return {
    suppressedAt(statement) {
      if (fileAll) return 'all';
      if (byLine.size === 0) return fileWide;
      const line = analysis.lineIndex.positionAt(statement.segment.start).line;
      const here = [byLine.get(line), byLine.get(line - 1)];
      if (here.includes('all')) return 'all';
      return new Set([...fileWide, ...here.flatMap((names) => (names && names !== 'all' ? [...names] : []))]);
    },
  };
}

function suppressFix(analysis: DocumentAnalysis, statement: AnalyzedStatement, rule: string): Fix {
  const position = analysis.lineIndex.positionAt(statement.segment.start);
  const lineStart = analysis.lineIndex.offsetAt({ line: position.line, character: 0 });
  const indent = /^[ \t]*/.exec(analysis.text.slice(lineStart))?.[0] ?? '';
  return { title: `Ignore ${rule} for this statement`, edits: [{ start: lineStart, end: lineStart, newText: `${indent}-- pglens-ignore ${rule}\n` }] };
}
