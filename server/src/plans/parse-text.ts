/**
 * EXPLAIN TEXT output → ExplainResult[] keyed exactly as EXPLAIN (FORMAT JSON) would be.
 *
 * Accepts psql's frame (header, dashes, `+` marks, `(N rows)`, rows wrapped by a terminal), plain rows
 * (pgAdmin, logs; cells in double quotes are unquoted) and several plans one after the other. The tree
 * comes from the indentation, as explain.c writes it: a node's properties sit two columns right of its
 * name, a child's `->` arrow at the same column, an InitPlan/SubPlan/CTE label just above its arrow.
 *
 * Where TEXT leaves out what JSON always prints, the JSON value is filled in when it is certain (zero
 * buffers once the plan shows BUFFERS, `Rows Removed by Filter: 0`, `Triggers: []` under ANALYZE, …).
 * What TEXT does not carry at all is absent: `Inner Unique`, the internal names of foreign-key triggers
 * (`Trigger Name` of `Trigger for constraint …`), `Disabled: false` (PostgreSQL 18).
 * Throws PlanParseError with the line number on input that is not a plan.
 */
import type { ExplainResult, PlanNode } from '../../../protocol/plan';
import { PlanParseError } from './errors';
import type { SourceLine } from './frame';
import { unframe } from './frame';
import { hasNodeFigures, NODE_TYPES, parseNodeLine } from './text-node';
import { applyProperty, zeroBuffers } from './text-props';

const MEMBER_PARENTS = new Set(['Append', 'Merge Append', 'BitmapAnd', 'BitmapOr']);
const LABEL = /^(InitPlan(?: \d+)?(?: \(returns [^)]*\))?|SubPlan(?: \d+)?|CTE .+)$/;
const SUMMARY = /^(Planning [Tt]ime|Execution [Tt]ime|Total runtime): [\d.]+ ms$/;
const WORKER = /^Worker (\d+): {2}(.*)$/;
const PROPERTY_START = /^(?:[A-Z][^:]*?: |[A-Z][\w -]*:$)/;
const TOP_LEVEL = /^(Planning [Tt]ime|Execution [Tt]ime|Total runtime|Planning|JIT|Settings|Query Identifier|Serialization|Query Text|Trigger\b[^:]*)(?::|$)/;

/** PostgreSQL 9.0–9.3 print `Total runtime`, 9.4–9.6 `Planning time` and `Execution time`. */
const OLD_TOP_LEVEL: Record<string, string> = { 'Total runtime': 'Execution Time', 'Planning time': 'Planning Time', 'Execution time': 'Execution Time' };

interface Frame {
  node: PlanNode;
  /** Column where the node's name starts; its properties and children are further right. */
  nameCol: number;
  /** Children without a label so far (first is Outer, second Inner). */
  plainChildren: number;
}

interface Block {
  target: Record<string, unknown>;
  col: number;
}

