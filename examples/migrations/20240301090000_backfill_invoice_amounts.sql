-- invoices.amount_cents was only written by the old PDF generator; recompute it
-- from the lines for every invoice, and fill paid_at for invoices already paid.

UPDATE invoices AS i
SET amount_cents = l.subtotal_cents
FROM (
  SELECT invoice_id, sum(line_total_cents) AS subtotal_cents
  FROM invoice_lines
  GROUP BY invoice_id
) AS l
WHERE l.invoice_id = i.id
  AND i.amount_cents IS DISTINCT FROM l.subtotal_cents;

UPDATE invoices AS i
SET paid_at = p.last_received_at
FROM (
  SELECT invoice_id, max(received_at) AS last_received_at
  FROM payments
  GROUP BY invoice_id
) AS p
WHERE p.invoice_id = i.id
  AND i.status = 'paid'
  AND i.paid_at IS NULL;
