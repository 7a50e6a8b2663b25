import type { Severity } from '../../../protocol/findings';
import type { AnalyzedStatement, DocumentAnalysis } from '../document/analyze';
import type { MigrationTool } from '../migrations/discover';

/**
 * Unsafe-migration rules: one file per rule, each a pure function of a statement and what pglens
 * knows around it (the file, the migration tool, the tables' sizes, the target PostgreSQL version).
 */
export interface Rule {
  /** kebab-case, e.g. `require-concurrent-index`: the finding's code and the docs page name. */
  name: string;
  /** One line: what the rule catches. */
  summary: string;
  /** Severity on a large (or unknown-size) table, before configuration. */
  defaultSeverity: Severity;
  /** Whether the severity follows the table's size (locks and rewrites) or is fixed (style, correctness). */
  scalesWithTableSize: boolean;
  /** `style`: design advice for new tables (information by default, silent on tables older migrations created); default `safety`. */
  category?: 'safety' | 'style';
  check(statement: AnalyzedStatement, context: RuleContext): RuleFinding[];
}

/** What a rule reports: offsets are UTF-16, relative to the document. */
export interface RuleFinding {
  start: number;
  end: number;
  message: string;
  /** The table the statement locks or rewrites, for size-scaled severity (`schema.name` or `name`). */
  table?: string;
  /** Overrides the rule's default severity for this finding (before size scaling). */
  severity?: Severity;
  /** The quick fixes, or a function building them when a code action asks (costly fixes of frequent findings). */
  fixes?: Fix[] | (() => Fix[]);
}

/** A quick fix: edits to the document (offsets in the current text), optionally a new file. */
export interface Fix {
  title: string;
  /** Safe to apply without reading it: offered as the preferred fix. */
  preferred?: boolean;
  edits: TextEdit[];
}

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface TableFacts {
  /** Created earlier in this file, or in a migration added in this deploy (`--since`): empty and unused. */
  newInThisDeploy: boolean;
  /** `reltuples` from the live database; undefined when pglens cannot know. */
  rowEstimate?: number;
  /** Total bytes from the live database; undefined when unknown. */
  totalBytes?: number;
}

export interface RuleContext {
  analysis: DocumentAnalysis;
  /** Index of the statement being checked in `analysis.statements`. */
  index: number;
  /** Is this file a migration (rules about locks only apply to migrations and files given to `pglens check`)? */
  isMigration: boolean;
  tool?: MigrationTool;
  /** Does the migration tool run this file in one transaction? */
  transactional: boolean;
  /** `server_version_num` the migration will run on, e.g. 180000. */
  targetVersion: number;
  /** What pglens knows of a table (by `schema.name` or bare name) at this statement. */
  table(name: string): TableFacts;
  /** Settings that rules read (lock_timeout seen so far, and so on) are derived from earlier statements. */
  earlier(): AnalyzedStatement[];
  /** The up statements of the migrations applied before this file (empty when pglens does not know them). */
  history(): readonly AnalyzedStatement[];
  /**
   * State kept for one lint run of one document, by key: what a rule learns walking the file (rules
   * see the statements in order), so that it need not walk `earlier()` again at every statement.
   */
  memo<T>(key: string, create: () => T): T;
}
