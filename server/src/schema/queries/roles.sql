-- Roles, without the predefined pg_* ones. pg_roles, not pg_authid, which only superusers may read.
SELECT
  r.rolname AS name,
  r.rolsuper AS superuser,
  r.rolcanlogin AS can_login,
  r.rolbypassrls AS bypass_rls
FROM pg_catalog.pg_roles r
WHERE r.rolname NOT LIKE 'pg\_%'
ORDER BY r.rolname