export function parseTextPlan(input: string | SourceLine[]): ExplainResult[] {
  const lines = joinContinuations(cleanLines(typeof input === 'string' ? unframe(input).lines : input));
  if (lines.length === 0) throw new PlanParseError('the plan is empty');
  const results: ExplainResult[] = [];
  let rootCol = 0;
  let stack: Frame[] = [];
  let result: ExplainResult | undefined;
  let label: { name: string; col: number } | undefined;
  let worker: Block | undefined;
  let block: Block | undefined;

  const startPlan = (entry: SourceLine, col: number): void => {
    // A fragment copied from the middle of a plan starts at its `->` arrow.
    const arrow = /^\s*->\s*/.exec(entry.text);
    const text = arrow ? entry.text.slice(arrow[0].length) : entry.text;
    if (arrow) col = arrow[0].length;
    const node = parseNodeLine(text);
    if (!node || (!hasNodeFigures(text) && !NODE_TYPES.has(node['Node Type']))) {
      throw new PlanParseError(`expected a plan node, found "${clip(entry.text.trim())}"`, entry.line);
    }
    result = { Plan: node };
    results.push(result);
    rootCol = col;
    stack = [{ node, nameCol: col, plainChildren: 0 }];
    label = worker = block = undefined;
  };
  /** The node a line at `col` belongs to: the deepest open node whose name starts left of it. */
  const ownerAt = (col: number, entry: SourceLine): Frame => {
    while (stack.length > 1 && stack[stack.length - 1].nameCol >= col) stack.pop();
    const top = stack[stack.length - 1];
    if (!top || top.nameCol >= col) throw new PlanParseError(`"${clip(entry.text.trim())}" is outside any plan node`, entry.line);
    return top;
  };

  for (let k = 0; k < lines.length; k++) {
    const entry = lines[k];
    const col = indentOf(entry.text);
    const content = entry.text.trim();
    if (!result) {
      startPlan(entry, col);
      continue;
    }
    if (content.startsWith('->')) {
      const nodeText = content.slice(2).trim();
      const node = parseNodeLine(nodeText);
      if (!node) throw new PlanParseError(`cannot read the plan node "${clip(nodeText)}"`, entry.line);
      const parent = ownerAt(col, entry);
      if (label && label.col < col && label.col > parent.nameCol) {
        node['Parent Relationship'] = label.name.startsWith('SubPlan') ? 'SubPlan' : 'InitPlan';
        node['Subplan Name'] = label.name;
      } else {
        node['Parent Relationship'] = plainRelationship(parent);
      }
      // Before 9.1 one `InitPlan`/`SubPlan` line (no number) heads all the subplans below it.
      if (label && /\d/.test(label.name)) label = undefined;
      worker = block = undefined;
      withRelationshipFirst(node);
      (parent.node.Plans ??= []).push(node);
      stack.push({ node, nameCol: col + content.indexOf(nodeText), plainChildren: 0 });
      continue;
    }
    if (block && col > block.col) {
      applyBlockLine(block.target, content);
      continue;
    }
    block = undefined;
    // The summary lines belong to the plan wherever a paste indented them.
    if (col <= rootCol || SUMMARY.test(content)) {
      if (hasNodeFigures(content) && parseNodeLine(content)) {
        startPlan(entry, col);
        continue;
      }
      block = applyTopLevel(result, content, entry);
      continue;
    }
    if (LABEL.test(content) && nextIsArrowRightOf(lines, k, col)) {
      ownerAt(col, entry);
      label = { name: content, col };
      continue;
    }
    const workerMatch = WORKER.exec(content);
    if (workerMatch) {
      const owner = ownerAt(col, entry);
      const workers = (owner.node.Workers ??= []) as Array<Record<string, unknown>>;
      const number = Number(workerMatch[1]);
      let target = workers.find((item) => item['Worker Number'] === number);
      if (!target) workers.push((target = { 'Worker Number': number }));
      worker = { target, col };
      applyWorkerFirst(target, workerMatch[2]);
      continue;
    }
    if (worker && col > worker.col) {
      applyLine(worker.target, content, entry);
      continue;
    }
    worker = undefined;
    applyLine(ownerAt(col, entry).node, content, entry);
  }
  // PostgreSQL 18 prints actual rows with two decimals, turns BUFFERS on with ANALYZE and adds a WAL field.
  const pg18 = lines.some((entry) => /\brows=\d+\.\d\d loops=/.test(entry.text));
  results.forEach((item) => completeResult(item, pg18));
  return results;
}

function plainRelationship(parent: Frame): string {
  const type = parent.node['Node Type'];
  if (MEMBER_PARENTS.has(type)) return 'Member';
  if (type === 'Subquery Scan') return 'Subquery';
  return parent.plainChildren++ === 0 ? 'Outer' : 'Inner';
}

/** JSON prints `Parent Relationship` right after the node type and strategy; keep the familiar order. */
function withRelationshipFirst(node: PlanNode): void {
  const entries = Object.entries(node);
  for (const key of Object.keys(node)) delete node[key];
  const head = entries.filter(([key]) => ['Node Type', 'Strategy', 'Partial Mode', 'Operation', 'Parent Relationship', 'Subplan Name'].includes(key));
  const tail = entries.filter(([key]) => !['Node Type', 'Strategy', 'Partial Mode', 'Operation', 'Parent Relationship', 'Subplan Name'].includes(key));
  for (const [key, value] of [...head, ...tail]) node[key] = value;
}

function applyLine(target: Record<string, unknown>, content: string, entry: SourceLine): void {
  const colon = content.indexOf(': ');
  if (colon <= 0) {
    if (content.endsWith(':')) return; // an empty header: nothing to record
    throw new PlanParseError(`cannot read "${clip(content)}"`, entry.line);
  }
  applyProperty(target, content.slice(0, colon), content.slice(colon + 2));
}

/** `actual time=1.0..2.0 rows=3 loops=1`, `actual rows=3 loops=1`, or a first property (`Sort Method: …`). */
function applyWorkerFirst(target: Record<string, unknown>, rest: string): void {
  const actual = /^actual (?:time=([\d.]+)\.\.([\d.]+) )?rows=([\d.]+) loops=(\d+)$/.exec(rest);
  if (actual) {
    if (actual[1] !== undefined) {
      target['Actual Startup Time'] = Number(actual[1]);
      target['Actual Total Time'] = Number(actual[2]);
    }
    target['Actual Rows'] = Number(actual[3]);
    target['Actual Loops'] = Number(actual[4]);
    return;
  }
  const colon = rest.indexOf(': ');
  if (colon > 0) applyProperty(target, rest.slice(0, colon), rest.slice(colon + 2));
}

