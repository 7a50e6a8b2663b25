-- Products and services that can appear on invoice lines.

CREATE TABLE products (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  sku               text NOT NULL,
  name              text NOT NULL,
  description       text,
  unit_price_cents  bigint NOT NULL CHECK (unit_price_cents >= 0),
  currency          char(3) NOT NULL DEFAULT 'EUR',
  tax_rate          numeric(5, 2) NOT NULL DEFAULT 20.00 CHECK (tax_rate BETWEEN 0 AND 100),
  active            boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT products_tenant_sku_key UNIQUE (tenant_id, sku)
);

CREATE TRIGGER products_touch_updated_at
  BEFORE UPDATE ON products
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
