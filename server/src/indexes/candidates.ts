/**
 * Index candidates for one statement, from its VERBOSE plan: for every table scan, the conditions
 * on that table (its filter and index conditions, the join conditions above it, a correlated
 * subquery's reference to the outer row), the ordering above it (ORDER BY, GROUP BY) and the columns
 * it returns. Pure: the planner costs each candidate afterwards (advise.ts), and only that decides.
 */
import type { IndexKeySpec, IndexSuggestion, PlanNode } from '../../../protocol/plan';
import { flattenPlan } from '../plans/tree';
import type { TreeNode } from '../plans/tree';
import type { Atom, Condition, Operand } from './expressions';
import { bareColumn, isLiteral, isRuntimeConstant, literalText, literalType, readConjuncts, stripParens, unqualify, unquote } from './expressions';

/** What the catalog says about a table's columns. */
export interface TableColumns {
  /** Column name → type as format_type prints it (`jsonb`, `text[]`). */
  types: Map<string, string>;
  /** Column name → collation name, for text columns (`C`, `en_US`, `default`). */
  collations: Map<string, string>;
}

export interface CandidateContext {
  /** Columns of `schema.table`. */
  columns(schema: string, table: string): TableColumns | undefined;
  /** The database's default collation is C (then LIKE 'prefix%' uses a plain btree). */
  defaultCollationIsC: boolean;
  /** pg_trgm: installed, can be created, or neither. */
  trigram: 'installed' | 'available' | 'missing';
}

/** One candidate: usually one index; one per side for an OR, which a BitmapOr needs together. */
export interface Candidate {
  indexes: IndexSuggestion[];
  /** The scan the candidate is for, to estimate what hypopg cannot cost (GIN). */
  scan: PlanNode;
}

const SCANS = new Set(['Seq Scan', 'Index Scan', 'Index Only Scan', 'Bitmap Heap Scan']);
const JOIN_KEYS = ['Hash Cond', 'Merge Cond', 'Join Filter'] as const;
const SWAPPED: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '=': '=' };
/** INCLUDE pays for an index-only scan when it adds only a few columns. */
export const MAX_INCLUDE_COLUMNS = 3;

export function indexCandidates(plan: PlanNode, context: CandidateContext): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const add = (indexes: IndexSuggestion[], scan: PlanNode): void => {
    const key = JSON.stringify(indexes);
    if (indexes.length === 0 || seen.has(key)) return;
    seen.add(key);
    out.push({ indexes, scan });
  };
  for (const entry of flattenPlan(plan)) {
    const node = entry.node;
    if (!SCANS.has(node['Node Type']) || typeof node['Relation Name'] !== 'string') continue;
    const table = { schema: typeof node.Schema === 'string' ? node.Schema : 'public', table: node['Relation Name'] };
    const alias = typeof node.Alias === 'string' ? node.Alias : table.table;
    const columns = context.columns(table.schema, table.table);
    const conditions = [...conditionTexts(entry), ...joinConditions(entry)].flatMap(readConjuncts);
    const shape = readShape(conditions, alias);
    const order = orderingAbove(entry, alias);
    const output = outputColumns(node, alias);
    for (const indexes of btreeCandidates(shape, order, output, table)) add(indexes, node);
    for (const special of specialCandidates(shape.special, alias, table, columns, context)) add([special], node);
    for (const or of shape.ors) {
      const sides = or.map((branch) => btreeCandidates(readShape(branch, alias), [], [], table)[0]?.[0]);
      if (sides.every((side): side is IndexSuggestion => side !== undefined)) add(sides, node);
    }
  }
  return out;
}

interface Key {
  spec: IndexKeySpec;
  /** Compared with a literal written in the query (a partial-index predicate can hold it instead). */
  literal: boolean;
  /** The comparison's text without the alias, for a partial predicate. */
  text: string;
}

interface Shape {
  equalities: Key[];
  ranges: Key[];
  /** Conditions a btree cannot seek on but a partial index can hold: IS NULL, booleans, `<>`. */
  predicates: string[];
  special: Atom[];
  ors: Condition[][][];
}