/** A plan-level line; returns the block (`Planning:`, `JIT:`) that the following deeper lines fill. */
function applyTopLevel(result: ExplainResult, content: string, entry: SourceLine): Block | undefined {
  if (content === 'Planning:') return { target: (result.Planning = { ...zeroBuffers(), ...(result.Planning ?? {}) }), col: indentOf(entry.text) };
  if (content === 'JIT:') return { target: (result.JIT = {}), col: indentOf(entry.text) };
  const trigger = /^Trigger (for constraint )?(.+?)(?: on (\S+))?: (?:time=([\d.]+) )?calls=(\d+)$/.exec(content);
  if (trigger) {
    const item: Record<string, unknown> = trigger[1] ? { 'Constraint Name': trigger[2] } : { 'Trigger Name': trigger[2] };
    const relation = trigger[3] ?? modifiedRelation(result.Plan);
    if (relation) item.Relation = relation;
    if (trigger[4] !== undefined) item.Time = Number(trigger[4]);
    item.Calls = Number(trigger[5]);
    (result.Triggers ??= []).push(item);
    return undefined;
  }
  const colon = content.indexOf(': ');
  if (colon <= 0 || !TOP_LEVEL.test(content)) throw new PlanParseError(`cannot read "${clip(content)}"`, entry.line);
  const key = OLD_TOP_LEVEL[content.slice(0, colon)] ?? content.slice(0, colon);
  const value = content.slice(colon + 2);
  if (key === 'Settings') {
    const settings: Record<string, string> = {};
    for (const match of value.matchAll(/([\w.]+) = '((?:[^']|'')*)'/g)) settings[match[1]] = match[2].replace(/''/g, "'");
    result.Settings = settings;
  } else if (key === 'Serialization') {
    const match = /time=([\d.]+) ms\s+output=(\d+)kB\s+format=(\w+)/.exec(value) ?? /output=(\d+)kB\s+format=(\w+)/.exec(value);
    result.Serialization = match && match.length === 4 ? { Time: Number(match[1]), 'Output Volume': Number(match[2]), Format: match[3] } : value;
  } else {
    applyProperty(result, key, value);
  }
  return undefined;
}

/** Lines of the `Planning:` and `JIT:` blocks. */
function applyBlockLine(target: Record<string, unknown>, content: string): void {
  const colon = content.indexOf(': ');
  if (colon <= 0) return;
  const key = content.slice(0, colon);
  const value = content.slice(colon + 2);
  if (key === 'Options') {
    const options: Record<string, boolean> = {};
    for (const match of value.matchAll(/(\w+) (true|false)/g)) options[match[1]] = match[2] === 'true';
    target.Options = options;
  } else if (key === 'Timing') {
    const timing: Record<string, unknown> = {};
    for (const match of value.matchAll(/(\w+) ([\d.]+) ms(?: \(Deform ([\d.]+) ms\))?/g)) {
      timing[match[1]] = match[3] !== undefined ? { Deform: Number(match[3]), Total: Number(match[2]) } : Number(match[2]);
    }
    target.Timing = timing;
  } else if (key === 'Memory') {
    const match = /used=(\d+)kB\s+allocated=(\d+)kB/.exec(value);
    if (match) Object.assign(target, { 'Memory Used': Number(match[1]), 'Memory Allocated': Number(match[2]) });
  } else {
    applyProperty(target, key, value);
  }
}

/** The table a single ModifyTable root writes (TEXT names a trigger's table only when there are several). */
function modifiedRelation(root: PlanNode): string | undefined {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node['Node Type'] === 'ModifyTable') return typeof node['Relation Name'] === 'string' ? node['Relation Name'] : undefined;
    stack.push(...(node.Plans ?? []));
  }
  return undefined;
}

function nextIsArrowRightOf(lines: SourceLine[], k: number, col: number): boolean {
  const next = lines[k + 1];
  return next !== undefined && next.text.trim().startsWith('->') && indentOf(next.text) > col;
}

