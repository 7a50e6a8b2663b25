-- Tenant isolation: the API sets app.tenant_id per transaction
--   SELECT set_config('app.tenant_id', '<uuid>', true);
-- and every tenant table only shows that tenant's rows.

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users
  USING (tenant_id = current_setting('app.tenant_id')::uuid);

ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON customers
  USING (tenant_id = current_setting('app.tenant_id')::uuid);

ALTER TABLE products ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON products
  USING (tenant_id = current_setting('app.tenant_id')::uuid);

ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoices
  USING (tenant_id = current_setting('app.tenant_id')::uuid);

ALTER TABLE invoice_lines ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoice_lines
  USING (tenant_id = current_setting('app.tenant_id')::uuid);

ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payments
  USING (tenant_id = current_setting('app.tenant_id')::uuid);

ALTER TABLE audit.audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit.audit_log
  USING (tenant_id = current_setting('app.tenant_id')::uuid);

-- Grants for the API role.
GRANT USAGE ON SCHEMA public, audit, reporting TO ledgerly_app;
GRANT SELECT ON tenants TO ledgerly_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON users, customers, products, invoices, invoice_lines, payments TO ledgerly_app;
GRANT SELECT, INSERT ON audit.audit_log TO ledgerly_app;

-- Documentation, shown in psql \d+ and in the admin UI (the team is in Lyon and Shanghai).
COMMENT ON TABLE tenants IS 'Sociétés clientes de Ledgerly (租户) 🏢';
COMMENT ON TABLE invoices IS 'Factures émises par un tenant — 发票 🧾';
COMMENT ON COLUMN invoices.amount_cents IS 'Montant TTC en centimes (金额，单位：分) 💶';
COMMENT ON TABLE payments IS 'Règlements reçus — 付款记录 ✅';
COMMENT ON POLICY tenant_isolation ON invoices IS 'Isolation par tenant : chaque requête ne voit que ses propres lignes 🔒';
