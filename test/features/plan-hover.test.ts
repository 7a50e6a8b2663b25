import { beforeAll, describe, expect, it } from 'vitest';
import type { PlanNode } from '../../protocol/plan';
import { analyzeDocument } from '../../server/src/document/analyze';
import { nodeLabel, planHoverMarkdown, planShape, statementAtLeadingKeyword } from '../../server/src/features/plan-hover';
import { parsePlan } from '../../server/src/plans/parse';
import { loadParser } from '../../server/src/sql/parser';

beforeAll(async () => {
  await loadParser();
});

const node = (type: string, extra: Partial<PlanNode> = {}): PlanNode => ({ 'Node Type': type, 'Total Cost': 10, 'Plan Rows': 5, ...extra });

describe('plan hover', () => {
  it('names nodes as PostgreSQL\'s TEXT format does', () => {
    expect(nodeLabel(node('Hash Join', { 'Join Type': 'Left' }))).toBe('Hash Left Join');
    expect(nodeLabel(node('Nested Loop', { 'Join Type': 'Anti' }))).toBe('Nested Loop Anti Join');
    expect(nodeLabel(node('Merge Join', { 'Join Type': 'Inner' }))).toBe('Merge Join');
    expect(nodeLabel(node('Aggregate', { Strategy: 'Hashed' }))).toBe('HashAggregate');
    expect(nodeLabel(node('Aggregate', { Strategy: 'Plain' }))).toBe('Aggregate');
    expect(nodeLabel(node('Seq Scan', { 'Parallel Aware': true, 'Relation Name': 'orders', Alias: 'o' }))).toBe('Parallel Seq Scan on orders o');
    expect(nodeLabel(node('Index Scan', { 'Index Name': 'orders_pkey', 'Relation Name': 'orders', Alias: 'orders' }))).toBe('Index Scan using orders_pkey on orders');
    expect(nodeLabel(node('CTE Scan', { 'CTE Name': 'recent', Alias: 'recent' }))).toBe('CTE Scan on recent');
  });

  it('shows the top of the tree and counts the rest', () => {
    const root = node('Append', { Plans: Array.from({ length: 12 }, (_, k) => node('Seq Scan', { 'Relation Name': `t${k}`, Alias: `t${k}` })) });
    const lines = planShape(root, 4);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^Append {2,}cost 10 {2}rows 5$/);
    expect(lines[1]).toMatch(/^-> Seq Scan on t0 +cost 10 {2}rows 5$/);
    expect(lines[4]).toBe('… 9 more nodes');
  });

  it('lists one hint per suggested index, escapes markdown, and says when the plan comes from empty tables', () => {
    const scan = (alias: string): string =>
      `  ->  Seq Scan on orders ${alias}  (cost=0.00..1693.00 rows=10 width=8) (actual time=0.01..5.00 rows=10 loops=1)\n        Filter: (customer_id = 42)\n        Rows Removed by Filter: 99990`;
    const text = `Append  (cost=0.00..3386.00 rows=20 width=8) (actual time=0.01..10.00 rows=20 loops=1)\n${scan('a')}\n${scan('b')}`;
    const [result] = parsePlan(text);
    // One hint per cause, covering both scans.
    const scans = result.pglens?.hints.filter((hint) => hint.kind === 'indexable-seq-scan');
    expect(scans).toHaveLength(1);
    expect(scans?.[0].nodeIds).toHaveLength(2);
    const { markdown } = planHoverMarkdown({ result, generic: false, shadow: true, sourceLabel: 'embedded shadow (PostgreSQL 18.1)', links: { open: 'command:x' } }, { start: 0, end: 6 });
    expect(markdown.match(/Seq Scan on orders reads 100k rows/g)).toHaveLength(1);
    expect(markdown.match(/takes 50% of the time/g)).toHaveLength(1);
    expect(markdown).toContain('An index on (customer\\_id)');
    expect(markdown).toMatch(/^\*\*Plan\*\* · cost 3,386 · 20 rows · embedded shadow \(PostgreSQL 18\.1\)\n/);
    expect(markdown).toMatch(/its tables are empty/);
    expect(markdown).toMatch(/\[Open plan\]\(command:x\)$/);
  });

  it('offers the plan only on a statement\'s leading keyword', () => {
    const text = 'SELECT 1;\n  WITH x AS (SELECT 2) SELECT * FROM x;\nCREATE TABLE t (id int);\n';
    const analysis = analyzeDocument(text);
    expect(statementAtLeadingKeyword(analysis, 2)).toMatchObject({ start: 0, end: 6 });
    expect(statementAtLeadingKeyword(analysis, 8)).toBeUndefined();
    const withAt = text.indexOf('WITH');
    expect(statementAtLeadingKeyword(analysis, withAt + 1)).toMatchObject({ start: withAt, end: withAt + 4 });
    expect(statementAtLeadingKeyword(analysis, text.indexOf('SELECT 2') + 1)).toBeUndefined();
    expect(statementAtLeadingKeyword(analysis, text.indexOf('CREATE') + 1)).toBeUndefined();
  });
});
