-- Views used by the dashboard and the accounting export.

-- security_invoker makes the view respect the RLS policies of the caller.
CREATE VIEW invoice_totals WITH (security_invoker = true) AS
SELECT
  i.id                                               AS invoice_id,
  i.tenant_id,
  i.customer_id,
  i.number,
  i.status,
  i.currency,
  i.issued_on,
  i.due_on,
  coalesce(l.subtotal_cents, 0)                      AS subtotal_cents,
  coalesce(p.paid_cents, 0)                          AS paid_cents,
  coalesce(l.subtotal_cents, 0) - coalesce(p.paid_cents, 0) AS balance_cents,
  coalesce(l.line_count, 0)                          AS line_count
FROM invoices AS i
LEFT JOIN (
  SELECT invoice_id, sum(line_total_cents) AS subtotal_cents, count(*) AS line_count
  FROM invoice_lines
  GROUP BY invoice_id
) AS l ON l.invoice_id = i.id
LEFT JOIN (
  SELECT invoice_id, sum(amount_cents) AS paid_cents
  FROM payments
  GROUP BY invoice_id
) AS p ON p.invoice_id = i.id;

GRANT SELECT ON invoice_totals TO ledgerly_app;

-- Refreshed nightly by the scheduler: REFRESH MATERIALIZED VIEW CONCURRENTLY reporting.monthly_revenue;
CREATE MATERIALIZED VIEW reporting.monthly_revenue AS
SELECT
  p.tenant_id,
  date_trunc('month', p.received_at)::date AS month,
  p.currency,
  count(*)                                 AS payment_count,
  count(DISTINCT p.invoice_id)             AS invoice_count,
  sum(p.amount_cents)                      AS revenue_cents
FROM payments AS p
GROUP BY p.tenant_id, date_trunc('month', p.received_at)::date, p.currency
WITH NO DATA;

CREATE UNIQUE INDEX monthly_revenue_key ON reporting.monthly_revenue (tenant_id, month, currency);

COMMENT ON MATERIALIZED VIEW reporting.monthly_revenue IS 'Chiffre d''affaires encaissé par mois — 月度收入 📈';
