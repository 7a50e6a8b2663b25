/**
 * EXPLAIN (FORMAT YAML) and (FORMAT XML) → ExplainResult[] with the keys and value types of
 * EXPLAIN (FORMAT JSON). YAML is read by js-yaml (core schema: no dates), XML by fast-xml-parser; XML
 * tags are JSON keys with every character outside `[A-Za-z0-9._-]` turned into `-` (explain.c,
 * ExplainXMLTag), so known keys with a hyphen or slash are mapped back by name, others get spaces.
 * Throws only PlanParseError.
 */
import { XMLParser } from 'fast-xml-parser';
import { CORE_SCHEMA, load } from 'js-yaml';
import type { ExplainResult } from '../../../protocol/plan';
import { PlanParseError } from './errors';
import type { SourceLine } from './frame';
import { toResult } from './parse-json';
import { EXPRESSIONS, LISTS } from './text-props';

/** Keys whose value is an array in JSON, and the element name XML uses for its items. */
const ARRAYS: Record<string, string> = { Plans: 'Plan', Workers: 'Worker', Triggers: 'Trigger' };
for (const key of LISTS) ARRAYS[key] = 'Item';
ARRAYS['Sort Methods Used'] = 'Item';

/** Keys with a character XML cannot keep (turned into `-`), found in explain.c. */
const IRREGULAR = [
  'One-Time Filter', 'Pre-sorted Groups', 'Full-sort Groups', 'I/O Read Time', 'I/O Write Time', 'Shared I/O Read Time',
  'Shared I/O Write Time', 'Local I/O Read Time', 'Local I/O Write Time', 'Temp I/O Read Time', 'Temp I/O Write Time',
];
const FROM_TAG = new Map(IRREGULAR.map((key) => [key.replace(/[^A-Za-z0-9._-]/g, '-'), key]));

/** String values even when they read as numbers (names, expressions, settings). */
const STRINGS = new Set([
  ...EXPRESSIONS, 'Node Type', 'Relation Name', 'Schema', 'Alias', 'Index Name', 'CTE Name', 'Function Name', 'Subplan Name',
  'Trigger Name', 'Constraint Name', 'Relation', 'Strategy', 'Partial Mode', 'Operation', 'Join Type', 'Parent Relationship',
  'Scan Direction', 'Command', 'Sort Space Type', 'Storage', 'Format', 'Query Identifier', 'Item',
]);

export function parseYamlPlan(lines: SourceLine[]): ExplainResult[] {
  const text = lines.map((entry) => entry.text).join('\n');
  let value: unknown;
  try {
    value = load(text, { schema: CORE_SCHEMA });
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const at = lines[Math.min(mark?.line ?? 0, lines.length - 1)]?.line ?? 1;
    throw new PlanParseError(`invalid YAML plan: ${(error as Error).message.split('\n')[0]}`, at);
  }
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, k) => toResult(fixArrays(item), k));
}

/** YAML prints an empty list as nothing (`Triggers:` → null); JSON prints `[]`. */
function fixArrays(value: unknown, key = ''): unknown {
  if (value === null && key in ARRAYS) return [];
  if (Array.isArray(value)) return value.map((item) => fixArrays(item, key === 'Plans' ? '' : key));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) out[name] = fixArrays(item, name);
  return out;
}

type XmlNode = Record<string, unknown> & { '#text'?: string };

export function parseXmlPlan(lines: SourceLine[]): ExplainResult[] {
  const text = lines.map((entry) => entry.text).join('\n');
  const end = text.indexOf('</explain>');
  const body = end >= 0 ? text.slice(0, end + '</explain>'.length) : text;
  let tree: XmlNode[];
  try {
    tree = new XMLParser({ preserveOrder: true, parseTagValue: false, ignoreAttributes: true, trimValues: true }).parse(body, true) as XmlNode[];
  } catch (error) {
    const line = (error as { line?: number }).line ?? /Line (\d+)/i.exec(String((error as Error).message))?.[1];
    throw new PlanParseError(`invalid XML plan: ${(error as Error).message}`, lines[Math.max(0, Number(line ?? 1) - 1)]?.line ?? 1);
  }
  const explain = tree.find((node) => 'explain' in node);
  if (!explain) throw new PlanParseError('the XML has no <explain> element', lines[0]?.line ?? 1);
  const queries = children(explain, 'explain').filter((node) => 'Query' in node);
  if (queries.length === 0) throw new PlanParseError('the XML has no <Query> element', lines[0]?.line ?? 1);
  return queries.map((query, k) => toResult(objectOf(children(query, 'Query'), false), k));
}

function children(node: XmlNode, tag: string): XmlNode[] {
  return (node[tag] as XmlNode[] | undefined) ?? [];
}

function keyOf(tag: string, raw: boolean): string {
  return raw ? tag : (FROM_TAG.get(tag) ?? tag.replace(/-/g, ' '));
}

/**
 * XML names some groups by their kind where JSON uses their label: the first and second incremental
 * sort group are JSON's `Full-sort Groups` and `Pre-sorted Groups`, the first and second sort space its
 * `Sort Space Memory` and `Sort Space Disk` (explain.c prints each only when used: by order is the best
 * XML allows).
 */
const BY_ORDER: Record<string, string[]> = {
  'Incremental Sort Groups': ['Full-sort Groups', 'Pre-sorted Groups'],
  'Sort Space': ['Sort Space Memory', 'Sort Space Disk'],
};

/** Elements → an object; `raw` keeps tag names as they are (the settings are named by their GUC). */
function objectOf(elements: XmlNode[], raw: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Map<string, number>();
  for (const element of elements) {
    const tag = Object.keys(element).find((name) => name !== ':@' && name !== '#text');
    if (!tag) continue;
    let key = keyOf(tag, raw);
    if (!raw && key in BY_ORDER) {
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      key = BY_ORDER[key][Math.min(n, 1)];
    }
    out[key] = valueOf(key, children(element, tag), raw);
  }
  return out;
}

function valueOf(key: string, content: XmlNode[], raw: boolean): unknown {
  if (key in ARRAYS && !raw) {
    const item = ARRAYS[key];
    return content.filter((node) => item in node).map((node) => (item === 'Item' ? textOf(children(node, item)) : objectOf(children(node, item), false)));
  }
  const isText = content.length === 0 || content.every((node) => '#text' in node);
  if (!isText) return objectOf(content, raw || key === 'Settings');
  const text = textOf(content);
  if (raw || STRINGS.has(key)) return text;
  if (text === 'true' || text === 'false') return text === 'true';
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

function textOf(content: XmlNode[]): string {
  return content.map((node) => node['#text'] ?? '').join('');
}
