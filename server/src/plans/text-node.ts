/**
 * One TEXT plan node line (`Hash Left Join  (cost=… rows=… width=…) (actual time=… rows=… loops=…)`)
 * → the keys EXPLAIN (FORMAT JSON) prints for it. The wording follows ExplainNode() in PostgreSQL's
 * src/backend/commands/explain.c: TEXT folds `Join Type`, `Strategy`, `Partial Mode`, `Operation`,
 * `Command` and `Scan Direction` into the node's name, and prints relation names quoted.
 */
import type { PlanNode } from '../../../protocol/plan';

const FIGURES =
  /^(.*?)(?:\s+\(cost=(-?[\d.]+)\.\.(-?[\d.]+) rows=(\d+) width=(\d+)\))?(?:\s+\((?:actual (?:time=([\d.]+)\.\.([\d.]+) )?rows=([\d.]+) loops=(\d+)|(never executed))\))?$/;

/** Node types as JSON names them: a line without figures (COSTS OFF) must name one to start a plan. */
export const NODE_TYPES = new Set([
  'Result', 'ProjectSet', 'ModifyTable', 'Append', 'Merge Append', 'Recursive Union', 'BitmapAnd', 'BitmapOr', 'Nested Loop',
  'Merge Join', 'Hash Join', 'Seq Scan', 'Sample Scan', 'Gather', 'Gather Merge', 'Index Scan', 'Index Only Scan',
  'Bitmap Index Scan', 'Bitmap Heap Scan', 'Tid Scan', 'Tid Range Scan', 'Subquery Scan', 'Function Scan', 'Table Function Scan',
  'Values Scan', 'CTE Scan', 'Named Tuplestore Scan', 'WorkTable Scan', 'Foreign Scan', 'Custom Scan', 'Materialize', 'Memoize',
  'Sort', 'Incremental Sort', 'Group', 'Aggregate', 'WindowAgg', 'Unique', 'SetOp', 'LockRows', 'Limit', 'Hash',
]);

/** Scans whose TEXT target is `[schema.]object [alias]`, and the JSON key of the object. */
const SCAN_OBJECT: Record<string, string | undefined> = {
  'Seq Scan': 'Relation Name',
  'Sample Scan': 'Relation Name',
  'Bitmap Heap Scan': 'Relation Name',
  'Tid Scan': 'Relation Name',
  'Tid Range Scan': 'Relation Name',
  'Foreign Scan': 'Relation Name',
  'Custom Scan': 'Relation Name',
  'Function Scan': 'Function Name',
  'Table Function Scan': 'Table Function Name',
  'CTE Scan': 'CTE Name',
  'WorkTable Scan': 'CTE Name',
  'Named Tuplestore Scan': 'Tuplestore Name',
  // Only an alias: no underlying object.
  'Subquery Scan': undefined,
  'Values Scan': undefined,
};

const AGGREGATE_STRATEGY: Record<string, string> = { Aggregate: 'Plain', GroupAggregate: 'Sorted', HashAggregate: 'Hashed', MixedAggregate: 'Mixed' };

/** Parses a node line (without the `->  ` arrow); undefined when it is not one. */
export function parseNodeLine(text: string): PlanNode | undefined {
  const match = FIGURES.exec(text.trim());
  if (!match) return undefined;
  const [, description, startup, total, rows, width, actualStart, actualTotal, actualRows, loops, never] = match;
  const node = describe(description.trim());
  if (!node) return undefined;
  if (total !== undefined) {
    node['Startup Cost'] = Number(startup);
    node['Total Cost'] = Number(total);
    node['Plan Rows'] = Number(rows);
    node['Plan Width'] = Number(width);
  }
  if (never) {
    // JSON prints zeros for a node that never ran; the times only when TIMING was on, which TEXT cannot
    // tell here: the caller removes them when the plan has no times elsewhere.
    node['Actual Startup Time'] = 0;
    node['Actual Total Time'] = 0;
    node['Actual Rows'] = 0;
    node['Actual Loops'] = 0;
  } else if (loops !== undefined) {
    if (actualTotal !== undefined) {
      node['Actual Startup Time'] = Number(actualStart);
      node['Actual Total Time'] = Number(actualTotal);
    }
    node['Actual Rows'] = Number(actualRows);
    node['Actual Loops'] = Number(loops);
  }
  return node;
}

/** True when `text` reads as a node line with figures: how a root line is told from other text. */
export function hasNodeFigures(text: string): boolean {
  return /\s\((cost=|actual |never executed\))/.test(text);
}

