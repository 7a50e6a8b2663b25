-- Indexes as PostgreSQL prints them (method, keys, opclasses, INCLUDE, WHERE, storage parameters),
-- whether the table is clustered on it, statistics targets of expression columns, comments.
WITH ix AS (
  SELECT i.indexrelid, i.indisclustered, ic.relname, n.nspname, to_jsonb(i) AS j,
    pg_catalog.format('%I.%I', n.nspname, ic.relname) AS object
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
  WHERE tc.relkind IN ('r', 'p', 'm')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = tc.oid AND d.deptype = 'e')
)
SELECT 'index' AS kind, object, pg_catalog.pg_get_indexdef(indexrelid) AS fact FROM ix
UNION ALL SELECT 'index', object, 'clustered' FROM ix WHERE indisclustered
UNION ALL SELECT 'index', ix.object, 'column ' || a.attnum || ' statistics ' || (to_jsonb(a)->>'attstattarget')
  FROM ix JOIN pg_catalog.pg_attribute a ON a.attrelid = ix.indexrelid WHERE coalesce((to_jsonb(a)->>'attstattarget')::int, -1) >= 0
UNION ALL SELECT 'index', ix.object, 'comment ' || d.description
  FROM ix JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_class'::regclass AND d.objoid = ix.indexrelid AND d.objsubid = 0
