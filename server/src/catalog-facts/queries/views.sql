-- View and materialized view definitions as PostgreSQL prints them (options are relation facts).
SELECT 'view' AS kind, pg_catalog.format('%I.%I', n.nspname, c.relname) AS object, pg_catalog.pg_get_viewdef(c.oid, true) AS fact
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
