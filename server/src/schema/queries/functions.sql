-- Functions, procedures, aggregates and window functions, without the ones an extension owns
-- (deptype 'e') and without those PostgreSQL creates along with another object (deptype 'i': the
-- constructors of a range type and of its multirange).
-- PostgreSQL 12+: prokind (11). pg_get_function_result is NULL for procedures. `definition`
-- (pg_get_functiondef, the CREATE OR REPLACE statement; for aggregates, which it rejects, built
-- from pg_aggregate) only when the loader asks for details (setting pglens.details): it costs ~50 µs
-- a function.
SELECT
  n.nspname AS schema,
  p.proname AS name,
  p.prokind AS kind,
  pg_catalog.pg_get_function_identity_arguments(p.oid) AS arguments,
  pg_catalog.pg_get_function_result(p.oid) AS returns,
  l.lanname AS language,
  p.provolatile AS volatility,
  p.prosecdef AS security_definer,
  p.proconfig::text[] AS config,
  d.description AS comment,
  CASE WHEN pg_catalog.current_setting('pglens.details', true) IS DISTINCT FROM 'on' THEN NULL
    WHEN p.prokind <> 'a' THEN pg_catalog.pg_get_functiondef(p.oid)
    -- Plain aggregates (not ordered-set, not moving-aggregate): their CREATE statement, built here.
    ELSE (
      SELECT 'CREATE OR REPLACE AGGREGATE ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname)
        || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ') (SFUNC = ' || a.aggtransfn::pg_catalog.regproc::text
        || ', STYPE = ' || pg_catalog.format_type(a.aggtranstype, NULL)
        || CASE WHEN a.aggtransspace <> 0 THEN ', SSPACE = ' || a.aggtransspace ELSE '' END
        || CASE WHEN a.aggfinalfn <> 0 THEN ', FINALFUNC = ' || a.aggfinalfn::pg_catalog.regproc::text ELSE '' END
        || CASE WHEN a.aggfinalextra THEN ', FINALFUNC_EXTRA' ELSE '' END
        || CASE WHEN a.aggcombinefn <> 0 THEN ', COMBINEFUNC = ' || a.aggcombinefn::pg_catalog.regproc::text ELSE '' END
        || CASE WHEN a.aggserialfn <> 0 THEN ', SERIALFUNC = ' || a.aggserialfn::pg_catalog.regproc::text ELSE '' END
        || CASE WHEN a.aggdeserialfn <> 0 THEN ', DESERIALFUNC = ' || a.aggdeserialfn::pg_catalog.regproc::text ELSE '' END
        || CASE WHEN a.agginitval IS NOT NULL THEN ', INITCOND = ' || pg_catalog.quote_literal(a.agginitval) ELSE '' END
        || CASE p.proparallel WHEN 's' THEN ', PARALLEL = SAFE' WHEN 'r' THEN ', PARALLEL = RESTRICTED' ELSE '' END
        || ')'
      FROM pg_catalog.pg_aggregate a
      WHERE a.aggfnoid = p.oid AND a.aggkind = 'n' AND a.aggmtransfn = 0 AND a.aggsortop = 0
    )
  END AS definition,
  p.proacl::text[] AS acl
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objoid = p.oid AND d.objsubid = 0
WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
  AND p.oid NOT IN (
    SELECT e.objid FROM pg_catalog.pg_depend e
    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND e.deptype = 'e'
      AND e.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
  )
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend i
    WHERE i.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND i.objid = p.oid AND i.deptype = 'i'
  )
