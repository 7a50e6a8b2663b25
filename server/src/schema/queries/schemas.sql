-- Schemas, without the system ones (pg_catalog, information_schema, pg_toast*, pg_temp_*: every name
-- starting with pg_ is reserved) and without schemas that belong to an extension.
SELECT
  n.nspname AS name,
  pg_catalog.pg_get_userbyid(n.nspowner) AS owner,
  d.description AS comment,
  n.nspacl::text[] AS acl
FROM pg_catalog.pg_namespace n
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.objoid = n.oid AND d.objsubid = 0
WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
  AND n.oid NOT IN (
    SELECT e.objid FROM pg_catalog.pg_depend e
    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND e.deptype = 'e'
      AND e.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
  )
ORDER BY n.nspname
