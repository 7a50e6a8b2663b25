-- Extended statistics objects (CREATE STATISTICS) and their statistics target.
SELECT 'statistics' AS kind, pg_catalog.format('%I.%I', n.nspname, s.stxname) AS object,
  pg_catalog.pg_get_statisticsobjdef(s.oid) || coalesce(' target ' || nullif(to_jsonb(s)->>'stxstattarget', '-1'), '') AS fact
FROM pg_catalog.pg_statistic_ext s JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
