-- Tables, partitioned and foreign tables, views, materialized views, sequences and composite types'
-- relations: persistence, storage parameters, replica identity, row level security, partitioning,
-- inheritance, comments and privileges (one fact per grantee and privilege).
WITH rel AS (
  SELECT c.oid, c.relkind, c.relpersistence, c.reloptions, c.relreplident, c.relrowsecurity,
    c.relforcerowsecurity, c.relispartition, c.relpartbound, c.relowner, c.relacl,
    pg_catalog.format('%I.%I', n.nspname, c.relname) AS object
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
)
SELECT 'relation' AS kind, object, 'kind ' || relkind::text AS fact FROM rel
UNION ALL SELECT 'relation', object, 'persistence ' || relpersistence::text FROM rel WHERE relkind <> 'v'
UNION ALL SELECT 'relation', object, 'option ' || o FROM rel, LATERAL pg_catalog.unnest(reloptions) o
UNION ALL SELECT 'relation', object, 'replica identity ' || relreplident::text FROM rel WHERE relkind IN ('r', 'p')
UNION ALL SELECT 'relation', object, 'row level security ' || relrowsecurity::text || ' forced ' || relforcerowsecurity::text FROM rel WHERE relkind IN ('r', 'p')
UNION ALL SELECT 'relation', object, 'partition of ' || pg_catalog.format('%I.%I', pn.nspname, pc.relname) || ' ' || pg_catalog.pg_get_expr(rel.relpartbound, rel.oid)
  FROM rel JOIN pg_catalog.pg_inherits i ON i.inhrelid = rel.oid JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
  WHERE rel.relispartition
UNION ALL SELECT 'relation', object, 'inherits ' || pg_catalog.format('%I.%I', pn.nspname, pc.relname) || ' #' || i.inhseqno
  FROM rel JOIN pg_catalog.pg_inherits i ON i.inhrelid = rel.oid JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
  WHERE NOT rel.relispartition
UNION ALL SELECT 'relation', object, 'partition key ' || pg_catalog.pg_get_partkeydef(oid) FROM rel WHERE relkind = 'p'
UNION ALL SELECT 'relation', object, 'comment ' || d.description
  FROM rel JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_class'::regclass AND d.objoid = rel.oid AND d.objsubid = 0
UNION ALL SELECT 'relation', object, 'owner ' || pg_catalog.pg_get_userbyid(relowner) FROM rel WHERE $1::bool
UNION ALL SELECT 'relation', object, 'grant ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END
    || ' ' || a.privilege_type || CASE WHEN a.is_grantable THEN ' with grant option' ELSE '' END
  FROM rel, LATERAL pg_catalog.aclexplode(coalesce(rel.relacl, pg_catalog.acldefault((CASE WHEN rel.relkind = 'S' THEN 's' ELSE 'r' END)::"char", rel.relowner))) a
  WHERE a.grantee <> rel.relowner OR $1::bool
