-- Collation objects (provider, locale, determinism) outside the system schemas.
SELECT 'collation' AS kind, pg_catalog.format('%I.%I', n.nspname, c.collname) AS object,
  pg_catalog.format('provider %s collate %s ctype %s locale %s deterministic %s', c.collprovider, coalesce(c.collcollate, ''), coalesce(c.collctype, ''),
    coalesce(to_jsonb(c)->>'colllocale', to_jsonb(c)->>'colliculocale', ''), c.collisdeterministic) AS fact
FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_collation'::regclass AND d.objid = c.oid AND d.deptype = 'e')
