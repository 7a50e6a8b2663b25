-- Sequence options and ownership (OWNED BY a column); privileges are relation facts.
SELECT 'sequence' AS kind, pg_catalog.format('%I.%I', n.nspname, c.relname) AS object,
  pg_catalog.format('as %s increment %s min %s max %s start %s cache %s%s', pg_catalog.format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache, CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END) AS fact
FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
UNION ALL
SELECT 'sequence', pg_catalog.format('%I.%I', n.nspname, c.relname),
  CASE d.deptype WHEN 'i' THEN 'identity of ' ELSE 'owned by ' END || pg_catalog.format('%I.%I.%I', tn.nspname, tc.relname, a.attname)
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = tc.oid AND a.attnum = d.refobjsubid
WHERE c.relkind = 'S' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
