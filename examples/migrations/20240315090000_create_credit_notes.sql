-- Credit notes (avoirs) cancel all or part of an issued invoice.

CREATE TABLE credit_notes (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  invoice_id    uuid NOT NULL REFERENCES invoices (id),
  number        text NOT NULL,
  -- deliberate mistake: foreign key to credit_note_reasons, a table no migration creates
  reason_code   text NOT NULL REFERENCES credit_note_reasons (code),
  amount_cents  bigint NOT NULL CHECK (amount_cents > 0),
  issued_on     date NOT NULL DEFAULT current_date,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT credit_notes_tenant_number_key UNIQUE (tenant_id, number)
);
