-- Enums (labels in order), domains (base type, NOT NULL, default; checks are constraint facts),
-- composite types (their attributes are column facts), ranges, comments and privileges.
WITH ty AS (
  SELECT t.oid, t.typtype, t.typbasetype, t.typtypmod, t.typnotnull, t.typdefault, t.typowner, t.typacl, t.typcollation,
    pg_catalog.format('%I.%I', n.nspname, t.typname) AS object
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typtype IN ('e', 'd', 'c', 'r', 'm')
    AND (t.typtype <> 'c' OR EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
)
SELECT 'type' AS kind, object, 'kind ' || typtype::text AS fact FROM ty
UNION ALL SELECT 'type', object, 'labels ' || (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = ty.oid) FROM ty WHERE typtype = 'e'
UNION ALL SELECT 'type', object, 'domain over ' || pg_catalog.format_type(typbasetype, typtypmod) || CASE WHEN typnotnull THEN ' not null' ELSE '' END || coalesce(' default ' || typdefault, '') FROM ty WHERE typtype = 'd'
UNION ALL SELECT 'type', ty.object, 'collation ' || pg_catalog.format('%I.%I', cn.nspname, co.collname)
  FROM ty JOIN pg_catalog.pg_type b ON b.oid = ty.typbasetype JOIN pg_catalog.pg_collation co ON co.oid = ty.typcollation JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
  WHERE ty.typtype = 'd' AND ty.typcollation <> b.typcollation
UNION ALL SELECT 'type', ty.object, 'range of ' || pg_catalog.format_type(r.rngsubtype, NULL)
  FROM ty JOIN pg_catalog.pg_range r ON r.rngtypid = ty.oid
UNION ALL SELECT 'type', ty.object, 'comment ' || d.description
  FROM ty JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_type'::regclass AND d.objoid = ty.oid
UNION ALL SELECT 'type', object, 'owner ' || pg_catalog.pg_get_userbyid(typowner) FROM ty WHERE $1::bool
UNION ALL SELECT 'type', object, 'grant ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END
    || ' ' || a.privilege_type || CASE WHEN a.is_grantable THEN ' with grant option' ELSE '' END
  FROM ty, LATERAL pg_catalog.aclexplode(coalesce(ty.typacl, pg_catalog.acldefault('T'::"char", ty.typowner))) a
  WHERE ty.typtype <> 'm' AND (a.grantee <> ty.typowner OR $1::bool)
