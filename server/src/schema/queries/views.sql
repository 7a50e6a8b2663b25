-- Views (v) and materialized views (m) with their definitions; columns come from columns.sql.
-- `depends_*`: the tables and views the definition reads (through its rewrite rule's dependencies).
WITH dependencies AS (
  SELECT r.ev_class AS view,
    array_agg(rn.nspname::text ORDER BY rn.nspname, rc.relname) AS schemas,
    array_agg(rc.relname::text ORDER BY rn.nspname, rc.relname) AS names
  FROM (
    SELECT DISTINCT r.ev_class, d.refobjid
    FROM pg_catalog.pg_rewrite r
    JOIN pg_catalog.pg_depend d
      ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = r.oid
      AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid <> r.ev_class
  ) r
  JOIN pg_catalog.pg_class rc ON rc.oid = r.refobjid AND rc.relkind IN ('r', 'p', 'f', 'v', 'm')
  JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
  GROUP BY r.ev_class
)
SELECT
  c.oid,
  n.nspname AS schema,
  c.relname AS name,
  c.relkind = 'm' AS materialized,
  pg_catalog.pg_get_viewdef(c.oid) AS definition,
  pg_catalog.pg_get_userbyid(c.relowner) AS owner,
  d.description AS comment,
  c.reloptions::text[] AS options,
  c.relacl::text[] AS acl,
  dep.schemas AS depends_schemas,
  dep.names AS depends_names
FROM pg_catalog.pg_class c
LEFT JOIN dependencies dep ON dep.view = c.oid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE c.relkind IN ('v', 'm')
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
  AND c.oid NOT IN (
    SELECT e.objid FROM pg_catalog.pg_depend e
    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND e.deptype = 'e'
      AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
  )
