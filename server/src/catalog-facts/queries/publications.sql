-- Publications (what they publish) and event triggers (event, function, tags, enable state).
SELECT 'publication' AS kind, pg_catalog.format('%I', p.pubname) AS object,
  pg_catalog.format('all tables %s insert %s update %s delete %s truncate %s', p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate) AS fact
FROM pg_catalog.pg_publication p
UNION ALL
SELECT 'publication', pg_catalog.format('%I', p.pubname), 'table ' || pg_catalog.format('%I.%I', n.nspname, c.relname)
FROM pg_catalog.pg_publication_rel pr JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid
JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
UNION ALL
SELECT 'event trigger', pg_catalog.format('%I', e.evtname),
  pg_catalog.format('on %s execute %s tags %s enabled %s', e.evtevent, e.evtfoid::regproc, coalesce(pg_catalog.array_to_string(e.evttags, ','), ''), e.evtenabled)
FROM pg_catalog.pg_event_trigger e
