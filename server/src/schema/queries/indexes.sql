-- Indexes of tables and materialized views, keyed by `rel`. `key` is indkey as text (`1 0 3`: column
-- numbers, 0 for an expression); the loader names plain columns from the columns it loaded, splits
-- key and INCLUDE columns at `key_count`, and takes expressions from `expressions` (pg_get_indexdef
-- of each key column, only for indexes that have expressions).
-- `bytes`: pg_relation_size when the database has at most 1,000 tables; above that relpages × block
-- size (as of the last VACUUM, ANALYZE or CREATE INDEX), because opening every index to measure it
-- costs seconds and hundreds of MB of server memory. See tables.sql.
-- PostgreSQL 12+: indnkeyatts (11).
WITH mode AS (
  SELECT count(*) <= 1000 AS exact FROM pg_catalog.pg_class WHERE relkind IN ('r', 'p', 'f', 'm')
)
SELECT
  i.indrelid AS rel,
  ic.relname AS name,
  i.indkey::text AS key,
  i.indnkeyatts AS key_count,
  CASE WHEN i.indexprs IS NOT NULL THEN ARRAY(
    SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true)
    FROM pg_catalog.generate_series(1, i.indnkeyatts) AS k
    ORDER BY k
  ) END AS expressions,
  i.indisunique AS is_unique,
  i.indisprimary AS is_primary,
  i.indisvalid AS valid,
  am.amname AS method,
  pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate,
  pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
  CASE WHEN (SELECT exact FROM mode) THEN pg_catalog.pg_relation_size(i.indexrelid)
    ELSE GREATEST(ic.relpages, 0)::int8 * pg_catalog.current_setting('block_size')::int8 END AS bytes
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'f', 'm')
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
  AND c.oid NOT IN (
    SELECT e.objid FROM pg_catalog.pg_depend e
    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND e.deptype = 'e'
      AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
  )
