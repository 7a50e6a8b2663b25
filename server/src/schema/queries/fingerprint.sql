-- A cheap fingerprint of everything the snapshot reads: one text value that changes whenever DDL
-- changes the schema. For each catalog, the row count and the sum of the rows' xmin: DDL inserts,
-- deletes or updates catalog rows (an update writes a new row version with a new xmin), while
-- VACUUM and ANALYZE update pg_class in place and leave it unchanged. Temporary objects of any
-- session are left out, so applications that churn temp tables do not make the snapshot stale.
-- Roles come through pg_roles (pg_authid is for superusers only), by content. Of pg_depend only the
-- extension memberships count (ALTER EXTENSION ADD/DROP), read through its index on the referenced
-- object; sequence ownership changes rewrite the pg_sequence row too.
WITH temp_ns AS (
  SELECT oid FROM pg_catalog.pg_namespace WHERE nspname ~ '^pg_(toast_)?temp_'
), temp_rel AS (
  SELECT oid FROM pg_catalog.pg_class WHERE relnamespace IN (SELECT oid FROM temp_ns)
)
SELECT pg_catalog.md5(pg_catalog.concat_ws('|',
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_namespace WHERE oid NOT IN (SELECT oid FROM temp_ns)),
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_class WHERE relnamespace NOT IN (SELECT oid FROM temp_ns)),
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_attribute WHERE attrelid NOT IN (SELECT oid FROM temp_rel)),
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_attrdef WHERE adrelid NOT IN (SELECT oid FROM temp_rel)),
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_constraint WHERE connamespace NOT IN (SELECT oid FROM temp_ns)),
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_index WHERE indrelid NOT IN (SELECT oid FROM temp_rel)),
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_inherits WHERE inhrelid NOT IN (SELECT oid FROM temp_rel)),
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_trigger WHERE tgrelid NOT IN (SELECT oid FROM temp_rel)),
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_policy),
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_rewrite WHERE ev_class NOT IN (SELECT oid FROM temp_rel)),
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_sequence WHERE seqrelid NOT IN (SELECT oid FROM temp_rel)),
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_type WHERE typnamespace NOT IN (SELECT oid FROM temp_ns)),
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_enum),
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_range),
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_proc WHERE pronamespace NOT IN (SELECT oid FROM temp_ns)),
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_description),
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_extension),
  (SELECT count(*) || ':' || sum(xmin::text::int8) FROM pg_catalog.pg_depend
    WHERE refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND deptype = 'e'),
  (SELECT pg_catalog.string_agg(rolname || ':' || rolsuper || rolcanlogin || rolbypassrls, ',' ORDER BY rolname) FROM pg_catalog.pg_roles)
)) AS fingerprint