function describe(description: string): PlanNode | undefined {
  let rest = description;
  const node: PlanNode = { 'Node Type': '' };
  let parallel = false;
  let async = false;
  if (rest.startsWith('Parallel ')) {
    parallel = true;
    rest = rest.slice(9);
  }
  if (rest.startsWith('Async ')) {
    async = true;
    rest = rest.slice(6);
  }
  const set = (type: string, extra: Record<string, unknown> = {}): PlanNode => {
    Object.assign(node, { 'Node Type': type }, extra, { 'Parallel Aware': parallel, 'Async Capable': async });
    return node;
  };

  let match = /^(Nested Loop|Merge|Hash)(?: (Inner|Left|Full|Right|Semi|Anti|Right Semi|Right Anti))? Join$/.exec(rest);
  if (match || rest === 'Nested Loop') {
    const kind = match ? match[1] : 'Nested Loop';
    return set(kind === 'Nested Loop' ? 'Nested Loop' : `${kind} Join`, { 'Join Type': match?.[2] ?? 'Inner' });
  }
  match = /^(?:(Partial|Finalize) )?(Aggregate|GroupAggregate|HashAggregate|MixedAggregate)$/.exec(rest);
  if (match) return set('Aggregate', { Strategy: AGGREGATE_STRATEGY[match[2]], 'Partial Mode': match[1] ?? 'Simple' });
  match = /^(SetOp|HashSetOp) (Intersect All|Intersect|Except All|Except)$/.exec(rest);
  if (match) return set('SetOp', { Strategy: match[1] === 'SetOp' ? 'Sorted' : 'Hashed', Command: match[2] });
  match = /^(Insert|Update|Delete|Merge) on (.+)$/.exec(rest);
  if (match) return withTarget(match[2], 'Relation Name', (found) => set('ModifyTable', { Operation: match![1], ...found }));
  match = /^Foreign (Scan|Insert|Update|Delete)(?: on (.+))?$/.exec(rest);
  if (match) {
    const extra: Record<string, unknown> = match[1] === 'Scan' ? {} : { Operation: match[1] };
    return match[2] ? withTarget(match[2], 'Relation Name', (found) => set('Foreign Scan', { ...extra, ...found })) : set('Foreign Scan', extra);
  }
  match = /^Custom Scan \((.+?)\)(?: on (.+))?$/.exec(rest);
  if (match) {
    const provider = match[1];
    return match[2] ? withTarget(match[2], 'Relation Name', (found) => set('Custom Scan', { 'Custom Plan Provider': provider, ...found })) : set('Custom Scan', { 'Custom Plan Provider': provider });
  }
  match = /^(Index Scan|Index Only Scan)( Backward)? using ((?:"(?:[^"]|"")*"|\S)+) on (.+)$/.exec(rest);
  if (match) {
    const [, type, backward, index] = match;
    return withTarget(match[4], 'Relation Name', (found) => set(type, { 'Scan Direction': backward ? 'Backward' : 'Forward', 'Index Name': unquote(index), ...found }));
  }
  match = /^Bitmap Index Scan on (.+)$/.exec(rest);
  if (match) return set('Bitmap Index Scan', { 'Index Name': unquote(match[1]) });
  // Before 9.1 (or so) a subquery scan named its alias without `on`.
  match = /^Subquery Scan (?!on )(\S+)$/.exec(rest);
  if (match) return withTarget(match[1], undefined, (found) => set('Subquery Scan', found));
  match = /^([A-Z][A-Za-z ]*? Scan) on (.+)$/.exec(rest);
  if (match && match[1] in SCAN_OBJECT) {
    const type = match[1];
    return withTarget(match[2], SCAN_OBJECT[type], (found) => set(type, found));
  }
  if (/^[A-Z][A-Za-z -]*$/.test(rest)) return set(rest);
  return undefined;
}

/** `[schema.]object [alias]`: one or two words, parentheses only inside double quotes. */
const TARGET = /^(?:"(?:[^"]|"")*"|[^\s"()])+(?: (?:"(?:[^"]|"")*"|[^\s"()])+)?$/;

/** `schema.object alias`, `object alias`, `object` or (objectKey undefined) `alias`, names quoted as SQL. */
function target(text: string, objectKey: string | undefined): Record<string, unknown> | undefined {
  if (!TARGET.test(text)) return undefined;
  const words = splitWords(text);
  if (!objectKey) return { Alias: unquote(words[words.length - 1] ?? text) };
  const parts = splitQualified(words[0] ?? text);
  const object = parts[parts.length - 1];
  const out: Record<string, unknown> = { [objectKey]: object };
  if (parts.length > 1) out.Schema = parts.slice(0, -1).join('.');
  out.Alias = words.length > 1 ? unquote(words[1]) : object;
  return out;
}

function withTarget(text: string, objectKey: string | undefined, make: (found: Record<string, unknown>) => PlanNode): PlanNode | undefined {
  const found = target(text, objectKey);
  return found ? make(found) : undefined;
}

/** Words separated by spaces outside double quotes. */
function splitWords(text: string): string[] {
  return text.match(/(?:"(?:[^"]|"")*"|[^\s"])+/g) ?? [];
}

/** `a.b` → [a, b]; `"a.b".c` → [a.b, c]; unquoted. */
function splitQualified(word: string): string[] {
  return (word.match(/(?:"(?:[^"]|"")*"|[^."])+/g) ?? [word]).map(unquote);
}

export function unquote(word: string): string {
  return word.length >= 2 && word.startsWith('"') && word.endsWith('"') ? word.slice(1, -1).replace(/""/g, '"') : word;
}
