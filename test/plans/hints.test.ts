/** Each hint kind on a small plan that triggers it and on one that must not. */
import { describe, expect, it } from 'vitest';
import type { ExplainResult, PlanHintKind } from '../../protocol/plan';
import type { SchemaSnapshot, TableInfo } from '../../protocol/schema';
import { planHints } from '../../server/src/plans/hints/index';
import { actual, node, plan } from './fixtures';

const kinds = (result: ExplainResult, snapshot?: SchemaSnapshot): PlanHintKind[] => planHints(result, snapshot).map((hint) => hint.kind);
const find = (result: ExplainResult, kind: PlanHintKind, snapshot?: SchemaSnapshot) => planHints(result, snapshot).find((hint) => hint.kind === kind);

function table(name: string, extra: Partial<TableInfo> = {}): TableInfo {
  return { schema: 'public', name, kind: 'table', owner: 'o', rowEstimate: 200000, totalBytes: 1, rlsEnabled: false, rlsForced: false, columns: [], constraints: [], indexes: [], triggers: [], policies: [], ...extra };
}
function snapshot(tables: TableInfo[]): SchemaSnapshot {
  return { serverVersionNum: 150000, serverVersion: '15', source: 'pg', fingerprint: 'x', schemas: [], tables, views: [], types: [], functions: [], sequences: [], extensions: [], roles: [] };
}
const index = (name: string, columns: string[]) => ({ name, columns, unique: false, primary: false, valid: true, method: 'btree', definition: '', bytes: 1 });

const seqScan = (removed: number, kept: number, filter = "((status = 'pending'::text) AND (deleted_at IS NULL) AND (total > '10'::numeric))") =>
  node('Seq Scan', { 'Relation Name': 'orders', Alias: 'orders', Schema: 'app', ...actual(10, kept), 'Plan Rows': kept, Filter: filter, 'Rows Removed by Filter': removed });

describe('indexable-seq-scan', () => {
  it('suggests equality columns first, then one range, and IS NULL as the partial predicate', () => {
    const hint = find(plan(seqScan(198_000, 2000)), 'indexable-seq-scan');
    expect(hint?.index).toEqual({ schema: 'app', table: 'orders', columns: ['status', 'total'], predicate: 'deleted_at IS NULL' });
    expect(hint?.title).toContain('99.0%');
  });
  it('stays quiet on small tables, unselective filters and when an index already leads with the column', () => {
    expect(kinds(plan(seqScan(8000, 100)))).not.toContain('indexable-seq-scan');
    expect(kinds(plan(seqScan(50_000, 50_000)))).not.toContain('indexable-seq-scan');
    const indexed = snapshot([table('orders', { schema: 'app', indexes: [index('orders_status', ['status', 'id'])] })]);
    expect(kinds(plan(seqScan(198_000, 2000)), indexed)).not.toContain('indexable-seq-scan');
  });
  it('keys the index on the query\'s parameters and makes its literal equalities the partial predicate', () => {
    const generic = node('Seq Scan', { 'Relation Name': 'orders', Alias: 'orders', 'Plan Rows': 3, Filter: "((customer_id = $1) AND (status = 'open'::text) AND (created_at > $2))" });
    const hint = find(plan(generic), 'indexable-seq-scan', snapshot([table('orders', { rowEstimate: 1_000_000 })]));
    expect(hint?.index).toEqual({ schema: 'public', table: 'orders', columns: ['customer_id', 'created_at'], predicate: "status = 'open'::text" });
  });
  it('hints on a plan without ANALYZE from the table\'s row estimate, and finds the schema the plan does not name', () => {
    const estimated = node('Seq Scan', { 'Relation Name': 'orders', Alias: 'o', 'Plan Rows': 40, Filter: '(customer_id = 42)' });
    const tables = snapshot([table('orders', { schema: 'shop', rowEstimate: 500_000 }), table('customers')]);
    const hint = find(plan(estimated), 'indexable-seq-scan', tables);
    expect(hint?.index).toEqual({ schema: 'shop', table: 'orders', columns: ['customer_id'] });
    expect(hint?.title).toBe('Seq Scan on orders reads all ~500k rows of the table to keep an estimated 40 (99.99% discarded)');
    // Without a snapshot there is nothing to compare the estimate with; a small or never-analyzed table gets nothing.
    expect(kinds(plan(estimated))).not.toContain('indexable-seq-scan');
    expect(kinds(plan(estimated), snapshot([table('orders', { rowEstimate: 5000 })]))).not.toContain('indexable-seq-scan');
    expect(kinds(plan(estimated), snapshot([table('orders', { rowEstimate: -1 })]))).not.toContain('indexable-seq-scan');
  });
});

