-- Extensions with their version and schema (plpgsql, always there, left out).
SELECT 'extension' AS kind, pg_catalog.format('%I', e.extname) AS object, 'version ' || e.extversion || ' in ' || pg_catalog.format('%I', n.nspname) AS fact
FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
