/**
 * The schema, data and EXPLAIN statements behind test/fixtures/plans (see capture.test.ts). Data is
 * generated from arithmetic on generate_series, not random(), so every capture gives the same rows.
 */

export function setupSql(schema: string): string {
  return `
CREATE SCHEMA ${schema};
SET search_path = ${schema};
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, country text NOT NULL, created_at date NOT NULL) WITH (autovacuum_enabled = false);
INSERT INTO customers SELECT g, 'customer ' || g, (ARRAY['FR','DE','US','GB','JP'])[1 + g % 5], date '2020-01-01' + (g % 1000) FROM generate_series(1, 20000) g;
CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2) NOT NULL, category int NOT NULL) WITH (autovacuum_enabled = false);
INSERT INTO products SELECT g, 'product ' || g, (g % 500) + 0.99, g % 40 FROM generate_series(1, 5000) g;
-- orders.customer_id is a foreign key without an index (on purpose).
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers(id), status text NOT NULL, total numeric(12,2) NOT NULL, created_at timestamp NOT NULL) WITH (autovacuum_enabled = false);
INSERT INTO orders SELECT g, 1 + (g * 7919) % 20000, CASE WHEN g % 100 = 0 THEN 'pending' WHEN g % 10 = 0 THEN 'cancelled' ELSE 'done' END, ((g * 31) % 100000) / 100.0, timestamp '2023-01-01' + (g || ' minutes')::interval FROM generate_series(1, 200000) g;
CREATE INDEX orders_created_at_idx ON orders (created_at);
CREATE TABLE order_items (order_id int NOT NULL REFERENCES orders(id), product_id int NOT NULL REFERENCES products(id), quantity int NOT NULL, PRIMARY KEY (order_id, product_id)) WITH (autovacuum_enabled = false);
INSERT INTO order_items SELECT 1 + g / 2, 1 + (g * 13) % 5000, 1 + g % 5 FROM generate_series(0, 99999) g;
-- Wide rows (~3,000 pages), so that a bitmap over a third of them does not fit in 64kB of work_mem.
CREATE TABLE measurements (id int NOT NULL, sensor int NOT NULL, value float8 NOT NULL, note text NOT NULL) WITH (autovacuum_enabled = false);
INSERT INTO measurements SELECT g, ((g::bigint * 104729) % 1000)::int, g % 97, repeat('m', 150) FROM generate_series(1, 100000) g;
CREATE INDEX measurements_sensor_idx ON measurements (sensor);
CREATE TABLE visits (id int NOT NULL, x int NOT NULL) WITH (autovacuum_enabled = false);
INSERT INTO visits SELECT g, g % 5000 FROM generate_series(1, 50000) g;
CREATE INDEX visits_x_idx ON visits (x);
CREATE TABLE events (id bigint NOT NULL, at timestamptz NOT NULL, kind text NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO events SELECT g, timestamptz '2023-01-01 00:00+00' + (g * 25 || ' minutes')::interval, (ARRAY['click','view','buy'])[1 + g % 3] FROM generate_series(1, 60000) g;
CREATE TABLE audit_log (id bigserial PRIMARY KEY, table_name text NOT NULL, row_id int NOT NULL);
CREATE FUNCTION audit_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit_log (table_name, row_id) VALUES (TG_TABLE_NAME, NEW.id); RETURN NEW; END $$;
CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION audit_insert();
ANALYZE customers, products, orders, order_items, measurements, visits, events, audit_log;
`;
}

export interface CaptureQuery {
  name: string;
  /** EXPLAIN options other than FORMAT, e.g. `ANALYZE, BUFFERS`. */
  options: string;
  sql: string;
  /** `SET` statements run first in the same session. */
  settings?: string[];
  /**
   * Run inside BEGIN … ROLLBACK (EXPLAIN ANALYZE of a DML statement), then VACUUM these tables: the
   * rolled-back row versions would otherwise change the next run's estimates and buffers.
   */
  rollback?: string[];
  /** Where to capture it; both by default. */
  only?: 'pg15' | 'pglite';
}

const parallel = ["SET parallel_setup_cost = 0", "SET parallel_tuple_cost = 0", "SET min_parallel_table_scan_size = 0", "SET max_parallel_workers_per_gather = 2"];
const smallMemory = ["SET work_mem = '64kB'"];