function readShape(conditions: Condition[], alias: string): Shape {
  const shape: Shape = { equalities: [], ranges: [], predicates: [], special: [], ors: [] };
  for (const condition of conditions) {
    if (condition.kind === 'or') {
      if (condition.branches.every((branch) => branch.every((part) => mentionsOnly(part, alias)))) shape.ors.push(condition.branches);
      continue;
    }
    const atom = oriented(condition, alias);
    if (!atom) continue;
    const spec = keyOf(atom.left, alias);
    if (!spec) continue;
    const text = unqualify(atom.text, alias);
    const literal = atom.right !== undefined && isLiteral(atom.right);
    if (['IS NULL', 'IS NOT NULL', 'true', 'false', '<>'].includes(atom.operator)) {
      if (atom.operator !== '<>' || literal) shape.predicates.push(text);
    } else if (atom.operator === '=' || atom.operator === '= ANY') {
      shape.equalities.push({ spec, literal: literal && atom.operator === '=', text });
    } else if (['<', '<=', '>', '>='].includes(atom.operator)) {
      shape.ranges.push({ spec, literal, text });
    } else if (['~~', '~~*', '@>'].includes(atom.operator)) {
      shape.special.push(atom);
    }
  }
  return shape;
}

/**
 * The atom with this table's side on the left and a value fixed for the scan on the right (a constant,
 * a parameter, or a column of another table: a join or a correlated subquery's outer row).
 */
function oriented(atom: Atom, alias: string): Atom | undefined {
  const ours = (operand: Operand | undefined): boolean => operand !== undefined && operand.aliases.size === 1 && operand.aliases.has(alias);
  const fixed = (operand: Operand | undefined): boolean => operand === undefined || (!operand.aliases.has(alias) && (operand.aliases.size > 0 || isRuntimeConstant(operand)));
  if (ours(atom.left) && fixed(atom.right)) return atom;
  if (atom.right && ours(atom.right) && fixed(atom.left) && SWAPPED[atom.operator]) return { ...atom, operator: SWAPPED[atom.operator], left: atom.right, right: atom.left };
  return undefined;
}

function keyOf(operand: Operand, alias: string): IndexKeySpec | undefined {
  const column = bareColumn(operand, alias);
  if (column !== undefined) return { column };
  const expression = unqualify(operand.text, alias);
  // An expression index needs an expression of the row alone: no subquery, no aggregate.
  if (/SubPlan|InitPlan|\$\d/.test(expression)) return undefined;
  return { expression };
}

function mentionsOnly(condition: Condition, alias: string): boolean {
  if (condition.kind === 'or') return condition.branches.every((branch) => branch.every((part) => mentionsOnly(part, alias)));
  return oriented(condition, alias) !== undefined;
}

/** Btree key lists: equalities first, then one range or the ordering; literal equalities also as a partial predicate. */
function btreeCandidates(shape: Shape, order: IndexKeySpec[], output: string[] | undefined, table: { schema: string; table: string }): IndexSuggestion[][] {
  const equalities = uniqueKeys(shape.equalities);
  const fixedValues = equalities.filter((key) => !key.literal);
  const literals = equalities.filter((key) => key.literal);
  const predicates = [...literals.map((key) => key.text), ...shape.predicates];
  const range = shape.ranges[0];
  const tails: IndexKeySpec[][] = [];
  if (range) tails.push([range.spec]);
  const orderTail = order.filter((spec) => !equalities.some((key) => sameKey(key.spec, spec)));
  if (orderTail.length > 0) tails.push(orderTail);
  if (tails.length === 0) tails.push([]);
  const out: IndexSuggestion[][] = [];
  for (const tail of tails) {
    const variants: Array<{ keys: IndexKeySpec[]; predicate?: string }> = [{ keys: [...equalities.map((key) => key.spec), ...tail] }];
    if (predicates.length > 0) {
      // Literals as the predicate only when something else is left to seek on: `(customer_id) WHERE
      // customer_id = 42` would serve that one value, where `(customer_id)` serves them all.
      const keys = [...fixedValues.map((key) => key.spec), ...tail];
      if (keys.length > 0) variants.push({ keys, predicate: predicates.join(' AND ') });
    }
    for (const variant of variants) {
      if (variant.keys.length === 0) continue;
      const base: IndexSuggestion = { schema: table.schema, table: table.table, columns: variant.keys.map(label), keys: variant.keys };
      if (variant.predicate) base.predicate = variant.predicate;
      out.push([base]);
      const include = output?.filter((column) => !variant.keys.some((key) => key.column === column));
      if (include && include.length > 0 && include.length <= MAX_INCLUDE_COLUMNS) out.push([{ ...base, include }]);
    }
  }
  return out;
}

