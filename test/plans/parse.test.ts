/** parsePlan on the forms plans arrive in, and on input that is not a plan. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlanParseError } from '../../server/src/plans/errors';
import { detectPlanFormat, parsePlan, tryParsePlan } from '../../server/src/plans/parse';
import { parseTextPlan } from '../../server/src/plans/parse-text';
import { planSummary } from '../../server/src/plans/summary';
import { generatePlan, planToText } from '../bench/plan-generate';
import { comparePlans } from './compare';

const fixture = (name: string): string => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'plans', name), 'utf8');
const PSQL_TEXT = fixture('pg15-15-initplan.txt');

describe('formats', () => {
  it('detects JSON and TEXT inside and outside psql frames', () => {
    expect(detectPlanFormat(fixture('pg15-15-initplan.json'))).toBe('json');
    expect(detectPlanFormat(PSQL_TEXT)).toBe('text');
    expect(detectPlanFormat('  {"Plan": {"Node Type": "Result"}}')).toBe('json');
  });

  it('accepts JSON without the outer array, and a bare node', () => {
    expect(parsePlan('{"Plan": {"Node Type": "Result", "Total Cost": 0.01}}')[0].Plan['Node Type']).toBe('Result');
    expect(parsePlan('{"Node Type": "Seq Scan", "Relation Name": "t"}')[0].Plan['Relation Name']).toBe('t');
  });

  it('reads TEXT without frame, indented, from pgAdmin (quoted cells) and with border 2', () => {
    const rows = PSQL_TEXT.split('\n').slice(2, -3).map((line) => line.slice(1));
    const expected = parsePlan(PSQL_TEXT);
    for (const variant of [
      rows.join('\n'),
      rows.map((row) => `    ${row}`).join('\n'),
      ['"QUERY PLAN"', ...rows.map((row) => `"${row.replace(/"/g, '""')}"`)].join('\r\n'),
      ['+------+', '| QUERY PLAN |', '+------+', ...rows.map((row) => `| ${row} |`), '+------+', `(${rows.length} rows)`].join('\n'),
    ]) {
      expect(comparePlans(parsePlan(variant), expected)).toEqual([]);
    }
  });

  it('joins rows a terminal wrapped, framed or not', () => {
    const width = 90; // narrower than the plan, wide enough for the header (a header cut in two is not recognised)
    const wrap = (text: string): string => text.split('\n').flatMap((line) => line.match(new RegExp(`.{1,${width}}`, 'g')) ?? ['']).join('\n');
    const expected = parsePlan(PSQL_TEXT);
    expect(comparePlans(parsePlan(wrap(PSQL_TEXT)), expected)).toEqual([]);
    const unframed = PSQL_TEXT.split('\n').slice(2, -3).map((line) => line.slice(1)).join('\n');
    expect(comparePlans(parsePlan(wrap(unframed)), expected)).toEqual([]);
  });

  it('reads several plans one after the other', () => {
    const one = PSQL_TEXT.split('\n').slice(2, -3).map((line) => line.slice(1)).join('\n');
    expect(parsePlan(`${one}\n${one}`)).toHaveLength(2);
  });

  it('round-trips a generated 300-node plan through TEXT', () => {
    const generated = generatePlan(300, 7);
    const json = JSON.parse(JSON.stringify(generated));
    expect(comparePlans(parseTextPlan(planToText(generated)), [json])).toEqual([]);
  });
});

describe('input that is not a plan', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['truncated JSON', fixture('pg15-15-initplan.json').slice(0, 400), /invalid JSON plan/],
    ['JSON without a plan', '[{"foo": 1}]', /no "Plan"/],
    ['JSON with a broken tree', '{"Plan": {"Node Type": "Sort", "Plans": [{"x": 1}]}}', /Plans\[0\] has no "Node Type"/],
    ['random text', 'hello world\nthis is not a plan', /expected a plan node/],
    ['an error message', 'ERROR:  syntax error at or near "SELEC"\nLINE 1: SELEC 1', /expected a plan node/],
    ['empty', '   \n ', /empty/],
    ['half a plan', ' Hash Join  (cost=1.09..22.10 rows=348 width=382)\n   Hash Cond: (c.relnamespace = n.oid)\n   ->  Seq Scan on pg_class c  (cost=0.00..19.12 rows=348\n  lorem ipsum', /cannot read|expected/],
  ];
  it.each(cases)('%s: a PlanParseError with a line, never another exception', (_name, input, message) => {
    let error: unknown;
    try {
      parsePlan(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PlanParseError);
    expect((error as PlanParseError).message).toMatch(message);
    const result = tryParsePlan(input);
    expect('error' in result && result.line).toBeGreaterThanOrEqual(1);
  });

  it('reports the line of the problem', () => {
    const input = 'Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n  Filter: (a = 1)\nwhat is this';
    expect(tryParsePlan(input)).toEqual({ error: expect.stringContaining('what is this'), line: 3 });
  });

  it('never throws anything but PlanParseError on mangled corpus plans', () => {
    const sources = [fixture('pg15-10-parallel-verbose.txt'), fixture('pglite-13-cte-materialized.json'), fixture('pg15-29-jit.txt')];
    let seed = 1;
    const next = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let k = 0; k < 300; k++) {
      const source = sources[k % sources.length];
      const cut = Math.floor(next() * source.length);
      const mangled = source.slice(0, cut) + source.slice(cut + Math.floor(next() * 40)).replace(/\d/, 'x');
      try {
        parsePlan(mangled);
      } catch (error) {
        expect(error).toBeInstanceOf(PlanParseError);
      }
    }
  });
});

describe('planSummary', () => {
  it('gives cost, rows, the top nodes indented and the hints', () => {
    const [result] = parsePlan(fixture('pg15-17-hashed-subplan.txt'));
    const summary = planSummary(result, 3);
    expect(summary.totalCost).toBe(result.Plan['Total Cost']);
    expect(summary.shape[0]).toMatch(/^Aggregate {2}\(cost \d+, rows 1, actual 1\)$/);
    expect(summary.shape[1]).toMatch(/^ {2}Seq Scan on customers/);
    expect(summary.shape).toHaveLength(3);
    expect(summary.moreNodes).toBe(result.pglens!.nodeCount - 3);
    expect(summary.hints.map((hint) => hint.kind)).toContain('indexable-seq-scan');
  });
});
