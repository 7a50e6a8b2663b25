-- Writes done by the invoicing API.

-- Create or update a product from the catalog form (unique per tenant + SKU).
INSERT INTO products (tenant_id, sku, name, description, unit_price_cents, currency, tax_rate)
VALUES ($1::uuid, $2, $3, $4, $5::bigint, $6, $7::numeric)
ON CONFLICT (tenant_id, sku) DO UPDATE
SET name             = EXCLUDED.name,
    description      = EXCLUDED.description,
    unit_price_cents = EXCLUDED.unit_price_cents,
    currency         = EXCLUDED.currency,
    tax_rate         = EXCLUDED.tax_rate,
    active           = true
RETURNING id, (xmax = 0) AS inserted;

-- Create a draft invoice with the next number for the tenant.
INSERT INTO invoices (tenant_id, customer_id, number, currency, created_by)
SELECT $1::uuid,
       $2::uuid,
       to_char(current_date, 'YYYY') || '-' || lpad((count(*) + 1)::text, 5, '0'),
       $3,
       $4::uuid
FROM invoices
WHERE tenant_id = $1::uuid
  AND number LIKE to_char(current_date, 'YYYY') || '-%'
RETURNING id, number;

-- Add a line to a draft invoice.
-- deliberate mistake: the table is invoice_lines, not invoice_line
INSERT INTO invoice_line (tenant_id, invoice_id, product_id, position, description, quantity, unit_price_cents)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4::smallint, $5, $6::numeric, $7::bigint)
RETURNING id, line_total_cents;

-- Sync the catalog from the accounting package's JSON export.
MERGE INTO products AS p
USING (
  SELECT $1::uuid AS tenant_id, x.sku, x.name, x.unit_price_cents, x.active
  FROM jsonb_to_recordset($2::jsonb) AS x(sku text, name text, unit_price_cents bigint, active boolean)
) AS s
ON p.tenant_id = s.tenant_id AND p.sku = s.sku
WHEN MATCHED AND NOT s.active THEN
  UPDATE SET active = false
WHEN MATCHED THEN
  UPDATE SET name = s.name, unit_price_cents = s.unit_price_cents, active = true
WHEN NOT MATCHED AND s.active THEN
  INSERT (tenant_id, sku, name, unit_price_cents)
  VALUES (s.tenant_id, s.sku, s.name, s.unit_price_cents);

-- Record a payment and mark the invoice paid once it is fully settled.
WITH payment AS (
  INSERT INTO payments (tenant_id, invoice_id, amount_cents, currency, method, reference, recorded_by)
  VALUES ($1::uuid, $2::uuid, $3::bigint, $4, $5::payment_method, $6, $7::uuid)
  RETURNING invoice_id, amount_cents
)
UPDATE invoices AS i
SET status = 'paid',
    paid_at = now()
FROM payment
WHERE i.id = payment.invoice_id
  AND i.status = 'open'
  AND (SELECT t.balance_cents FROM invoice_totals AS t WHERE t.invoice_id = i.id) <= payment.amount_cents
RETURNING i.id, i.status;