describe('disk-spill', () => {
  it('flags external sorts, hash batches and spilled hash aggregates', () => {
    expect(kinds(plan(node('Sort', { ...actual(5, 10), 'Sort Method': 'external merge', 'Sort Space Used': 2048, 'Sort Space Type': 'Disk' })))).toContain('disk-spill');
    expect(kinds(plan(node('Hash', { ...actual(5, 10), 'Hash Batches': 4, 'Peak Memory Usage': 100 })))).toContain('disk-spill');
    const agg = find(plan(node('Aggregate', { ...actual(5, 10), 'HashAgg Batches': 5, 'Disk Usage': 752 })), 'disk-spill');
    expect(agg?.advice).toContain("work_mem = '3MB'");
  });
  it('stays quiet on in-memory work', () => {
    expect(kinds(plan(node('Sort', { ...actual(5, 10), 'Sort Method': 'quicksort', 'Sort Space Used': 25, 'Sort Space Type': 'Memory' })))).not.toContain('disk-spill');
    expect(kinds(plan(node('Hash', { ...actual(5, 10), 'Hash Batches': 1 })))).not.toContain('disk-spill');
  });
});

describe('row-misestimate', () => {
  it('reports where the error starts, with extended statistics for several columns', () => {
    const scan = node('Seq Scan', { 'Relation Name': 'orders', ...actual(1, 5000), 'Plan Rows': 50, Filter: '((a = 1) AND (b = 2))' });
    const hints = planHints(plan(node('Hash', { ...actual(2, 5000), 'Plan Rows': 50 }, [scan])));
    const found = hints.filter((hint) => hint.kind === 'row-misestimate');
    expect(found.map((hint) => hint.nodeId)).toEqual([1]);
    expect(found[0].advice).toContain('CREATE STATISTICS ON a, b FROM orders');
  });
  it('ignores small counts and over-estimates below a LIMIT', () => {
    expect(kinds(plan(node('Seq Scan', { ...actual(1, 50), 'Plan Rows': 2 })))).not.toContain('row-misestimate');
    const scan = node('Index Scan', { ...actual(1, 20), 'Plan Rows': 60_000 });
    expect(kinds(plan(node('Limit', { ...actual(1, 20), 'Plan Rows': 20 }, [scan])))).not.toContain('row-misestimate');
  });
});

describe('inefficient-filter', () => {
  it('flags an index scan whose filter discards most rows', () => {
    expect(kinds(plan(node('Index Scan', { ...actual(1, 100), Filter: '(x > 1)', 'Rows Removed by Filter': 5000 })))).toContain('inefficient-filter');
    expect(find(plan(node('Nested Loop', { ...actual(1, 10), 'Join Filter': '(a.x < b.y)', 'Rows Removed by Join Filter': 90_000 })), 'inefficient-filter')?.title).toMatch(/^Join Filter/);
  });
  it('stays quiet below the thresholds', () => {
    expect(kinds(plan(node('Index Scan', { ...actual(1, 100), Filter: '(x > 1)', 'Rows Removed by Filter': 500 })))).not.toContain('inefficient-filter');
    expect(kinds(plan(node('Index Scan', { ...actual(1, 5000), Filter: '(x > 1)', 'Rows Removed by Filter': 5000 })))).not.toContain('inefficient-filter');
  });
});

describe('lossy-bitmap', () => {
  it('flags lossy heap blocks', () => {
    expect(find(plan(node('Bitmap Heap Scan', { ...actual(1, 10), 'Exact Heap Blocks': 10, 'Lossy Heap Blocks': 90 })), 'lossy-bitmap')?.severity).toBe('warning');
  });
  it('stays quiet on exact bitmaps', () => {
    expect(kinds(plan(node('Bitmap Heap Scan', { ...actual(1, 10), 'Exact Heap Blocks': 10, 'Lossy Heap Blocks': 0 })))).not.toContain('lossy-bitmap');
  });
});

describe('nested-loop-large-outer', () => {
  const loop = (rows: number) =>
    node('Nested Loop', actual(100, rows), [
      node('Seq Scan', { ...actual(10, rows), 'Plan Rows': 10, 'Parent Relationship': 'Outer' }),
      node('Index Scan', { ...actual(0.008, 1, rows), 'Parent Relationship': 'Inner' }),
    ]);
  it('flags a loop over many outer rows', () => {
    expect(find(plan(loop(50_000)), 'nested-loop-large-outer')?.title).toContain('50k outer rows (the planner expected 10)');
  });
  it('stays quiet on small outer inputs', () => {
    expect(kinds(plan(loop(500)))).not.toContain('nested-loop-large-outer');
  });
});

