-- Schemas, their comments and privileges; extensions with version and schema; collation objects;
-- default privileges; extended statistics; publications; event triggers.
WITH ns AS (
  SELECT n.oid, n.nspname, n.nspowner, n.nspacl, pg_catalog.format('%I', n.nspname) AS object
  FROM pg_catalog.pg_namespace n
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
)
SELECT 'schema' AS kind, object, 'exists' AS fact FROM ns
UNION ALL SELECT 'schema', ns.object, 'comment ' || d.description
  FROM ns JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_namespace'::regclass AND d.objoid = ns.oid
UNION ALL SELECT 'schema', object, 'owner ' || pg_catalog.pg_get_userbyid(nspowner) FROM ns WHERE $1::bool
UNION ALL SELECT 'schema', object, 'grant ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END
    || ' ' || a.privilege_type || CASE WHEN a.is_grantable THEN ' with grant option' ELSE '' END
  FROM ns, LATERAL pg_catalog.aclexplode(coalesce(ns.nspacl, pg_catalog.acldefault('n'::"char", ns.nspowner))) a
  WHERE a.grantee <> ns.nspowner OR $1::bool
