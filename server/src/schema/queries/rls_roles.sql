-- Roles as row-level security sees them (pglens rls): attributes, direct memberships, and every role
-- whose privileges this one has (pg_has_role … 'USAGE': through INHERIT memberships, as PostgreSQL
-- decides whether a policy's TO list or a table's owner covers the current user). pg_* roles left out.
SELECT
  r.rolname AS name,
  r.rolsuper AS superuser,
  r.rolcanlogin AS can_login,
  r.rolbypassrls AS bypass_rls,
  r.rolinherit AS inherit,
  ARRAY(
    SELECT g.rolname::text FROM pg_catalog.pg_auth_members m
    JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
    WHERE m.member = r.oid ORDER BY 1
  ) AS member_of,
  ARRAY(
    SELECT g.rolname::text FROM pg_catalog.pg_roles g
    WHERE g.oid <> r.oid AND NOT r.rolsuper AND pg_catalog.pg_has_role(r.oid, g.oid, 'USAGE') ORDER BY 1
  ) AS privileges_of
FROM pg_catalog.pg_roles r
WHERE r.rolname NOT LIKE 'pg\_%'
ORDER BY r.rolname
