-- Ledgerly bootstrap: extensions, schemas, the application role, shared types
-- and the trigger function every table uses to maintain updated_at.

CREATE EXTENSION IF NOT EXISTS pgcrypto;  -- gen_random_uuid(), digest()
CREATE EXTENSION IF NOT EXISTS citext;    -- case-insensitive e-mail addresses

CREATE SCHEMA IF NOT EXISTS audit;
CREATE SCHEMA IF NOT EXISTS reporting;

-- The API connects as ledgerly_app; it must never own tables so that RLS applies.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'ledgerly_app') THEN
    CREATE ROLE ledgerly_app NOLOGIN;
  END IF;
END
$$;

CREATE TYPE invoice_status AS ENUM ('draft', 'open', 'paid', 'void', 'uncollectible');
CREATE TYPE payment_method AS ENUM ('card', 'bank_transfer', 'direct_debit', 'cash', 'check');
CREATE TYPE user_role AS ENUM ('owner', 'admin', 'accountant', 'viewer');

CREATE OR REPLACE FUNCTION touch_updated_at()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  -- Only bump the timestamp when something actually changed.
  IF NEW IS DISTINCT FROM OLD THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END;
$$;

COMMENT ON FUNCTION touch_updated_at() IS 'BEFORE UPDATE trigger: sets updated_at to now() when the row changed.';
