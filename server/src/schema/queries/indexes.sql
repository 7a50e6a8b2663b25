-- Indexes of tables and materialized views, keyed by `rel`. `key` is indkey as text (`1 0 3`: column
-- numbers, 0 for an expression); the loader names plain columns from the columns it loaded, splits
-- key and INCLUDE columns at `key_count`, and takes expressions from `expressions` (pg_get_indexdef
-- of each key column, only for indexes that have expressions).
-- `bytes`: pg_relation_size when the database has at most 1,000 tables; above that relpages × block
-- size (as of the last VACUUM, ANALYZE or CREATE INDEX), because opening every index to measure it
-- costs too much time and server memory on a large catalog. See tables.sql.
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
  -- pg_get_indexdef costs ~20 µs an index (catalog lookups, and a scan of pg_opclass to tell whether
  -- the operator class is the default): for the common plain index on one column with the default
  -- operator class and collation, no options, no predicate, the same text is built here. Everything
  -- else goes through pg_get_indexdef. (NULLS NOT DISTINCT is PostgreSQL 15+: read through to_jsonb
  -- so that the query still runs on 12-14, and only for unique indexes.)
  CASE WHEN i.indnatts = 1 AND ic.relkind = 'i' AND i.indexprs IS NULL AND i.indpred IS NULL AND ic.reloptions IS NULL
      AND i.indoption[0] = 0 AND i.indcollation[0] IN (0, a.attcollation) AND ia.attoptions IS NULL
      AND oc.opcdefault AND oc.opcmethod = ic.relam AND oc.opcintype = a.atttypid
      AND (NOT i.indisunique OR (pg_catalog.to_jsonb(i) ->> 'indnullsnotdistinct') IS DISTINCT FROM 'true')
    THEN 'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX ' || pg_catalog.quote_ident(ic.relname)
      || ' ON ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)
      || ' USING ' || pg_catalog.quote_ident(am.amname) || ' (' || pg_catalog.quote_ident(a.attname) || ')'
    ELSE pg_catalog.pg_get_indexdef(i.indexrelid)
  END AS definition,
  CASE WHEN (SELECT exact FROM mode) THEN pg_catalog.pg_relation_size(i.indexrelid)
    ELSE GREATEST(ic.relpages, 0)::int8 * pg_catalog.current_setting('block_size')::int8 END AS bytes,
  -- A partition's index that belongs to the partitioned table's index (created and dropped with it).
  c.relispartition AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.indexrelid) AS inherited,
  d.description AS comment
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute a ON i.indnatts = 1 AND a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
LEFT JOIN pg_catalog.pg_attribute ia ON i.indnatts = 1 AND ia.attrelid = i.indexrelid AND ia.attnum = 1
LEFT JOIN pg_catalog.pg_opclass oc ON i.indnatts = 1 AND oc.oid = i.indclass[0]
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objoid = i.indexrelid AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p', 'f', 'm')
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
  AND c.oid NOT IN (
    SELECT e.objid FROM pg_catalog.pg_depend e
    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND e.deptype = 'e'
      AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
  )
