import { describe, expect, it } from 'vitest';
import type { PlanNode } from '../../protocol/plan';
import { actual, node, plan } from './fixtures';

const exclusive = (n: PlanNode | undefined): number | undefined => n?.pglens?.exclusiveTime;

describe('exclusive figures', () => {
  it('subtracts children over all loops', () => {
    const inner = node('Index Scan', { ...actual(0.01, 1, 100), 'Total Cost': 4 });
    const outer = node('Seq Scan', { ...actual(2, 100), 'Total Cost': 10 });
    const root = node('Nested Loop', { ...actual(4, 100), 'Total Cost': 420 }, [outer, inner]);
    plan(root);
    expect(exclusive(inner)).toBeCloseTo(1);
    expect(exclusive(outer)).toBeCloseTo(2);
    expect(exclusive(root)).toBeCloseTo(1);
    expect(root.pglens?.exclusiveCost).toBeCloseTo(406);
    expect(root.pglens?.exclusiveTimePercent).toBeCloseTo(25);
    expect(inner.pglens?.actualRowsTotal).toBe(100);
  });

  it('divides the time of nodes under a Gather by workers launched + leader', () => {
    const scan = node('Seq Scan', { ...actual(30, 1000, 3), 'Parallel Aware': true });
    const gather = node('Gather', { ...actual(40, 3000), 'Workers Launched': 2, 'Workers Planned': 2 }, [scan]);
    plan(gather);
    expect(exclusive(scan)).toBeCloseTo(30);
    expect(exclusive(gather)).toBeCloseTo(10);
  });

  it('takes a CTE off the CTE Scans that read it, once, and not off the node it hangs on', () => {
    const cte = node('Seq Scan', { ...actual(8, 100), 'Parent Relationship': 'InitPlan', 'Subplan Name': 'CTE big' });
    const scanA = node('CTE Scan', { ...actual(9, 100), 'CTE Name': 'big', 'Parent Relationship': 'Outer' });
    const scanB = node('CTE Scan', { ...actual(1, 100), 'CTE Name': 'big', 'Parent Relationship': 'Inner' });
    const root = node('Hash Join', actual(12, 100), [cte, scanA, scanB]);
    plan(root);
    expect(exclusive(root)).toBeCloseTo(2);
    expect(exclusive(scanA)).toBeCloseTo(1);
    expect(exclusive(scanB)).toBeCloseTo(1);
    expect(exclusive(cte)).toBeCloseTo(8);
  });

  it('takes an InitPlan off the node that uses its parameter ($0 or PostgreSQL 18 names)', () => {
    for (const [name, filter] of [['InitPlan 1 (returns $0)', '(total > $0)'], ['InitPlan 1', '(total > (InitPlan 1).col1)']]) {
      const init = node('Aggregate', { ...actual(20, 1), 'Parent Relationship': 'InitPlan', 'Subplan Name': name });
      const scan = node('Index Scan', { ...actual(21, 20), Filter: filter, 'Parent Relationship': 'Outer' });
      const root = node('Limit', actual(21.5, 20), [init, scan]);
      plan(root);
      expect(exclusive(scan)).toBeCloseTo(1);
      expect(exclusive(root)).toBeCloseTo(0.5);
    }
  });

  it('scales children down when rounded per-loop times add up to more than the parent, never negative', () => {
    const outer = node('Index Scan', actual(0.3, 3000));
    const inner = node('Index Scan', actual(0.001, 1, 3000));
    const root = node('Nested Loop', actual(2.4, 3000), [outer, inner]);
    const result = plan(root);
    const all = [root, outer, inner].map(exclusive) as number[];
    for (const value of all) expect(value).toBeGreaterThanOrEqual(0);
    expect(all.reduce((a, b) => a + b, 0)).toBeCloseTo(2.4);
    expect(result.pglens?.totalTime).toBeCloseTo(2.4);
  });

  it('gives never-executed nodes zero time and no misestimate; misestimates per loop otherwise', () => {
    const never = node('Seq Scan', { ...actual(0, 0, 0), 'Plan Rows': 500 });
    const scan = node('Seq Scan', { ...actual(1, 5000), 'Plan Rows': 50 });
    plan(node('Nested Loop', { ...actual(2, 0), 'Plan Rows': 1 }, [scan, never]));
    expect(exclusive(never)).toBe(0);
    expect(never.pglens?.misestimate).toBeUndefined();
    expect(scan.pglens?.misestimate).toEqual({ factor: 100, direction: 'under' });
  });

  it('computes exclusive buffers and I/O time', () => {
    const child = node('Seq Scan', { 'Shared Hit Blocks': 10, 'Shared Read Blocks': 5, 'I/O Read Time': 1.5 });
    const root = node('Sort', { 'Shared Hit Blocks': 12, 'Shared Read Blocks': 5, 'Temp Written Blocks': 7, 'I/O Read Time': 2 }, [child]);
    const result = plan(root);
    expect(root.pglens?.exclusiveBuffers).toMatchObject({ sharedHit: 2, sharedRead: 0, tempWritten: 7 });
    expect(root.pglens?.exclusiveIoTime).toBeCloseTo(0.5);
    expect(result.pglens?.analyzed).toBe(false);
    expect(root.pglens?.exclusiveTime).toBeUndefined();
    expect([root.pglens?.id, child.pglens?.id, child.pglens?.depth]).toEqual([0, 1, 1]);
  });
});
