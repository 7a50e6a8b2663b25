-- Installed extensions, all of them (plpgsql too, which lives in pg_catalog): "is X installed" needs
-- the whole list.
SELECT
  e.extname AS name,
  n.nspname AS schema,
  e.extversion AS version
FROM pg_catalog.pg_extension e
JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
ORDER BY e.extname
