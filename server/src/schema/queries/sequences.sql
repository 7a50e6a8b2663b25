-- Sequences with their data type and, for serial (deptype 'a') and identity (deptype 'i')
-- sequences, the owning column. PostgreSQL 12+: pg_sequence (10).
SELECT
  n.nspname AS schema,
  c.relname AS name,
  pg_catalog.format_type(s.seqtypid, NULL) AS data_type,
  own.schema AS owner_schema,
  own.tbl AS owner_table,
  own.col AS owner_column,
  own.deptype = 'i' AS identity,
  s.seqstart AS start_value,
  s.seqincrement AS increment,
  s.seqmin AS min_value,
  s.seqmax AS max_value,
  s.seqcache AS cache,
  s.seqcycle AS cycle,
  d.description AS comment,
  c.relacl::text[] AS acl
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN LATERAL (
  SELECT tn.nspname AS schema, tc.relname AS tbl, a.attname AS col, dep.deptype
  FROM pg_catalog.pg_depend dep
  JOIN pg_catalog.pg_class tc ON tc.oid = dep.refobjid
  JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
  WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.objid = c.oid
    AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.refobjsubid > 0
    AND dep.deptype IN ('a', 'i')
  LIMIT 1
) own ON true
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE c.relkind = 'S'
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
  AND c.oid NOT IN (
    SELECT e.objid FROM pg_catalog.pg_depend e
    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND e.deptype = 'e'
      AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
  )
