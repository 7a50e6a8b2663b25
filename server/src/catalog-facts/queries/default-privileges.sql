-- ALTER DEFAULT PRIVILEGES: per role, schema (or all) and object type, what each grantee gets.
SELECT 'default privileges' AS kind,
  pg_catalog.format('for %s in %s on %s', pg_catalog.pg_get_userbyid(da.defaclrole), CASE WHEN n.nspname IS NULL THEN 'all schemas' ELSE pg_catalog.format('%I', n.nspname) END,
    CASE da.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' ELSE da.defaclobjtype::text END) AS object,
  'grant ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END || ' ' || a.privilege_type || CASE WHEN a.is_grantable THEN ' with grant option' ELSE '' END AS fact
FROM pg_catalog.pg_default_acl da
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = da.defaclnamespace
CROSS JOIN LATERAL pg_catalog.aclexplode(da.defaclacl) a
