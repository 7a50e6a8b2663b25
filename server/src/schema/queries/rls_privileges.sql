-- Table and column privileges per role and table (pglens rls matrix), as PostgreSQL checks them:
-- has_table_privilege / has_any_column_privilege follow memberships, PUBLIC grants and ownership.
-- `owns`: the role has the owner's privileges (row-level security is bypassed unless FORCE is set).
-- $1: role names to include, or NULL for every role but the pg_* ones.
SELECT
  r.rolname AS role,
  c.oid AS rel,
  pg_catalog.has_table_privilege(r.oid, c.oid, 'SELECT') AS sel,
  pg_catalog.has_table_privilege(r.oid, c.oid, 'INSERT') AS ins,
  pg_catalog.has_table_privilege(r.oid, c.oid, 'UPDATE') AS upd,
  pg_catalog.has_table_privilege(r.oid, c.oid, 'DELETE') AS del,
  pg_catalog.has_any_column_privilege(r.oid, c.oid, 'SELECT') AS col_sel,
  pg_catalog.has_any_column_privilege(r.oid, c.oid, 'INSERT') AS col_ins,
  pg_catalog.has_any_column_privilege(r.oid, c.oid, 'UPDATE') AS col_upd,
  pg_catalog.pg_has_role(r.oid, c.relowner, 'USAGE') AS owns
FROM pg_catalog.pg_roles r
CROSS JOIN pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
  AND ($1::text[] IS NULL AND r.rolname NOT LIKE 'pg\_%' OR r.rolname = ANY ($1::text[]))
ORDER BY r.rolname, n.nspname, c.relname
