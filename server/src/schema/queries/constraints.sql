-- Table constraints (primary key, foreign key, unique, check, exclusion; and not-null on
-- PostgreSQL 18, where they are catalogued), keyed by `rel`. Domain checks are in types.sql.
-- Column numbers (`conkey`, `confkey`) are turned into names by the loader, from the columns it
-- loaded; only for a foreign key to a table outside the snapshot (a system or extension table) are
-- the referenced names resolved here (`ref_column_names`). A per-row subquery for every constraint
-- costs more than the rest of this query.
SELECT
  co.conrelid AS rel,
  co.conname AS name,
  co.contype AS kind,
  co.conkey AS key,
  pg_catalog.pg_get_constraintdef(co.oid) AS definition,
  co.convalidated AS validated,
  rn.nspname AS ref_schema,
  rc.relname AS ref_table,
  rc.oid AS ref_rel,
  co.confkey AS ref_key,
  CASE WHEN co.contype = 'f' AND (
    rn.nspname = 'information_schema' OR rn.nspname LIKE 'pg\_%' OR rc.oid IN (
      SELECT e.objid FROM pg_catalog.pg_depend e
      WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND e.deptype = 'e'
        AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
    )
  ) THEN ARRAY(
    SELECT a.attname::text
    FROM pg_catalog.unnest(co.confkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_catalog.pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.attnum
    ORDER BY k.ord
  ) END AS ref_column_names,
  CASE WHEN co.contype = 'f' THEN co.confdeltype END AS on_delete,
  CASE WHEN co.contype = 'f' THEN co.confupdtype END AS on_update,
  -- A partition's (or child's) copy of its parent's constraint.
  (co.conparentid <> 0 OR NOT co.conislocal) AS inherited,
  d.description AS comment
FROM pg_catalog.pg_constraint co
JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = co.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.objoid = co.oid AND d.objsubid = 0
WHERE co.contype IN ('p', 'f', 'u', 'c', 'x', 'n')
  AND c.relkind IN ('r', 'p', 'f')
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
  AND c.oid NOT IN (
    SELECT e.objid FROM pg_catalog.pg_depend e
    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND e.deptype = 'e'
      AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
  )