/** Fills what JSON always prints and TEXT leaves out when it is zero or false (see the header). */
function completeResult(result: ExplainResult, pg18: boolean): void {
  const nodes: PlanNode[] = [];
  const parallel = new Set<PlanNode>();
  const stack: Array<[PlanNode, boolean]> = [[result.Plan, false]];
  while (stack.length > 0) {
    const [node, underGather] = stack.pop()!;
    nodes.push(node);
    if (underGather) parallel.add(node);
    const gather = underGather || node['Node Type'] === 'Gather' || node['Node Type'] === 'Gather Merge';
    for (const child of node.Plans ?? []) stack.push([child, gather]);
  }
  const analyzed = typeof result.Plan['Actual Loops'] === 'number';
  const timed = nodes.some((node) => typeof node['Actual Total Time'] === 'number' && node['Actual Loops'] !== 0);
  const hasBuffers = result.Planning !== undefined || nodes.some((node) => 'Shared Hit Blocks' in node) || (pg18 && analyzed);
  const hasWal = nodes.some((node) => 'WAL Records' in node);
  const walFull = pg18 || nodes.some((node) => 'WAL Buffers Full' in node);
  const costs = typeof result.Plan['Total Cost'] === 'number';
  for (const node of nodes) {
    const type = node['Node Type'];
    if (analyzed) {
      if (node['Actual Loops'] === 0 && !timed) {
        delete node['Actual Startup Time'];
        delete node['Actual Total Time'];
      }
      if ('Filter' in node) node['Rows Removed by Filter'] ??= 0;
      if ('Join Filter' in node) node['Rows Removed by Join Filter'] ??= 0;
      // Workers' instrumentation exists for every node below a Gather, even when no worker started.
      if (parallel.has(node)) node.Workers ??= [];
      if (((type === 'Index Scan' || type === 'Index Only Scan') && 'Index Cond' in node) || (type === 'Bitmap Heap Scan' && 'Recheck Cond' in node)) node['Rows Removed by Index Recheck'] ??= 0;
      if (type === 'Bitmap Heap Scan') {
        node['Exact Heap Blocks'] ??= 0;
        node['Lossy Heap Blocks'] ??= 0;
      }
    }
    if (type === 'Gather') node['Single Copy'] ??= false;
    if (type === 'Append' || type === 'Merge Append') node['Subplans Removed'] ??= 0;
    if (type === 'Aggregate' && costs && (node.Strategy === 'Hashed' || node.Strategy === 'Mixed')) node['Planned Partitions'] ??= 0;
    const workers = Array.isArray(node.Workers) ? (node.Workers as Array<Record<string, unknown>>) : [];
    workers.sort((a, b) => Number(a['Worker Number']) - Number(b['Worker Number']));
    for (const target of [node, ...workers]) {
      if (hasBuffers) for (const [key, zero] of Object.entries(zeroBuffers())) target[key] ??= zero;
      if (hasWal) {
        target['WAL Records'] ??= 0;
        target['WAL FPI'] ??= 0;
        target['WAL Bytes'] ??= 0;
        if (walFull) target['WAL Buffers Full'] ??= 0;
      }
    }
  }
  if (hasBuffers) result.Planning ??= zeroBuffers();
  if (analyzed) result.Triggers ??= [];
}

/** Drops blank lines, pgAdmin's `QUERY PLAN` header and the double quotes around its cells. */
export function cleanLines(lines: SourceLine[]): SourceLine[] {
  let out = lines.filter((entry) => entry.text.trim() !== '').map((entry) => ({ ...entry, text: entry.text.replace(/\t/g, '    ').trimEnd() }));
  if (out.length > 0 && /^"?QUERY PLAN"?$/.test(out[0].text.trim())) out = out.slice(1);
  if (out.length > 0 && out.every((entry) => /^\s*".*"$/.test(entry.text))) {
    out = out.map((entry) => ({ ...entry, text: entry.text.trim().slice(1, -1).replace(/""/g, '"') }));
  }
  return out;
}

/**
 * A line that cannot start anything (not a node, label, worker, property or plan-level line) is the
 * rest of the line before it, cut by a terminal or an editor, when that line was cut at the width of
 * the longest line (the terminal's): join them back. Otherwise it stays, and is reported as unreadable.
 */
export function joinContinuations(lines: SourceLine[]): SourceLine[] {
  const out: SourceLine[] = [];
  const width = Math.max(0, ...lines.map((entry) => entry.text.length));
  let lastPiece = 0;
  for (const entry of lines) {
    const content = entry.text.trim();
    const starts =
      out.length === 0 ||
      content.startsWith('->') ||
      LABEL.test(content) ||
      WORKER.test(content) ||
      PROPERTY_START.test(content) ||
      (hasNodeFigures(content) && parseNodeLine(content) !== undefined) ||
      (lastPiece < width - 2 && !unfinished(out[out.length - 1].text));
    if (starts) out.push(entry);
    else {
      // An editor that wrapped at a space dropped it; a terminal keeps every character.
      const previous = out[out.length - 1].text;
      const glue = /^((rows|loops|width|time|cost)=|(AND|OR)\b)/.test(entry.text) && !/\s$/.test(previous) ? ' ' : '';
      out[out.length - 1] = { ...out[out.length - 1], text: previous + glue + entry.text };
    }
    lastPiece = entry.text.length;
  }
  return out;
}

/** A line that cannot end where it does: parentheses left open, or a list or condition cut after `,`/`AND`/`OR`. */
function unfinished(text: string): boolean {
  let depth = 0;
  let quote = '';
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
  }
  return depth > 0 || /(,|\bAND|\bOR)$/.test(text.trimEnd());
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
