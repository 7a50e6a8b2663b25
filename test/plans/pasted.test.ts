/**
 * Real pastes (test/fixtures/plans-pasted, see its README): PEV2's collection of plans people pasted
 * into explain.dalibo.com — PostgreSQL 8.4 to 17, psql frames of every style, pgAdmin and DBeaver grids,
 * quotes, comments, prose, wrapped lines — each read and checked against the tree PEV2's own test
 * expects (node types in order, estimated and actual rows, costs, relations), an oracle that is not ours.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlanNode } from '../../protocol/plan';
import { parsePlan } from '../../server/src/plans/parse';

const DIR = path.join(__dirname, '..', 'fixtures', 'plans-pasted', 'pev2');
const read = (name: string): string => fs.readFileSync(path.join(DIR, name), 'utf8');

function nodes(root: PlanNode): PlanNode[] {
  const out: PlanNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    out.push(node);
    for (const child of [...(node.Plans ?? [])].reverse()) stack.push(child);
  }
  return out;
}

/** What both readers must agree on for every node. */
const KEYS = ['Node Type', 'Plan Rows', 'Actual Rows', 'Actual Loops', 'Total Cost', 'Relation Name', 'Index Name', 'Parent Relationship'];

/** PEV2 names some things its own way: node types as TEXT prints them, relations schema-qualified. */
function pev2Names(node: Record<string, unknown>): Record<string, unknown> {
  const type = String(node['Node Type']);
  const out: Record<string, unknown> = {
    ...node,
    'Node Type': /^Nested Loop( \w+)? Join$/.test(type)
      ? 'Nested Loop'
      : /^(Hash|Merge) \w+ Join$/.test(type)
        ? type.replace(/ \w+ Join$/, ' Join')
        : /^\w+Aggregate$/.test(type)
          ? 'Aggregate'
          : /^(Insert|Update|Delete|Merge)$/.test(type)
            ? 'ModifyTable'
            : type.replace(/^Subquery Scan \S+$/, 'Subquery Scan'),
  };
  if (typeof node['Index Name'] === 'string') out['Index Name'] = node['Index Name'].replace(/^"(.*)"$/, '$1');
  if (typeof node['Relation Name'] === 'string') out['Relation Name'] = node['Relation Name'].replace(/^.*?\.(?=[^.]*$)/, '').replace(/^"(.*)"$/, '$1');
  return out;
}

/** Differences from PEV2's expected tree; where it leaves out a node's children (its tests check a part), so do we. */
function differences(ours: PlanNode, theirs: PlanNode, where = '$', out: string[] = []): string[] {
  const a = shape(ours)[0];
  const b = pev2Names(shape(theirs)[0]);
  for (const key of KEYS) if (b[key] !== undefined && key !== 'Parent Relationship' && a[key] !== b[key]) out.push(`${where} ${key}: ${String(a[key])} ≠ ${String(b[key])}`);
  if (theirs.Plans) {
    if ((ours.Plans ?? []).length !== theirs.Plans.length) out.push(`${where}: ${(ours.Plans ?? []).length} children ≠ ${theirs.Plans.length}`);
    else theirs.Plans.forEach((child, k) => differences(ours.Plans![k], child, `${where}.${k}`, out));
  }
  return out;
}

function shape(root: PlanNode): Array<Record<string, unknown>> {
  return nodes(root).map((node) => Object.fromEntries(KEYS.filter((key) => node[key] !== undefined).map((key) => [key, typeof node[key] === 'string' && /^\d+(\.\d+)?$/.test(node[key] as string) ? Number(node[key]) : node[key]])));
}

const withExpect = fs
  .readdirSync(path.join(DIR, 'from-text'))
  .filter((name) => name.endsWith('-plan'))
  .map((name) => name.slice(0, -'plan'.length))
  .filter((stem) => fs.existsSync(path.join(DIR, 'from-text', `${stem}expect`)));

describe('real pasted plans', () => {
  it('has the collection', () => expect(withExpect.length).toBeGreaterThanOrEqual(40));

  it.each(withExpect)('from-text/%splan reads as PEV2 expects', (stem) => {
    const [result] = parsePlan(read(`from-text/${stem}plan`));
    const expected = JSON.parse(read(`from-text/${stem}expect`)) as { Plan: PlanNode; 'Execution Time'?: number };
    expect(differences(result.Plan, expected.Plan)).toEqual([]);
    if (typeof expected['Execution Time'] === 'number') expect(result['Execution Time']).toBe(expected['Execution Time']);
  });

  // text-3-dbeaver is another plan (a DELETE), read in the test below.
  const frames = fs.readdirSync(path.join(DIR, 'psql-frames')).filter((name) => name.endsWith('.plan') && !name.includes('dbeaver'));
  it.each(frames)('psql-frames/%s gives the same plan as every other frame of it', (name) => {
    const reference = parsePlan(read(`psql-frames/${name.startsWith('json') ? 'json' : 'text'}-1-aligned-ascii-double-double-double.plan`))[0];
    const [result] = parsePlan(read(`psql-frames/${name}`));
    expect(shape(result.Plan)).toEqual(shape(reference.Plan));
    expect(nodes(result.Plan).length).toBeGreaterThan(1);
  });

  const others = ['psql-frames/text-3-dbeaver.plan', ...['line-wrapped', 'cte-exclusive-time'].flatMap((dir) => fs.readdirSync(path.join(DIR, dir)).filter((name) => /plan$/.test(name)).map((name) => `${dir}/${name}`))];
  it.each(others)('%s reads, with every node line accounted for', (name) => {
    const text = read(name);
    const results = parsePlan(text);
    const count = results.reduce((total, result) => total + nodes(result.Plan).length, 0);
    // Every `->` in the paste is one node below a root (a terminal may have cut an arrow's line, never the arrow).
    const arrows = (text.match(/->/g) ?? []).length;
    expect(count).toBe(arrows + results.length);
    const expectFile = name.replace(/plan$/, 'expect');
    if (fs.existsSync(path.join(DIR, expectFile))) {
      const expected = JSON.parse(read(expectFile)) as { Plan: PlanNode };
      expect(differences(results[0].Plan, expected.Plan)).toEqual([]);
    }
  });
});
