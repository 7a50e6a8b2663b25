-- Bulk import of invoice lines uploaded as CSV; the API converts the CSV to a
-- JSON array and passes it as $3.

INSERT INTO invoice_lines (tenant_id, invoice_id, product_id, position, description, quantity, unit_price_cents)
SELECT $1::uuid,
       $2::uuid,
       p.id,
       ((SELECT coalesce(max(x.position), 0) FROM invoice_lines AS x WHERE x.invoice_id = $2::uuid) + row_number() OVER ())::smallint,
       coalesce(l.description, p.name),
       l.quantity,
       coalesce(l.unit_price_cents, p.unit_price_cents)
-- deliberate mistake: missing comma between the column definitions "description text" and "quantity numeric(12, 3)" (syntax error)
FROM jsonb_to_recordset($3::jsonb) AS l(sku text, description text quantity numeric(12, 3), unit_price_cents bigint)
LEFT JOIN products AS p ON p.tenant_id = $1::uuid AND p.sku = l.sku
RETURNING id, line_total_cents;

-- Then refresh the cached total on the invoice.
UPDATE invoices AS i
SET amount_cents = (
  SELECT coalesce(sum(l.line_total_cents), 0)
  FROM invoice_lines AS l
  WHERE l.invoice_id = i.id
)
WHERE i.id = $2::uuid
  AND i.tenant_id = $1::uuid
RETURNING i.amount_cents;
