-- Functions, procedures and aggregates: the full definition PostgreSQL prints (language, volatility,
-- SECURITY DEFINER, SET clauses, body), comments and privileges (EXECUTE for PUBLIC by default).
WITH fn AS (
  SELECT p.oid, p.prokind, p.proowner, p.proacl,
    pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)) AS object
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
)
SELECT 'function' AS kind, object, CASE WHEN prokind = 'a' THEN 'aggregate' ELSE pg_catalog.pg_get_functiondef(oid) END AS fact FROM fn
UNION ALL SELECT 'function', fn.object, 'comment ' || d.description
  FROM fn JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_proc'::regclass AND d.objoid = fn.oid
UNION ALL SELECT 'function', object, 'owner ' || pg_catalog.pg_get_userbyid(proowner) FROM fn WHERE $1::bool
UNION ALL SELECT 'function', object, 'grant ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END
    || ' ' || a.privilege_type || CASE WHEN a.is_grantable THEN ' with grant option' ELSE '' END
  FROM fn, LATERAL pg_catalog.aclexplode(coalesce(fn.proacl, pg_catalog.acldefault('f'::"char", fn.proowner))) a
  WHERE a.grantee <> fn.proowner OR $1::bool
