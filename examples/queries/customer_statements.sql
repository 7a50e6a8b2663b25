-- Customer portal: one JSON document per customer statement, built in SQL so
-- the API only has to stream it.

-- Statement for one customer: open invoices with their lines and payments.
SELECT jsonb_build_object(
         'customer', jsonb_build_object(
           'id', c.id,
           'name', c.display_name,
           'email', c.email,
           'vat_number', c.vat_number,
           'address', c.billing_address
         ),
         'generated_at', now(),
         'balance_cents', coalesce(sum(t.balance_cents), 0),
         'invoices', coalesce(
           jsonb_agg(
             jsonb_build_object(
               'number', t.number,
               'issued_on', t.issued_on,
               'due_on', t.due_on,
               'balance_cents', t.balance_cents,
               'lines', (
                 SELECT jsonb_agg(jsonb_build_object(
                          'description', l.description,
                          'quantity', l.quantity,
                          'unit_price_cents', l.unit_price_cents,
                          'total_cents', l.line_total_cents
                        ) ORDER BY l.position)
                 FROM invoice_lines AS l
                 WHERE l.invoice_id = t.invoice_id
               ),
               'payments', (
                 SELECT coalesce(jsonb_agg(jsonb_build_object(
                          'received_at', p.received_at,
                          'method', p.method,
                          'amount_cents', p.amount_cents
                        ) ORDER BY p.received_at), '[]'::jsonb)
                 FROM payments AS p
                 WHERE p.invoice_id = t.invoice_id
               )
             ) ORDER BY t.due_on
           ) FILTER (WHERE t.invoice_id IS NOT NULL),
           '[]'::jsonb
         )
       ) AS statement
FROM customers AS c
LEFT JOIN invoice_totals AS t
  ON t.customer_id = c.id
 AND t.status = 'open'
WHERE c.tenant_id = $1::uuid
  AND c.id = $2::uuid
GROUP BY c.id;

-- Customer search box (email is citext, so the equality is case-insensitive).
SELECT c.id, c.display_name, c.email, c.phone,
       count(i.id) FILTER (WHERE i.status = 'open') AS open_invoices,
       max(i.issued_on)                              AS last_invoiced_on
FROM customers AS c
LEFT JOIN invoices AS i ON i.customer_id = c.id
WHERE c.tenant_id = $1::uuid
  AND c.archived_at IS NULL
  AND (c.email = $2::citext OR c.display_name ILIKE '%' || $2::text || '%')
GROUP BY c.id
ORDER BY c.display_name
LIMIT 25;

-- Latest activity feed for a customer, from the partitioned audit log.
SELECT a.created_at, a.action, u.full_name AS actor, a.new_row -> 'status' AS new_status
FROM audit.audit_log AS a
LEFT JOIN users AS u ON u.id = a.actor_id
WHERE a.tenant_id = $1::uuid
  AND a.table_name = 'invoices'
  AND a.row_id IN (SELECT id FROM invoices WHERE customer_id = $2::uuid)
  AND a.created_at >= now() - interval '90 days'
ORDER BY a.created_at DESC
LIMIT 50;