describe('index-only-heap-fetches', () => {
  it('asks for VACUUM when most rows are fetched from the table', () => {
    expect(find(plan(node('Index Only Scan', { 'Relation Name': 'visits', ...actual(1, 20_000), 'Heap Fetches': 20_000 })), 'index-only-heap-fetches')?.advice).toContain('VACUUM visits');
  });
  it('stays quiet with few heap fetches', () => {
    expect(kinds(plan(node('Index Only Scan', { 'Relation Name': 'visits', ...actual(1, 20_000), 'Heap Fetches': 0 })))).not.toContain('index-only-heap-fetches');
  });
});

describe('workers-not-launched', () => {
  it('flags missing workers', () => {
    expect(kinds(plan(node('Gather', { ...actual(1, 1), 'Workers Planned': 2, 'Workers Launched': 0 })))).toContain('workers-not-launched');
  });
  it('stays quiet when all started', () => {
    expect(kinds(plan(node('Gather', { ...actual(1, 1), 'Workers Planned': 2, 'Workers Launched': 2 })))).not.toContain('workers-not-launched');
  });
});

describe('dominant-node', () => {
  it('names the node over 40% of the time, when another hint on it says why', () => {
    const scan = { 'Relation Name': 't', ...actual(9, 1), 'Plan Rows': 1, Filter: '(a = 1)', 'Rows Removed by Filter': 50_000 };
    const result = plan(node('Sort', actual(10, 1), [node('Seq Scan', scan)]));
    expect(planHints(result).filter((hint) => hint.kind === 'dominant-node').map((hint) => hint.nodeId)).toEqual([1]);
    const alone = plan(node('Sort', actual(10, 1), [node('Seq Scan', { 'Relation Name': 't', ...actual(9, 1) })]));
    expect(kinds(alone)).not.toContain('dominant-node');
  });
  it('stays quiet when time is spread or the plan is trivial', () => {
    const spread = plan(node('Append', actual(10, 1), [1, 2, 3].map(() => node('Seq Scan', actual(3.3, 1)))));
    expect(kinds(spread)).not.toContain('dominant-node');
    expect(kinds(plan(node('Sort', actual(0.1, 1), [node('Seq Scan', actual(0.09, 1))])))).not.toContain('dominant-node');
  });
});

describe('jit-dominates', () => {
  const jit = (total: number) => plan(node('Aggregate', actual(5, 1)), { 'Execution Time': 100, JIT: { Functions: 6, Timing: { Total: total } } });
  it('flags JIT over half of the execution time', () => {
    expect(find(jit(80), 'jit-dominates')?.nodeId).toBe(0);
  });
  it('stays quiet below half', () => {
    expect(kinds(jit(20))).not.toContain('jit-dominates');
  });
});

describe('fk-join-without-index', () => {
  const join = () =>
    plan(
      node('Hash Join', { ...actual(10, 100), 'Hash Cond': '(o.customer_id = c.id)' }, [
        node('Seq Scan', { 'Relation Name': 'orders', Alias: 'o', ...actual(5, 100), 'Parent Relationship': 'Outer' }),
        node('Hash', { ...actual(1, 10), 'Parent Relationship': 'Inner' }, [node('Seq Scan', { 'Relation Name': 'customers', Alias: 'c', ...actual(1, 10) })]),
      ]),
    );
  const fk = { name: 'orders_customer_id_fkey', kind: 'foreign key' as const, columns: ['customer_id'], definition: '', validated: true, references: { schema: 'public', table: 'customers', columns: ['id'] } };
  it('flags a join on a foreign key without an index', () => {
    const hint = find(join(), 'fk-join-without-index', snapshot([table('orders', { constraints: [fk] }), table('customers')]));
    expect(hint?.index).toEqual({ schema: 'public', table: 'orders', columns: ['customer_id'] });
  });
  it('stays quiet without a snapshot, without the key, or with an index', () => {
    expect(kinds(join())).not.toContain('fk-join-without-index');
    expect(kinds(join(), snapshot([table('orders'), table('customers')]))).not.toContain('fk-join-without-index');
    const indexed = snapshot([table('orders', { constraints: [fk], indexes: [index('orders_customer', ['customer_id'])] }), table('customers')]);
    expect(kinds(join(), indexed)).not.toContain('fk-join-without-index');
  });
});
