-- Customers are the people and companies a tenant sends invoices to.

CREATE TABLE customers (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name             text NOT NULL,
  email            citext,
  tax_id           text,
  billing_address  jsonb NOT NULL DEFAULT '{}'::jsonb,
  payment_terms    integer NOT NULL DEFAULT 30 CHECK (payment_terms BETWEEN 0 AND 365),
  archived_at      timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX customers_tenant_id_idx ON customers (tenant_id);
CREATE UNIQUE INDEX customers_tenant_email_key ON customers (tenant_id, email) WHERE email IS NOT NULL;
CREATE INDEX customers_active_name_idx ON customers (tenant_id, lower(name)) WHERE archived_at IS NULL;

CREATE TRIGGER customers_touch_updated_at
  BEFORE UPDATE ON customers
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
