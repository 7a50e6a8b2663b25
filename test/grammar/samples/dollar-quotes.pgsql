-- Dollar-quoted literals outside function bodies are strings
SELECT $$plain dollar 'string'$$, $tag$with $$ inside$tag$;
COMMENT ON TABLE users IS $doc$
Users of the app; one row per account.
$doc$;

CREATE OR REPLACE FUNCTION public.touch_updated_at()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE FUNCTION add_one(i integer) RETURNS integer AS $fn$
DECLARE
  msg text := $$it's $1 not a parameter$$;
BEGIN
  RAISE NOTICE 'adding one to %', i;
  RETURN i + 1; -- $$ does not end the body
END
$fn$ LANGUAGE plpgsql IMMUTABLE STRICT;

CREATE PROCEDURE archive_orders(cutoff date)
LANGUAGE plpgsql
AS $body$
DECLARE
  r orders%ROWTYPE;
  n bigint;
BEGIN
  <<outer>>
  FOR r IN SELECT * FROM orders WHERE created_at < cutoff LOOP
    INSERT INTO orders_archive SELECT (r).*;
    EXIT outer WHEN r.id > 1000;
  END LOOP;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n = 0 THEN
    RAISE EXCEPTION 'nothing archived before %', cutoff USING ERRCODE = 'P0002';
  ELSIF n > 10 THEN
    EXECUTE format('DELETE FROM %I WHERE id = $1', 'orders') USING r.id;
  END IF;
  FOR i IN 1..10 LOOP
    PERFORM pg_sleep(0);
  END LOOP;
EXCEPTION
  WHEN others THEN
    RAISE WARNING 'failed: %', SQLERRM;
END;
$body$;

CREATE FUNCTION sql_body(a int, b int) RETURNS int
LANGUAGE sql IMMUTABLE
RETURN a + b;

CREATE FUNCTION py_add(a int, b int) RETURNS int LANGUAGE plpython3u AS $$
return a + b  # not SQL
$$;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app') THEN
    CREATE ROLE app LOGIN;
  END IF;
END
$$;

DO LANGUAGE plpgsql $do$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['a', 'b'] LOOP
    RAISE INFO '%', t;
  END LOOP;
END
$do$;

INSERT INTO counters (id, n) VALUES (1, 1)
ON CONFLICT (id) DO UPDATE SET n = counters.n + 1;
INSERT INTO counters (id, n) VALUES (2, 1) ON CONFLICT DO NOTHING;
INSERT INTO counters (id, n) VALUES (3, 1) ON CONFLICT (id) DO
  UPDATE SET n = $$not a body$$;
