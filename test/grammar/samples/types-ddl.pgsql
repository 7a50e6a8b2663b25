CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN email AS citext CHECK (VALUE ~ '^[^@]+@[^@]+$');

CREATE TABLE IF NOT EXISTS app.accounts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  uid         uuid NOT NULL DEFAULT gen_random_uuid(),
  handle      varchar(64) NOT NULL UNIQUE,
  display     character varying(200),
  bio         text,
  age         smallint CHECK (age >= 0),
  score       numeric(10, 2) DEFAULT 0.00,
  ratio       double precision,
  active      boolean NOT NULL DEFAULT true,
  tags        text[] NOT NULL DEFAULT '{}',
  matrix      int[][],
  settings    jsonb NOT NULL DEFAULT '{}'::jsonb,
  ip          inet,
  birthday    date,
  alarm       time without time zone,
  created_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamp with time zone,
  period      tstzrange,
  feeling     mood,
  avatar      bytea,
  owner_id    integer REFERENCES app.owners (id) ON DELETE CASCADE,
  CONSTRAINT accounts_handle_lower CHECK (handle = lower(handle)),
  EXCLUDE USING gist (period WITH &&)
) PARTITION BY RANGE (created_at);

CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_settings_gin
  ON app.accounts USING gin (settings jsonb_path_ops)
  WHERE deleted_at IS NULL;

ALTER TABLE ONLY app.accounts
  ADD COLUMN IF NOT EXISTS nickname text,
  ALTER COLUMN bio SET DEFAULT '',
  DROP CONSTRAINT IF EXISTS old_check;

CREATE VIEW active_accounts AS
  SELECT id, handle FROM app.accounts WHERE active;

CREATE MATERIALIZED VIEW stats AS SELECT count(*) AS n FROM app.accounts WITH NO DATA;
GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA app TO app_user;