export const QUERIES: CaptureQuery[] = [
  { name: 'seq-scan-filter', options: 'ANALYZE', sql: "SELECT * FROM orders WHERE status = 'pending'" },
  { name: 'index-scan', options: 'ANALYZE', sql: 'SELECT * FROM orders WHERE id = 4242' },
  { name: 'estimate-only', options: '', sql: "SELECT c.name, count(*) FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.country = 'FR' GROUP BY c.name ORDER BY 2 DESC LIMIT 10" },
  { name: 'buffers-join', options: 'ANALYZE, BUFFERS', sql: "SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.country = 'FR'" },
  { name: 'verbose', options: 'ANALYZE, VERBOSE', sql: 'SELECT o.id, c.name, o.total FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id < 500 ORDER BY o.total DESC' },
  { name: 'wal-update', options: 'ANALYZE, WAL, BUFFERS', sql: 'UPDATE products SET price = price * 1.1 WHERE category = 3', rollback: ['products'] },
  { name: 'settings', options: 'ANALYZE, SETTINGS', sql: 'SELECT * FROM customers WHERE id BETWEEN 100 AND 200', settings: ["SET random_page_cost = 1.1", "SET work_mem = '8MB'"] },
  { name: 'summary', options: 'SUMMARY', sql: 'SELECT * FROM products WHERE price > 100 ORDER BY name' },
  { name: 'parallel-seq-scan', options: 'ANALYZE', sql: 'SELECT count(*) FROM orders WHERE total > 100', settings: parallel },
  { name: 'parallel-verbose', options: 'ANALYZE, VERBOSE, BUFFERS', sql: "SELECT status, count(*) FROM orders GROUP BY status", settings: parallel },
  { name: 'gather-merge', options: 'ANALYZE', sql: 'SELECT id, total FROM orders WHERE status <> \'done\' ORDER BY total LIMIT 100', settings: parallel },
  { name: 'parallel-hash-join', options: 'ANALYZE', sql: 'SELECT count(*) FROM orders o JOIN order_items i ON i.order_id = o.id', settings: parallel },
  { name: 'cte-materialized', options: 'ANALYZE', sql: "WITH big AS MATERIALIZED (SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id) SELECT a.customer_id, a.spent FROM big a JOIN big b ON b.customer_id = a.customer_id + 1 WHERE a.spent > 1000" },
  { name: 'cte-recursive', options: 'ANALYZE', sql: 'WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 1000) SELECT sum(n) FROM t' },
  { name: 'initplan', options: 'ANALYZE', sql: 'SELECT id, total FROM orders WHERE total > (SELECT avg(total) * 1.9 FROM orders) ORDER BY id LIMIT 20' },
  { name: 'subplan', options: 'ANALYZE', sql: 'SELECT c.id, (SELECT count(*) FROM order_items i WHERE i.order_id = c.id) AS n FROM customers c WHERE c.id < 300' },
  { name: 'hashed-subplan', options: 'ANALYZE', sql: "SELECT count(*) FROM customers WHERE id NOT IN (SELECT customer_id FROM orders WHERE status = 'pending')" },
  { name: 'fk-triggers', options: 'ANALYZE', sql: "INSERT INTO orders SELECT 300000 + g, g, 'pending', 10, now() FROM generate_series(1, 200) g", rollback: ['orders', 'audit_log'] },
  { name: 'external-sort', options: 'ANALYZE', sql: 'SELECT * FROM orders ORDER BY customer_id, total', settings: smallMemory },
  { name: 'hash-batches', options: 'ANALYZE, BUFFERS', sql: 'SELECT c.country, o.status, count(*) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY 1, 2', settings: [...smallMemory, 'SET enable_mergejoin = off', 'SET max_parallel_workers_per_gather = 0'] },
  { name: 'bitmap-lossy', options: 'ANALYZE, BUFFERS', sql: 'SELECT count(*) FROM measurements WHERE sensor < 300', settings: [...smallMemory, 'SET enable_seqscan = off', 'SET max_parallel_workers_per_gather = 0'] },
  { name: 'index-only-heap-fetches', options: 'ANALYZE', sql: 'SELECT x FROM visits WHERE x < 2000', settings: ['SET enable_seqscan = off', 'SET enable_bitmapscan = off'] },
  { name: 'nested-loop', options: 'ANALYZE', sql: 'SELECT c.name, o.total FROM customers c JOIN orders o ON o.id = c.id WHERE c.id < 3000', settings: ['SET enable_hashjoin = off', 'SET enable_mergejoin = off'] },
  { name: 'merge-join', options: 'ANALYZE', sql: 'SELECT count(*) FROM orders o JOIN order_items i ON i.order_id = o.id', settings: ['SET enable_hashjoin = off', 'SET enable_nestloop = off', 'SET max_parallel_workers_per_gather = 0'] },
  { name: 'union-all-wide', options: 'ANALYZE', sql: Array.from({ length: 12 }, (_, k) => `SELECT id, '${k}' AS part FROM products WHERE category = ${k}`).join(' UNION ALL ') },
  { name: 'many-joins', options: 'ANALYZE', sql: 'SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id JOIN customers c ON c.id = o.customer_id JOIN products p ON p.id = i.product_id JOIN customers c2 ON c2.id = c.id + 1 JOIN products p2 ON p2.id = p.id JOIN visits v ON v.id = o.id WHERE c.country = \'US\' AND p.category < 20', settings: ['SET max_parallel_workers_per_gather = 0'] },
  { name: 'deep-subqueries', options: 'ANALYZE', sql: 'SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT customer_id, count(*) AS n FROM (SELECT * FROM orders WHERE total < 50 ORDER BY created_at LIMIT 5000) a GROUP BY customer_id) b ORDER BY n DESC LIMIT 500) c WHERE n > 0 OFFSET 1) d JOIN customers e ON e.id = d.customer_id ORDER BY e.name LIMIT 50' },
  { name: 'never-executed', options: 'ANALYZE', sql: 'SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id < 0' },
  { name: 'jit', options: 'ANALYZE', sql: 'SELECT status, sum(total), avg(total * 2) FROM orders GROUP BY status', settings: ['SET jit = on', 'SET jit_above_cost = 0', 'SET jit_inline_above_cost = 0', 'SET jit_optimize_above_cost = 0', 'SET max_parallel_workers_per_gather = 0'], only: 'pg15' },
  { name: 'partition-pruning', options: 'ANALYZE', sql: "SELECT kind, count(*) FROM events WHERE at >= '2024-03-01' GROUP BY kind" },
  { name: 'memoize', options: 'ANALYZE', sql: 'SELECT count(*) FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id < 2000', settings: ['SET enable_hashjoin = off', 'SET enable_mergejoin = off'] },
  { name: 'incremental-sort', options: 'ANALYZE', sql: 'SELECT * FROM orders WHERE created_at < \'2023-02-01\' ORDER BY created_at, total LIMIT 2000' },
  { name: 'hashagg-spill', options: 'ANALYZE', sql: 'SELECT customer_id, count(*) FROM orders GROUP BY customer_id', settings: [...smallMemory, 'SET max_parallel_workers_per_gather = 0', 'SET enable_sort = off'] },
  { name: 'window-function', options: 'ANALYZE', sql: 'SELECT id, customer_id, rank() OVER (PARTITION BY customer_id ORDER BY total DESC) FROM orders WHERE id < 5000' },
  { name: 'top-n-sort', options: 'ANALYZE, BUFFERS', sql: 'SELECT * FROM orders ORDER BY total DESC LIMIT 10', settings: ['SET max_parallel_workers_per_gather = 0'] },
  { name: 'distinct-setop', options: 'ANALYZE', sql: 'SELECT customer_id FROM orders WHERE id < 1000 INTERSECT SELECT id FROM customers WHERE country = \'DE\'' },
  { name: 'functions-values', options: 'ANALYZE, VERBOSE', sql: "SELECT g, v.x, generate_series(1, 3) FROM generate_series(1, 100) g, (VALUES (1), (2)) v(x)" },
  { name: 'insert-on-conflict', options: 'ANALYZE', sql: "INSERT INTO products VALUES (1, 'x', 1, 1), (6001, 'y', 2, 2) ON CONFLICT (id) DO UPDATE SET price = excluded.price", rollback: ['products'] },
  { name: 'delete-returning', options: 'ANALYZE, BUFFERS, WAL', sql: 'DELETE FROM visits WHERE id < 100 RETURNING *', rollback: ['visits'] },
  { name: 'semi-anti-join', options: 'ANALYZE', sql: 'SELECT count(*) FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = \'pending\') AND NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = c.id)' },
  { name: 'bitmap-or', options: 'ANALYZE', sql: 'SELECT * FROM measurements WHERE sensor = 5 OR sensor = 7 OR sensor = 900' },
  { name: 'lateral-limit', options: 'ANALYZE', sql: 'SELECT c.id, l.total FROM customers c CROSS JOIN LATERAL (SELECT total FROM orders o WHERE o.id > c.id * 10 ORDER BY o.id LIMIT 2) l WHERE c.id < 50' },
  { name: 'timing-off', options: 'ANALYZE, TIMING OFF', sql: "SELECT * FROM customers WHERE country = 'JP' AND name LIKE '%7'" },
  { name: 'costs-off', options: 'COSTS OFF', sql: 'SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = \'pending\'' },
  { name: 'fk-join-no-index', options: 'ANALYZE, BUFFERS', sql: 'SELECT c.name, o.total FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.id = 77' },
];
