import type { Finding, Range, Severity } from '../../../protocol/findings';
import type { SchemaSnapshot, TableInfo } from '../../../protocol/schema';
import type { AnalyzedStatement, DocumentAnalysis } from '../document/analyze';
import { sectionsOf } from '../migrations/discover';
import type { MigrationTool } from '../migrations/discover';
import { rangeVarName, unwrap } from '../sql/ast';
import { memoOnParse } from '../sql/parser';
import type { RuleConfig } from './config';
import { DEFAULT_RULE_CONFIG } from './config';
import { tableKey } from './helpers';
import { RULES } from './registry';
import { styleApplies } from './style';
import type { Fix, Rule, RuleContext, RuleFinding, TableFacts } from './types';

export interface LintOptions {
  config?: RuleConfig;
  isMigration: boolean;
  tool?: MigrationTool;
  transactional?: boolean;
  /** The live database's schema, for table sizes. */
  snapshot?: SchemaSnapshot;
  /** The up statements of the migrations applied before this one, in order (empty when not known, as in the editor). */
  history?: readonly AnalyzedStatement[];
  /** Tables created by migrations added in this deploy (`--since <ref>`), as `schema.name`. */
  newTables?: ReadonlySet<string>;
  rules?: readonly Rule[];
  /** false: findings carry no quick fixes (the CLI shows none). Default true. */
  fixes?: boolean;
  /** false: the document is linted once (the CLI), so rule results are not kept for the next edit. Default true. */
  reuse?: boolean;
}

/** A rule's finding, ready for the editor and the CLI, with its quick fixes (built when first read). */
export interface LintFinding extends Finding {
  readonly fixes: Fix[];
}

const DOWNGRADE: Record<Severity, Severity> = { error: 'warning', warning: 'information', information: 'hint', hint: 'hint' };

/**
 * Runs every enabled rule over a document's statements: suppressions, configured severities and table sizes applied.
 *
 * A rule's result for a statement is kept on the statement's parse (which an edit that leaves the
 * statement's text alone carries over to the next analysis) when the rule read nothing but the
 * statement and the run's settings: such a result holds again wherever the statement moves. A rule
 * that asked about a table is re-run when the answer changed; one that read the document, the
 * earlier statements, its own per-run state or the statement's index is re-run every time.
 */
export function lintDocument(analysis: DocumentAnalysis, options: LintOptions): LintFinding[] {
  if (analysis.skipped) return [];
  const config = options.config ?? DEFAULT_RULE_CONFIG;
  const rules = (options.rules ?? RULES).filter((rule) => config.rules[rule.name] !== 'off');
  const withFixes = options.fixes ?? true;
  const reuse = options.reuse ?? true;
  const suppressions = suppressionsOf(analysis);
  const findings: LintFinding[] = [];

  // Down sections (dbmate `-- migrate:down`, goose `-- +goose Down`) are not what a deploy runs.
  const up = options.tool ? sectionsOf(options.tool, analysis.text).up : undefined;
  const inUp = (statement: AnalyzedStatement): boolean => !up || up.some((section) => statement.segment.start >= section.start && statement.segment.start < section.end);

  const context = new LintContext(analysis, options, config, tablesCreatedAt(analysis.statements));
  const run = runId(context, rules);

  analysis.statements.forEach((statement, index) => {
    if (!statement.outcome.ok || !inUp(statement)) return;
    const suppressed = suppressions.suppressedAt(statement);
    if (suppressed === 'all') return;
    const checks: StatementChecks = reuse ? checksOf(statement) : {};
    const offset = statement.segment.start;
    // One context for the run, moved from statement to statement: no allocation per statement.
    context.moveTo(index);
    // A statement met before with the same settings: only the rules that were not simply quiet on it
    // need a look (most statements concern no rule at all).
    const known = checks.summary?.run === run ? checks.summary.live : rules;
    let live: Rule[] | undefined;
    for (const rule of known) {
      if (rule.category === 'style' && !styleApplies(statement, context, tablesCreatedBy)) {
        (live ??= []).push(rule); // depends on the table's age: not known to be quiet
        continue;
      }
      if (suppressed.has(rule.name)) {
        (live ??= []).push(rule); // not checked: not known to be quiet
        continue;
      }
      let results: readonly RuleFinding[];
      let shift = 0;
      const cached = checks.byRule?.get(rule);
      if (!reuse) results = rule.check(statement, context);
      else if (cached && cached.run === run && context.stillHolds(cached.tables)) {
        results = cached.findings;
        shift = offset;
        (live ??= []).push(rule);
      } else {
        context.startCheck();
        results = rule.check(statement, context);
        const tables = context.tablesRead();
        if (!context.readOnlyStatement() || results.some((finding) => typeof finding.fixes === 'function')) {
          checks.byRule?.delete(rule);
          (live ??= []).push(rule);
        } else if (results.length > 0 || tables) {
          (checks.byRule ??= new Map()).set(rule, { run, findings: results.map((finding) => shiftFinding(finding, -offset)), tables });
          (live ??= []).push(rule);
        } else checks.byRule?.delete(rule); // quiet: a pure function of the text and the settings, left out of `live`
      }
      for (const found of results) {
        const configured = config.rules[rule.name];
        let severity: Severity = configured && configured !== 'off' ? configured : (found.severity ?? rule.defaultSeverity);
        if (rule.scalesWithTableSize && found.table) {
          const facts = context.facts(found.table);
          if (facts.newInThisDeploy) continue; // an empty, unused table: locking or rewriting it is harmless
          const size = sizeClass(facts, config);
          if (size === 'small') severity = severity === 'hint' ? 'hint' : 'information';
          else if (size === 'medium') severity = DOWNGRADE[severity];
        }
        const finding = shift === 0 ? found : shiftFinding(found, shift);
        const range = analysis.lineIndex.rangeOf(finding.start, finding.end);
        findings.push(withFixes ? new FindingWithFixes(range, severity, rule.name, finding, analysis, statement) : { range, severity, code: rule.name, message: finding.message, fixes: [] });
      }
    }
    if (reuse && (checks.summary?.run !== run || !sameRules(checks.summary.live, live ?? NO_RULES))) checks.summary = { run, live: live ?? NO_RULES };
  });
  return findings;
}

