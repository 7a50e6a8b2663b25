-- Row-level security policies, keyed by `rel`. Role oid 0 is PUBLIC. PostgreSQL 12+: polpermissive (10).
SELECT
  p.polrelid AS rel,
  p.polname AS name,
  CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS command,
  p.polpermissive AS permissive,
  ARRAY(
    SELECT CASE WHEN r.roleid = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r.roleid)::text END
    FROM pg_catalog.unnest(p.polroles) AS r(roleid)
    ORDER BY 1
  ) AS roles,
  pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using_expr,
  pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS with_check,
  d.description AS comment
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND d.objoid = p.oid AND d.objsubid = 0
WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
  AND c.oid NOT IN (
    SELECT e.objid FROM pg_catalog.pg_depend e
    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND e.deptype = 'e'
      AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
  )
