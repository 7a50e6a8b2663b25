-- Row level security policies: command, permissive or restrictive, roles, USING and WITH CHECK.
SELECT 'policy' AS kind, pg_catalog.format('%I.%I.%I', n.nspname, c.relname, p.polname) AS object,
  pg_catalog.format('for %s %s to %s using (%s) with check (%s)',
    CASE p.polcmd WHEN 'r' THEN 'select' WHEN 'a' THEN 'insert' WHEN 'w' THEN 'update' WHEN 'd' THEN 'delete' ELSE 'all' END,
    CASE WHEN p.polpermissive THEN 'permissive' ELSE 'restrictive' END,
    (SELECT pg_catalog.string_agg(x.role, ', ' ORDER BY x.role) FROM (SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(r) END AS role FROM pg_catalog.unnest(p.polroles) r) x),
    coalesce(pg_catalog.pg_get_expr(p.polqual, p.polrelid), ''), coalesce(pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), '')) AS fact
FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