function sameRules(a: readonly Rule[], b: readonly Rule[]): boolean {
  return a.length === b.length && a.every((rule, k) => rule === b[k]);
}

const NO_RULES: Rule[] = [];

/** A finding whose quick fixes are built when first asked for (a code action), not with every finding. */
class FindingWithFixes implements LintFinding {
  readonly message: string;
  private built: Fix[] | undefined;

  constructor(
    readonly range: Range,
    readonly severity: Severity,
    readonly code: string,
    private readonly finding: RuleFinding,
    private readonly analysis: DocumentAnalysis,
    private readonly statement: AnalyzedStatement,
  ) {
    this.message = finding.message;
  }

  get fixes(): Fix[] {
    const fixes = this.finding.fixes;
    this.built ??= [...(typeof fixes === 'function' ? fixes() : (fixes ?? [])), suppressFix(this.analysis, this.statement, this.code)];
    return this.built;
  }
}

/** A rule's result for one statement, kept on the statement's parse: offsets relative to the statement. */
interface CachedCheck {
  run: number;
  findings: readonly RuleFinding[];
  /** The tables the rule asked about, and what it was told. */
  tables?: ReadonlyArray<readonly [string, TableFacts]>;
}

interface StatementChecks {
  /** Results worth keeping: findings, or nothing but only given what the rule was told of some tables. */
  byRule?: Map<Rule, CachedCheck>;
  /**
   * The rules of run `run` that are not known to be quiet on this statement: every other one found
   * nothing while reading only the statement and the run's settings, and would find nothing again.
   */
  summary?: { run: number; live: readonly Rule[] };
}

const CHECKS = Symbol('pglens.ruleChecks');

/** The cached checks of a statement's parse (shared by every later analysis in which its text is unchanged). */
function checksOf(statement: AnalyzedStatement): StatementChecks {
  return memoOnParse(statement.outcome, CHECKS, (): StatementChecks => ({}));
}

/**
 * The run settings a rule may read without touching the document, and the rules that run, as a small
 * number: a cached result holds only for the same.
 */
const runIds = new Map<string, number>();
const ruleIds = new WeakMap<Rule, number>();
let lastRuleId = 0;
function runId(context: RuleContext, rules: readonly Rule[]): number {
  const ids = rules.map((rule) => {
    let id = ruleIds.get(rule);
    if (id === undefined) ruleIds.set(rule, (id = ++lastRuleId));
    return id;
  });
  const key = `${context.isMigration}|${context.tool}|${context.transactional}|${context.targetVersion}|${ids.join(',')}`;
  let id = runIds.get(key);
  if (id === undefined) {
    id = runIds.size + 1;
    runIds.set(key, id);
  }
  return id;
}

function shiftFinding(finding: RuleFinding, by: number): RuleFinding {
  const shifted: RuleFinding = { ...finding, start: finding.start + by, end: finding.end + by };
  const fixes = finding.fixes;
  if (Array.isArray(fixes)) shifted.fixes = fixes.map((fix) => ({ ...fix, edits: fix.edits.map((edit) => ({ ...edit, start: edit.start + by, end: edit.end + by })) }));
  return shifted;
}