function specialCandidates(atoms: Atom[], alias: string, table: { schema: string; table: string }, columns: TableColumns | undefined, context: CandidateContext): IndexSuggestion[] {
  const out: IndexSuggestion[] = [];
  for (const atom of atoms) {
    const spec = keyOf(atom.left, alias);
    if (!spec || !atom.right) continue;
    const type = spec.column !== undefined ? columns?.types.get(spec.column) : undefined;
    const base = { schema: table.schema, table: table.table, columns: [label(spec)] };
    if (atom.operator === '@>') {
      const jsonb = type === 'jsonb' || literalType(atom.right) === 'jsonb';
      if (jsonb) out.push({ ...base, method: 'gin', keys: [{ ...spec, opclass: 'jsonb_path_ops' }] });
      else if (type?.endsWith('[]')) out.push({ ...base, method: 'gin', keys: [spec] });
      continue;
    }
    const pattern = literalText(atom.right);
    if (pattern === undefined) continue;
    const prefix = atom.operator === '~~' && /^[^%_]/.test(pattern);
    if (prefix) {
      const collation = spec.column !== undefined ? columns?.collations.get(spec.column) : undefined;
      const isC = collation === 'C' || collation === 'POSIX' || ((collation === undefined || collation === 'default') && context.defaultCollationIsC);
      out.push({ ...base, keys: [isC ? spec : { ...spec, opclass: 'text_pattern_ops' }] });
    } else if (context.trigram !== 'missing' && pattern.replace(/[%_]/g, '').length >= 3) {
      // Trigrams need at least three characters between the wildcards to narrow anything down.
      const trigram: IndexSuggestion = { ...base, method: 'gin', keys: [{ ...spec, opclass: 'gin_trgm_ops' }] };
      if (context.trigram === 'available') trigram.requires = 'pg_trgm';
      out.push(trigram);
    }
  }
  return out;
}

/** The scan's own condition texts. */
function conditionTexts(entry: TreeNode): string[] {
  const texts = [entry.node.Filter, entry.node['Index Cond'], entry.node['Recheck Cond']];
  return texts.filter((text): text is string => typeof text === 'string');
}

/** Join conditions of the joins above the scan (a hash join's condition is not on its inner scan). */
function joinConditions(entry: TreeNode): string[] {
  const out: string[] = [];
  for (let up = entry.parent; up; up = up.parent) {
    for (const key of JOIN_KEYS) {
      const text = up.node[key];
      if (typeof text === 'string') out.push(text);
    }
  }
  return out;
}

/** The nearest ordering above the scan that names only its columns: a Sort's keys, or a GROUP BY. */
function orderingAbove(entry: TreeNode, alias: string): IndexKeySpec[] {
  for (let up = entry.parent; up; up = up.parent) {
    const node = up.node;
    const keys = Array.isArray(node['Sort Key']) ? node['Sort Key'] : Array.isArray(node['Group Key']) && node['Node Type'] === 'Aggregate' ? node['Group Key'] : undefined;
    if (!keys) continue;
    const specs: IndexKeySpec[] = [];
    for (const raw of keys as string[]) {
      const match = /^(.*?)(?: (DESC|ASC))?(?: NULLS (?:FIRST|LAST))?$/.exec(String(raw).trim());
      const text = stripParens(match?.[1] ?? '');
      const operand = readConjuncts(text)[0];
      if (!operand || operand.kind !== 'atom' || operand.operator !== 'other' && operand.operator !== 'true') return [];
      if (operand.left.aliases.size !== 1 || !operand.left.aliases.has(alias)) return [];
      const spec = keyOf(operand.left, alias);
      if (!spec) return [];
      specs.push(match?.[2] === 'DESC' ? { ...spec, descending: true } : spec);
    }
    return specs;
  }
  return [];
}

/** The plain columns the scan returns (VERBOSE `Output`), for INCLUDE; undefined when one is an expression. */
function outputColumns(node: PlanNode, alias: string): string[] | undefined {
  const output = node.Output;
  if (!Array.isArray(output)) return undefined;
  const columns: string[] = [];
  for (const item of output as string[]) {
    const text = String(item).trim();
    const qualified = /^((?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*))\.("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)$/i.exec(text);
    if (qualified && unquote(qualified[1]) === alias) columns.push(unquote(qualified[2]));
    else if (/^("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)$/i.test(text)) columns.push(unquote(text));
    else return undefined;
  }
  return columns;
}

function uniqueKeys(keys: Key[]): Key[] {
  return keys.filter((key, k) => keys.findIndex((other) => sameKey(other.spec, key.spec)) === k);
}

function sameKey(a: IndexKeySpec, b: IndexKeySpec): boolean {
  return a.column === b.column && a.expression === b.expression;
}

function label(spec: IndexKeySpec): string {
  return spec.column ?? spec.expression ?? '';
}
