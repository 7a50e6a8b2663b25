-- Functions, procedures, aggregates and window functions, without the ones an extension owns
-- (deptype 'e') and without those PostgreSQL creates along with another object (deptype 'i': the
-- constructors of a range type and of its multirange).
-- PostgreSQL 12+: prokind (11). pg_get_function_result is NULL for procedures. `definition`
-- (pg_get_functiondef, the CREATE OR REPLACE statement) for all but aggregates, which it rejects,
-- and only when the loader asks for details (setting pglens.details): it costs ~50 µs a function.
SELECT
  n.nspname AS schema,
  p.proname AS name,
  p.prokind AS kind,
  pg_catalog.pg_get_function_identity_arguments(p.oid) AS arguments,
  pg_catalog.pg_get_function_result(p.oid) AS returns,
  l.lanname AS language,
  p.provolatile AS volatility,
  p.prosecdef AS security_definer,
  p.proconfig::text[] AS config,
  d.description AS comment,
  CASE WHEN p.prokind <> 'a' AND pg_catalog.current_setting('pglens.details', true) = 'on' THEN pg_catalog.pg_get_functiondef(p.oid) END AS definition,
  p.proacl::text[] AS acl
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objoid = p.oid AND d.objsubid = 0
WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
  AND p.oid NOT IN (
    SELECT e.objid FROM pg_catalog.pg_depend e
    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND e.deptype = 'e'
      AND e.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
  )
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend i
    WHERE i.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND i.objid = p.oid AND i.deptype = 'i'
  )
