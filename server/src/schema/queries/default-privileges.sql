-- ALTER DEFAULT PRIVILEGES: for each role, schema (NULL: all schemas) and object type (r tables,
-- S sequences, f functions, T types, n schemas), the ACL new objects get instead of the built-in one.
SELECT
  pg_catalog.pg_get_userbyid(da.defaclrole) AS role,
  n.nspname AS schema,
  da.defaclobjtype AS object_type,
  da.defaclacl::text[] AS acl
FROM pg_catalog.pg_default_acl da
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = da.defaclnamespace
