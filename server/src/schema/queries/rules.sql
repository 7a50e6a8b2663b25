-- Rewrite rules of tables and views other than a view's own `_RETURN` rule: `pg_get_ruledef` is the
-- complete CREATE RULE statement; ev_enabled is O (origin), D (disabled), R (replica), A (always).
SELECT
  n.nspname AS schema,
  c.relname AS table_name,
  r.rulename AS name,
  pg_catalog.pg_get_ruledef(r.oid) AS definition,
  r.ev_enabled AS enabled
FROM pg_catalog.pg_rewrite r
JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE r.rulename <> '_RETURN'
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
