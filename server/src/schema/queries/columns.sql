-- Columns of tables (r, p, f), views (v) and materialized views (m), as flat rows keyed by `rel`
-- (the relation's oid); the loader orders them (an ORDER BY here would sort 100,000s of rows on disk).
-- PostgreSQL 12+: attgenerated (12), attidentity (10). `collation` only when it differs from the
-- type's default collation, as psql's \d shows it.
-- Defaults are deparsed without the relation (relid 0: a default cannot refer to a column), which
-- spares the server opening every table that has a default; generated expressions need it.
SELECT
  a.attrelid AS rel,
  a.attname AS name,
  a.attnum AS position,
  pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
  NOT a.attnotnull AS nullable,
  CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, 0) END AS default_expr,
  NULLIF(a.attidentity, '') AS identity,
  NULLIF(a.attgenerated, '') AS generated_kind,
  CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS generated_expr,
  co.collname AS collation,
  d.description AS comment,
  -- Details (the migration generator): storage when not the type's, statistics target when set,
  -- compression when set, column privileges. attstattarget is NULL for the default from 17, -1 before;
  -- attcompression exists from 14: both read through to_jsonb so one query runs on 12 to 18.
  CASE WHEN pg_catalog.current_setting('pglens.details', true) = 'on' THEN NULLIF(a.attstorage, t.typstorage) END AS storage,
  t.typstorage AS type_storage,
  CASE WHEN pg_catalog.current_setting('pglens.details', true) = 'on' THEN NULLIF((pg_catalog.to_jsonb(a) ->> 'attstattarget')::int, -1) END AS statistics_target,
  CASE WHEN pg_catalog.current_setting('pglens.details', true) = 'on' THEN NULLIF(pg_catalog.to_jsonb(a) ->> 'attcompression', '') END AS compression,
  a.attacl::text[] AS acl
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef ad ON a.atthasdef AND ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objoid = a.attrelid AND d.objsubid = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped
  AND c.relkind IN ('r', 'p', 'f', 'v', 'm')
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
  AND c.oid NOT IN (
    SELECT e.objid FROM pg_catalog.pg_depend e
    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND e.deptype = 'e'
      AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
  )
