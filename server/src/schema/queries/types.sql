-- User-defined types: enums (labels in order), domains (base type, NOT NULL, default, checks),
-- free-standing composite types (not the row type of a table or view) and ranges (not the
-- multiranges PostgreSQL 14+ creates with them). Types owned by an extension are left out.
SELECT
  n.nspname AS schema,
  t.typname AS name,
  t.typtype AS kind,
  CASE WHEN t.typtype = 'e' THEN ARRAY(
    SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder
  ) END AS enum_values,
  CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END AS base_type,
  CASE WHEN t.typtype = 'd' THEN t.typnotnull END AS not_null,
  CASE WHEN t.typtype = 'd' THEN pg_catalog.pg_get_expr(t.typdefaultbin, 0) END AS default_expr,
  CASE WHEN t.typtype = 'd' THEN ARRAY(
    SELECT pg_catalog.pg_get_constraintdef(co.oid)
    FROM pg_catalog.pg_constraint co
    WHERE co.contypid = t.oid AND co.contype = 'c'
    ORDER BY co.conname
  ) END AS checks,
  CASE WHEN t.typtype = 'd' THEN ARRAY(
    SELECT co.conname::text
    FROM pg_catalog.pg_constraint co
    WHERE co.contypid = t.oid AND co.contype = 'c'
    ORDER BY co.conname
  ) END AS check_names,
  CASE WHEN t.typtype = 'd' THEN (
    SELECT co.collname FROM pg_catalog.pg_collation co
    JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
    WHERE co.oid = t.typcollation AND t.typcollation <> bt.typcollation
  ) END AS collation,
  CASE WHEN t.typtype = 'c' THEN (
    SELECT pg_catalog.json_agg(
      pg_catalog.json_build_object('name', a.attname, 'type', pg_catalog.format_type(a.atttypid, a.atttypmod))
      ORDER BY a.attnum
    )
    FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
  ) END AS attributes,
  CASE WHEN t.typtype = 'r' THEN (
    SELECT pg_catalog.format_type(r.rngsubtype, NULL) FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid
  ) END AS subtype,
  d.description AS comment,
  t.typacl::text[] AS acl
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = t.typrelid
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objoid = t.oid AND d.objsubid = 0
WHERE (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND rc.relkind = 'c'))
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
  AND t.oid NOT IN (
    SELECT e.objid FROM pg_catalog.pg_depend e
    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND e.deptype = 'e'
      AND e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
  )
