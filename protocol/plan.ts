/**
 * Plans as plain data, shared by the engine (parser, metrics, hints), the CLI (`pglens plan/explain`),
 * hover and the plan visualizer webview.
 *
 * A plan keeps PostgreSQL's own EXPLAIN (FORMAT JSON) key names, whichever format it was parsed from
 * (the TEXT parser produces the same keys), so `pglens plan --format json` prints PostgreSQL's shape.
 * Figures pglens computes are added under the extra key `pglens` on each node and on the plan.
 */

/** One plan node, keyed as in EXPLAIN (FORMAT JSON): `Node Type`, `Total Cost`, `Actual Rows`, … */
export interface PlanNode {
  'Node Type': string;
  'Parent Relationship'?: string;
  'Subplan Name'?: string;
  'Relation Name'?: string;
  Schema?: string;
  Alias?: string;
  'Index Name'?: string;
  'Startup Cost'?: number;
  'Total Cost'?: number;
  'Plan Rows'?: number;
  'Plan Width'?: number;
  'Actual Startup Time'?: number;
  'Actual Total Time'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Workers Planned'?: number;
  'Workers Launched'?: number;
  Plans?: PlanNode[];
  /** Figures computed by pglens (absent in PostgreSQL's own output). */
  pglens?: NodeFigures;
  /** Every other key PostgreSQL prints (`Filter`, `Index Cond`, `Shared Hit Blocks`, `Workers`, …). */
  [key: string]: unknown;
}

/** What pglens computes per node. Times are milliseconds over all loops (per-loop × loops). */
export interface NodeFigures {
  /** Pre-order position in the tree, 0 for the root; stable id for hints and the webview. */
  id: number;
  depth: number;
  /** Time spent in this node alone (children, CTE scans' CTE and InitPlans subtracted); ANALYZE only. */
  exclusiveTime?: number;
  /** `exclusiveTime` as a percentage of the plan's execution time. */
  exclusiveTimePercent?: number;
  /** Total cost minus the children's total cost. */
  exclusiveCost: number;
  /** Actual rows over all loops (`Actual Rows` × `Actual Loops`); ANALYZE only. */
  actualRowsTotal?: number;
  /** Actual vs estimated rows per loop: factor ≥ 1 and whether the planner under- or over-estimated. */
  misestimate?: { factor: number; direction: 'under' | 'over' };
  /** Shared/local/temp blocks read, hit, written by this node alone (exclusive). */
  exclusiveBuffers?: { sharedHit: number; sharedRead: number; sharedDirtied: number; sharedWritten: number; tempRead: number; tempWritten: number; localHit: number; localRead: number };
  /** I/O time (read + write) of this node alone, ms, when `track_io_timing` was on. */
  exclusiveIoTime?: number;
}

/** One EXPLAIN result, keyed as PostgreSQL prints it: `Plan`, `Planning Time`, `Triggers`, `JIT`, … */
export interface ExplainResult {
  Plan: PlanNode;
  'Planning Time'?: number;
  'Execution Time'?: number;
  Triggers?: Array<Record<string, unknown>>;
  Settings?: Record<string, string>;
  JIT?: Record<string, unknown>;
  Planning?: Record<string, unknown>;
  pglens?: PlanFigures;
  [key: string]: unknown;
}

export interface PlanFigures {
  /** True when the plan has actual figures (EXPLAIN ANALYZE). */
  analyzed: boolean;
  /** Number of nodes in the tree. */
  nodeCount: number;
  /** Root's total time, or execution time when known, ms (ANALYZE only). */
  totalTime?: number;
  totalCost: number;
  hints: PlanHint[];
  /** Where the plan came from, e.g. `PostgreSQL 15.19 (live)` or `PGlite shadow: estimates from an empty database`. */
  source?: string;
}

export type PlanHintKind =
  | 'indexable-seq-scan'
  | 'disk-spill'
  | 'row-misestimate'
  | 'inefficient-filter'
  | 'lossy-bitmap'
  | 'nested-loop-large-outer'
  | 'index-only-heap-fetches'
  | 'workers-not-launched'
  | 'dominant-node'
  | 'jit-dominates'
  | 'fk-join-without-index'
  | 'index-advice';

export interface PlanHint {
  kind: PlanHintKind;
  /** `NodeFigures.id` of the node the hint is about (0 for plan-wide hints). */
  nodeId: number;
  severity: 'info' | 'warning';
  /** One line: what is wrong, with the numbers. */
  title: string;
  /** One line of advice. */
  advice: string;
  /** When an index would help: what to index. */
  index?: IndexSuggestion;
  /** Every node with this same cause (kind and advice), `nodeId` first, when there are several: one hint per cause. */
  nodeIds?: number[];
}

export interface IndexSuggestion {
  schema?: string;
  table: string;
  /** Column names (unquoted), or the expressions' text, in index order: equality columns first. */
  columns: string[];
  /** The exact keys when they are more than plain ascending columns (expressions, operator classes, DESC). */
  keys?: IndexKeySpec[];
  /** `btree` when absent. */
  method?: 'btree' | 'gin';
  /** INCLUDE columns, for an index-only scan. */
  include?: string[];
  /** Partial-index predicate as SQL, when the filter compares with a constant. */
  predicate?: string;
  /** The index's name, when pglens chose one that is free in the database. */
  name?: string;
  /** An extension the index needs (`pg_trgm`), not installed yet. */
  requires?: string;
}

export interface IndexKeySpec {
  /** A column name (unquoted), or else an expression as PostgreSQL prints it (`lower(email)`). */
  column?: string;
  expression?: string;
  /** `text_pattern_ops`, `jsonb_path_ops`, `gin_trgm_ops`. */
  opclass?: string;
  descending?: boolean;
}
