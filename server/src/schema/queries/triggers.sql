-- User triggers (not the internal ones behind foreign keys), on tables and views, keyed by `rel`.
SELECT
  t.tgrelid AS rel,
  t.tgname AS name,
  pg_catalog.pg_get_triggerdef(t.oid) AS definition,
  pn.nspname AS function_schema,
  p.proname AS function_name,
  t.tgenabled <> 'D' AS enabled,
  -- A partition's clone of its partitioned table's trigger (PostgreSQL 13+: tgparentid, read through
  -- to_jsonb so that the query still runs on 12, where clones are internal and left out anyway).
  c.relispartition AND coalesce((pg_catalog.to_jsonb(t) ->> 'tgparentid') <> '0', false) AS inherited,
  d.description AS comment
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND d.objoid = t.oid AND d.objsubid = 0
WHERE NOT t.tgisinternal
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
  AND c.oid NOT IN (
    SELECT e.objid FROM pg_catalog.pg_depend e
    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND e.deptype = 'e'
      AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
  )
