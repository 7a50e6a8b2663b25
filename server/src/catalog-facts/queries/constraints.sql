-- Table and domain constraints by name, as PostgreSQL prints them (NOT VALID and DEFERRABLE
-- included). NOT NULL constraints (18+) are the columns' `not null` facts instead.
SELECT 'constraint' AS kind,
  pg_catalog.format('%I.%I.%I', n.nspname, coalesce(c.relname, t.typname), k.conname) AS object,
  pg_catalog.pg_get_constraintdef(k.oid, true) AS fact
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_namespace n ON n.oid = k.connamespace
LEFT JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
LEFT JOIN pg_catalog.pg_type t ON t.oid = k.contypid
WHERE k.contype <> 'n' AND coalesce((to_jsonb(k)->>'conparentid')::oid, 0) = 0 AND (k.conrelid <> 0 OR k.contypid <> 0)
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = k.conrelid AND d.deptype = 'e')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = k.contypid AND d.deptype = 'e')
UNION ALL
SELECT 'constraint', pg_catalog.format('%I.%I.%I', n.nspname, c.relname, k.conname), 'comment ' || d.description
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_namespace n ON n.oid = k.connamespace
JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_constraint'::regclass AND d.objoid = k.oid
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
