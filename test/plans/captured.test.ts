/**
 * The captured corpus (test/fixtures/plans, made by capture.test.ts from PostgreSQL 15 and PGlite 18):
 * for every TEXT/JSON pair of one query, the TEXT parser gives the JSON parser's tree and numbers, and
 * on every ANALYZE plan the exclusive times add up to the root's time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExplainResult, PlanNode } from '../../protocol/plan';
import { parsePlan } from '../../server/src/plans/parse';
import { parseJsonPlan } from '../../server/src/plans/parse-json';
import { parseTextPlan } from '../../server/src/plans/parse-text';
import { comparePlans } from './compare';

const DIR = path.join(__dirname, '..', 'fixtures', 'plans');
const names = fs
  .readdirSync(DIR)
  .filter((name) => name.endsWith('.txt'))
  .map((name) => name.slice(0, -4))
  .sort();
const read = (name: string, ext: string): string => fs.readFileSync(path.join(DIR, `${name}.${ext}`), 'utf8');

function nodes(root: PlanNode): PlanNode[] {
  return [root, ...(root.Plans ?? []).flatMap(nodes)];
}

describe('captured plans', () => {
  it('has at least 40 pairs from each of PostgreSQL 15 and PGlite', () => {
    expect(names.filter((name) => name.startsWith('pg15-')).length).toBeGreaterThanOrEqual(40);
    expect(names.filter((name) => name.startsWith('pglite-')).length).toBeGreaterThanOrEqual(40);
    for (const name of names) expect(fs.existsSync(path.join(DIR, `${name}.json`)), name).toBe(true);
  });

  it.each(names)('%s: TEXT parses to the JSON plan', (name) => {
    const json = parseJsonPlan(read(name, 'json'));
    const text = parseTextPlan(read(name, 'txt'));
    const writes = json[0].Plan['Node Type'] === 'ModifyTable';
    expect(comparePlans(text, json, '$', [], { writes })).toEqual([]);
    // The comparison is not vacuous: both have the same number of nodes, and most keys are shared.
    expect(nodes(text[0].Plan).length).toBe(nodes(json[0].Plan).length);
  });

  it.each(names)('%s: exclusive times add up to the root time, none negative', (name) => {
    for (const format of ['txt', 'json']) {
      const [result] = parsePlan(read(name, format));
      expect(result.pglens?.nodeCount).toBe(nodes(result.Plan).length);
      if (!result.pglens?.analyzed || result.Plan['Actual Total Time'] === undefined) continue;
      const all = nodes(result.Plan);
      const sum = all.reduce((total, node) => total + (node.pglens?.exclusiveTime ?? 0), 0);
      const root = (result.Plan['Actual Total Time'] as number) * (result.Plan['Actual Loops'] as number);
      for (const node of all) expect(node.pglens!.exclusiveTime).toBeGreaterThanOrEqual(0);
      expect(Math.abs(sum - root), `${name}.${format}: sum ${sum} vs root ${root}`).toBeLessThanOrEqual(root * 0.01 + 0.002);
    }
  });
});

export type { ExplainResult };
