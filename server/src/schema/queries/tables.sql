-- Tables: ordinary (r), partitioned (p) and foreign (f), outside system schemas and not owned by an
-- extension. One row per table; columns, constraints, indexes, triggers and policies come from their
-- own queries and are grouped by `oid` in the loader.
-- `total_bytes`: pg_total_relation_size when the database has at most 1,000 tables, system catalogs
-- included (`exact_sizes`); above that, the pages the planner knows of (relpages of the table, its
-- TOAST table and all their indexes, as of the last VACUUM, ANALYZE or CREATE INDEX) × block size:
-- pg_total_relation_size opens every table, TOAST table and index, which for 10,000 tables costs
-- over a second and ~125 MB of server memory (a relcache entry each, kept for the connection's life).
-- `inherits_*`: parents of table inheritance (INHERITS), in declaration order; partitions are not
-- listed there (their parent is `parent_*`).
-- PostgreSQL 12+: relispartition (10), relpartbound (10), pg_get_partkeydef (10).
WITH mode AS (
  SELECT count(*) <= 1000 AS exact FROM pg_catalog.pg_class WHERE relkind IN ('r', 'p', 'f', 'm')
), index_pages AS (
  SELECT i.indrelid, sum(GREATEST(ic.relpages, 0))::int8 AS pages
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  WHERE NOT (SELECT exact FROM mode)
  GROUP BY i.indrelid
), inheritance AS (
  SELECT i.inhrelid,
    array_agg(pn.nspname::text ORDER BY i.inhseqno) AS schemas,
    array_agg(pc.relname::text ORDER BY i.inhseqno) AS names
  FROM pg_catalog.pg_inherits i
  JOIN pg_catalog.pg_class ch ON ch.oid = i.inhrelid AND NOT ch.relispartition
  JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
  JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
  GROUP BY i.inhrelid
)
SELECT
  c.oid,
  n.nspname AS schema,
  c.relname AS name,
  c.relkind AS kind,
  pg_catalog.pg_get_userbyid(c.relowner) AS owner,
  c.reltuples AS row_estimate,
  (SELECT exact FROM mode) AS exact_sizes,
  CASE WHEN (SELECT exact FROM mode) THEN pg_catalog.pg_total_relation_size(c.oid)
    ELSE (GREATEST(c.relpages, 0) + coalesce(GREATEST(t.relpages, 0), 0)
      + coalesce(ip.pages, 0) + coalesce(tp.pages, 0)) * pg_catalog.current_setting('block_size')::int8
  END AS total_bytes,
  d.description AS comment,
  c.relrowsecurity AS rls_enabled,
  c.relforcerowsecurity AS rls_forced,
  pn.nspname AS parent_schema,
  pc.relname AS parent_name,
  CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
  CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
  c.relacl::text[] AS acl,
  ih.schemas AS inherits_schemas,
  ih.names AS inherits_names,
  -- Storage (details: the migration generator): UNLOGGED, storage parameters, replica identity.
  c.relpersistence AS persistence,
  c.reloptions AS options,
  c.relreplident AS replica_identity,
  CASE WHEN c.relreplident = 'i' THEN (SELECT ic.relname FROM pg_catalog.pg_index ri JOIN pg_catalog.pg_class ic ON ic.oid = ri.indexrelid
    WHERE ri.indrelid = c.oid AND ri.indisreplident) END AS replica_index
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objoid = c.oid AND d.objsubid = 0
LEFT JOIN pg_catalog.pg_class t ON t.oid = c.reltoastrelid
LEFT JOIN index_pages ip ON ip.indrelid = c.oid
LEFT JOIN index_pages tp ON tp.indrelid = c.reltoastrelid
LEFT JOIN inheritance ih ON ih.inhrelid = c.oid
LEFT JOIN pg_catalog.pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
LEFT JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
WHERE c.relkind IN ('r', 'p', 'f')
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
  AND c.oid NOT IN (
    SELECT e.objid FROM pg_catalog.pg_depend e
    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND e.deptype = 'e'
      AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
  )
