-- Payments received against invoices (card, SEPA transfer, cash, ...).

CREATE TABLE payments (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  invoice_id    uuid NOT NULL REFERENCES invoices (id),
  amount_cents  bigint NOT NULL CHECK (amount_cents > 0),
  currency      char(3) NOT NULL,
  method        payment_method NOT NULL,
  reference     text,
  received_at   timestamptz NOT NULL DEFAULT now(),
  recorded_by   uuid,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX payments_invoice_id_idx ON payments (invoice_id);
CREATE INDEX payments_tenant_received_at_idx ON payments (tenant_id, received_at);
CREATE UNIQUE INDEX payments_tenant_reference_key ON payments (tenant_id, method, reference) WHERE reference IS NOT NULL;
