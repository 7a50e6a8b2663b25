-- Columns of tables, views and composite types: type, nullability, default, identity, generation,
-- collation, storage, statistics target, compression, inheritance, comments and column privileges.
-- Version-dependent catalog columns (attcompression 14+, attstattarget NULL for the default in 17+)
-- are read through to_jsonb so one query runs on PostgreSQL 12 to 18.
WITH col AS (
  SELECT c.oid, c.relkind, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull, a.attidentity, a.attgenerated,
    a.attcollation, a.attstorage, a.attislocal, a.attinhcount, a.attacl, c.relowner, to_jsonb(a) AS j,
    pg_catalog.format('%I.%I.%I', n.nspname, c.relname, a.attname) AS object
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'c') AND a.attnum > 0 AND NOT a.attisdropped
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
    AND NOT (c.relkind = 'c' AND EXISTS (SELECT 1 FROM pg_catalog.pg_type t WHERE t.typrelid = c.oid AND EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')))
)
SELECT 'column' AS kind, object, 'type ' || pg_catalog.format_type(atttypid, atttypmod) AS fact FROM col
UNION ALL SELECT 'column', object, 'not null' FROM col WHERE attnotnull
UNION ALL SELECT 'column', col.object, 'default ' || pg_catalog.pg_get_expr(d.adbin, d.adrelid)
  FROM col JOIN pg_catalog.pg_attrdef d ON d.adrelid = col.oid AND d.adnum = col.attnum
UNION ALL SELECT 'column', object, 'identity ' || attidentity::text FROM col WHERE attidentity <> ''
UNION ALL SELECT 'column', object, 'generated ' || attgenerated::text FROM col WHERE attgenerated <> ''
UNION ALL SELECT 'column', col.object, 'collation ' || pg_catalog.format('%I.%I', cn.nspname, co.collname)
  FROM col JOIN pg_catalog.pg_type t ON t.oid = col.atttypid JOIN pg_catalog.pg_collation co ON co.oid = col.attcollation JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
  WHERE col.attcollation <> 0 AND col.attcollation <> t.typcollation
UNION ALL SELECT 'column', col.object, 'storage ' || col.attstorage::text
  FROM col JOIN pg_catalog.pg_type t ON t.oid = col.atttypid WHERE col.attstorage <> t.typstorage AND col.relkind <> 'v'
UNION ALL SELECT 'column', object, 'statistics ' || (j->>'attstattarget') FROM col WHERE coalesce((j->>'attstattarget')::int, -1) >= 0
UNION ALL SELECT 'column', object, 'compression ' || (j->>'attcompression') FROM col WHERE coalesce(j->>'attcompression', '') NOT IN ('', E'\\u0000')
UNION ALL SELECT 'column', object, 'inherited ' || attinhcount::text || CASE WHEN attislocal THEN ' and local' ELSE '' END FROM col WHERE attinhcount > 0
UNION ALL SELECT 'column', col.object, 'comment ' || d.description
  FROM col JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_class'::regclass AND d.objoid = col.oid AND d.objsubid = col.attnum
UNION ALL SELECT 'column', object, 'grant ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END
    || ' ' || a.privilege_type || CASE WHEN a.is_grantable THEN ' with grant option' ELSE '' END
  FROM col, LATERAL pg_catalog.aclexplode(col.attacl) a
  WHERE col.attacl IS NOT NULL
