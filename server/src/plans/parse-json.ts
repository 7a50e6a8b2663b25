/**
 * EXPLAIN (FORMAT JSON) → ExplainResult[]. Accepts PostgreSQL's output as is (`[ { "Plan": … } ]`),
 * one result without the outer array, a bare plan node, and the same text inside psql's frame.
 * Throws only PlanParseError.
 */
import type { ExplainResult, PlanNode } from '../../../protocol/plan';
import { PlanParseError } from './errors';
import type { SourceLine } from './frame';
import { unframe } from './frame';

export function parseJsonPlan(input: string | SourceLine[]): ExplainResult[] {
  const lines = typeof input === 'string' ? unframe(input).lines : input;
  const body = lines.map((entry) => entry.text).join('\n');
  const start = body.search(/[[{]/);
  if (start < 0) throw new PlanParseError('no JSON value found');
  const firstLine = lines[body.slice(0, start).split('\n').length - 1]?.line ?? 1;
  const lineAt = (offset: number): number => lines[Math.min(body.slice(0, offset).split('\n').length - 1, lines.length - 1)]?.line ?? firstLine;
  // Text after the value (a log line, a psql prompt, prose) is not part of it.
  const end = valueEnd(body, start);
  let value: unknown;
  try {
    value = JSON.parse(body.slice(start, end));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    throw new PlanParseError(`invalid JSON plan: ${message}`, lineAt(position ? start + Number(position[1]) : end));
  }
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) throw new PlanParseError('the JSON array holds no plan', firstLine);
  return items.map((item, k) => toResult(item, k));
}

/** Offset just after the JSON value starting at `start` (brackets balanced outside strings), or the text's end. */
function valueEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let k = start; k < text.length; k++) {
    const char = text[k];
    if (inString) {
      if (char === '\\') k++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '[' || char === '{') depth++;
    else if (char === ']' || char === '}') {
      if (--depth === 0) return k + 1;
    }
  }
  return text.length;
}

export function toResult(item: unknown, index: number): ExplainResult {
  if (!isObject(item)) throw new PlanParseError(`item ${index + 1} of the JSON is not an object`);
  if (isObject(item.Plan)) {
    checkNode(item.Plan, 'Plan');
    return item as ExplainResult;
  }
  // A bare plan node (some tools store only the tree).
  if (typeof item['Node Type'] === 'string') {
    checkNode(item, 'Plan');
    return { Plan: item as PlanNode };
  }
  throw new PlanParseError(`item ${index + 1} of the JSON has no "Plan" object`);
}

/** Checks the shape the rest of pglens relies on: a `Node Type` string and `Plans` arrays of nodes. */
function checkNode(root: Record<string, unknown>, path: string): void {
  const stack: Array<[Record<string, unknown>, string]> = [[root, path]];
  while (stack.length > 0) {
    const [node, where] = stack.pop()!;
    if (typeof node['Node Type'] !== 'string') throw new PlanParseError(`${where} has no "Node Type"`);
    const children = node.Plans;
    if (children === undefined) continue;
    if (!Array.isArray(children)) throw new PlanParseError(`"Plans" of ${where} is not an array`);
    children.forEach((child, k) => {
      if (!isObject(child)) throw new PlanParseError(`${where}.Plans[${k}] is not an object`);
      stack.push([child, `${where}.Plans[${k}]`]);
    });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