/** The RuleContext of a run; it moves as the runner walks the statements, and notes what each check reads. */
class LintContext implements RuleContext {
  readonly isMigration: boolean;
  readonly tool: MigrationTool | undefined;
  readonly transactional: boolean;
  readonly targetVersion: number;
  private readonly memos = new Map<string, unknown>();
  private at = 0;
  /** The current check read more than its statement and the run's settings. */
  private readBeyond = false;
  private tables: Array<readonly [string, TableFacts]> | undefined;

  constructor(
    private readonly document: DocumentAnalysis,
    private readonly options: LintOptions,
    config: RuleConfig,
    private readonly createdAt: ReadonlyMap<string, number>,
  ) {
    this.isMigration = options.isMigration;
    this.tool = options.tool;
    this.transactional = options.transactional ?? false;
    this.targetVersion = config.targetVersion ?? options.snapshot?.serverVersionNum ?? 180000;
  }

  get analysis(): DocumentAnalysis {
    this.readBeyond = true;
    return this.document;
  }

  get index(): number {
    this.readBeyond = true;
    return this.at;
  }

  moveTo(index: number): void {
    this.at = index;
  }

  startCheck(): void {
    this.readBeyond = false;
    this.tables = undefined;
  }

  readOnlyStatement(): boolean {
    return !this.readBeyond;
  }

  tablesRead(): ReadonlyArray<readonly [string, TableFacts]> | undefined {
    return this.tables;
  }

  /** Would every table a cached check asked about get the same answer here? */
  stillHolds(tables: ReadonlyArray<readonly [string, TableFacts]> | undefined): boolean {
    if (!tables) return true;
    return tables.every(([name, was]) => {
      const now = this.facts(name);
      return now.newInThisDeploy === was.newInThisDeploy && now.rowEstimate === was.rowEstimate && now.totalBytes === was.totalBytes;
    });
  }

  table(name: string): TableFacts {
    const facts = this.facts(name);
    (this.tables ??= []).push([name, facts]);
    return facts;
  }

  /** What is known of a table at the current statement, without noting it as read. */
  facts(name: string): TableFacts {
    const key = tableKey(name);
    const newInThisDeploy = (this.createdAt.get(key) ?? Infinity) < this.at || (this.options.newTables?.has(key) ?? false);
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
    this.readBeyond = true;
    return this.document.statements.slice(0, this.at);
  }

  history(): readonly AnalyzedStatement[] {
    this.readBeyond = true;
    return this.options.history ?? [];
  }

  memo<T>(key: string, create: () => T): T {
    this.readBeyond = true;
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
    for (const name of tablesCreatedBy(statement)) {
      const key = tableKey(name);
      if (!createdAt.has(key)) createdAt.set(key, index);
    }
  });
  return createdAt;
}

export function tablesCreatedBy(statement: AnalyzedStatement): string[] {
  if (!statement.outcome.ok) return [];
  // Walked at every edit over every statement: kept on the parse.
  const stmt = statement.outcome.stmt;
  return memoOnParse(statement.outcome, CREATES, () => createdNames(stmt));
}

const CREATES = Symbol('pglens.tablesCreated');

function createdNames(stmt: unknown): string[] {
  const unwrapped = unwrap(stmt);
  if (!unwrapped) return [];
  const [type, fields] = unwrapped;
  if (type === 'CreateStmt') return [rangeVarName(fields.relation)].filter((name): name is string => !!name);
  if (type === 'CreateTableAsStmt') return [rangeVarName((fields.into as Record<string, unknown> | undefined)?.rel)].filter((name): name is string => !!name);
  return [];
}

interface Suppressions {
  /** The file silences nothing. */
  none(): boolean;
  /** The rules silenced at a statement (by its line, the line above, or the file). */
  suppressedAt(statement: AnalyzedStatement): ReadonlySet<string> | 'all';
}

const NO_NAMES: ReadonlySet<string> = new Set();
const NOTHING_SUPPRESSED: Suppressions = { none: () => true, suppressedAt: () => NO_NAMES };

const IGNORE = /--\s*pglens-ignore(-file)?\b([^\n]*)/g;

/**
 * `-- pglens-ignore rule-a rule-b` on the statement's first line or the line above it silences those
 * rules there (no names: every rule); `-- pglens-ignore-file rule-a` anywhere silences it in the file.
 */
function suppressionsOf(analysis: DocumentAnalysis): Suppressions {
  // A plain search first: the pattern is slow over a long file, and most files have no suppression.
  if (!analysis.text.includes('pglens-ignore')) return NOTHING_SUPPRESSED;
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
    none: () => !fileAll && fileWide.size === 0 && byLine.size === 0,
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
