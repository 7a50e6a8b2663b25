-- Invoices and their lines. invoices is by far the biggest table in production.

CREATE TABLE invoices (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  customer_id   uuid NOT NULL REFERENCES customers (id),
  number        text NOT NULL,
  status        invoice_status NOT NULL DEFAULT 'draft',
  currency      char(3) NOT NULL,
  issued_on     date,
  due_on        date,
  amount_cents  bigint NOT NULL DEFAULT 0,
  notes         text,
  created_by    uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT invoices_tenant_number_key UNIQUE (tenant_id, number),
  CONSTRAINT invoices_due_after_issue CHECK (due_on IS NULL OR issued_on IS NULL OR due_on >= issued_on),
  CONSTRAINT invoices_issued_when_open CHECK (status = 'draft' OR issued_on IS NOT NULL)
);

CREATE INDEX invoices_customer_id_idx ON invoices (customer_id);
CREATE INDEX invoices_tenant_issued_on_idx ON invoices (tenant_id, issued_on DESC);

CREATE TRIGGER invoices_touch_updated_at
  BEFORE UPDATE ON invoices
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE invoice_lines (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  invoice_id        uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
  product_id        uuid REFERENCES products (id) ON DELETE SET NULL,
  position          smallint NOT NULL,
  description       text NOT NULL,
  quantity          numeric(12, 3) NOT NULL CHECK (quantity > 0),
  unit_price_cents  bigint NOT NULL CHECK (unit_price_cents >= 0),
  discount_pct      numeric(5, 2) NOT NULL DEFAULT 0 CHECK (discount_pct BETWEEN 0 AND 100),
  line_total_cents  bigint GENERATED ALWAYS AS (
                      round(quantity * unit_price_cents * (1 - discount_pct / 100))::bigint
                    ) STORED,
  CONSTRAINT invoice_lines_invoice_position_key UNIQUE (invoice_id, position)
);

CREATE INDEX invoice_lines_product_id_idx ON invoice_lines (product_id) WHERE product_id IS NOT NULL;
