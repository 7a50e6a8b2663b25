/**
 * `parsePlan`: EXPLAIN output in any form pglens accepts (TEXT of PostgreSQL 9.0–18, JSON, YAML, XML;
 * inside a result grid's frame, quoted, among prose or auto_explain log lines: see parse-paste.ts)
 * → ExplainResult[] with figures on every node (`pglens`) and figures plus hints on each result.
 *
 * Errors: `parsePlan` throws `PlanParseError` (with a 1-based `line`) and nothing else, whatever the
 * input; `tryParsePlan` returns the same error as data for callers that prefer no exceptions.
 */
import type { ExplainResult, PlanFigures } from '../../../protocol/plan';
import type { SchemaSnapshot } from '../../../protocol/schema';
import { PlanParseError } from './errors';
import { computeFigures, inclusiveTime, isAnalyzed } from './figures';
import type { SourceLine } from './frame';
import { planHints } from './hints/index';
import { parseJsonPlan } from './parse-json';
import type { PlanFormat } from './parse-paste';
import { readPaste } from './parse-paste';
import { parseTextPlan } from './parse-text';
import { parseXmlPlan, parseYamlPlan } from './parse-tree-formats';
import { flattenPlan } from './tree';

export interface ParsePlanOptions {
  /** Lets schema-aware hints (foreign keys without an index, existing indexes) look at the database. */
  snapshot?: SchemaSnapshot;
  /** Stored as `pglens.source`, e.g. `PostgreSQL 15.19 (live)`. */
  source?: string;
}

/** The format of the (first) plan in the text, after what a paste adds around it is set aside. */
export function detectPlanFormat(text: string): PlanFormat {
  try {
    return readPaste(text)[0].format;
  } catch {
    return 'text';
  }
}

const READERS: Record<PlanFormat, (lines: SourceLine[]) => ExplainResult[]> = {
  json: parseJsonPlan,
  text: parseTextPlan,
  yaml: parseYamlPlan,
  xml: parseXmlPlan,
};

export function parsePlan(text: string, options: ParsePlanOptions = {}): ExplainResult[] {
  if (typeof text !== 'string' || text.trim() === '') throw new PlanParseError('the plan is empty');
  try {
    const results = readPaste(text).flatMap((pasted) => {
      const read = READERS[pasted.format](pasted.lines);
      if (pasted.queryText && read[0]) read[0]['Query Text'] ??= pasted.queryText;
      return read;
    });
    return results.map((result) => annotatePlan(result, options));
  } catch (error) {
    if (error instanceof PlanParseError) throw error;
    // A bug of ours on an odd input must still reach the caller as a parse error, not a crash.
    throw new PlanParseError(`could not read the plan: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function tryParsePlan(text: string, options: ParsePlanOptions = {}): { results: ExplainResult[] } | { error: string; line: number } {
  try {
    return { results: parsePlan(text, options) };
  } catch (error) {
    const parseError = error instanceof PlanParseError ? error : new PlanParseError(String(error));
    return { error: parseError.message, line: parseError.line };
  }
}

/**
 * Adds `pglens` figures to every node and to the result (in place, and returns it), with hints. Call it
 * again with a snapshot to refresh the hints that need one.
 */
export function annotatePlan(result: ExplainResult, options: ParsePlanOptions = {}): ExplainResult {
  const nodes = flattenPlan(result.Plan);
  const figures = computeFigures(nodes);
  nodes.forEach((entry, k) => {
    entry.node.pglens = figures[k];
  });
  const analyzed = isAnalyzed(result.Plan);
  const plan: PlanFigures = {
    analyzed,
    nodeCount: nodes.length,
    totalCost: typeof result.Plan['Total Cost'] === 'number' ? result.Plan['Total Cost'] : 0,
    hints: [],
  };
  if (analyzed) plan.totalTime = typeof result['Execution Time'] === 'number' ? result['Execution Time'] : inclusiveTime(nodes[0]);
  if (options.source) plan.source = options.source;
  result.pglens = plan;
  plan.hints = planHints(result, options.snapshot);
  return result;
}
