-- Extended statistics objects (CREATE STATISTICS), with their definition and statistics target
-- (stxstattarget: -1 or NULL for the default; read through to_jsonb, NULL-able from 17).
SELECT
  n.nspname AS schema,
  s.stxname AS name,
  tn.nspname AS table_schema,
  c.relname AS table_name,
  pg_catalog.pg_get_statisticsobjdef(s.oid) AS definition,
  NULLIF((pg_catalog.to_jsonb(s) ->> 'stxstattarget')::int, -1) AS statistics_target,
  d.description AS comment
FROM pg_catalog.pg_statistic_ext s
JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace
JOIN pg_catalog.pg_class c ON c.oid = s.stxrelid
JOIN pg_catalog.pg_namespace tn ON tn.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass AND d.objoid = s.oid
WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
