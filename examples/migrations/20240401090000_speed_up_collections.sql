-- The collections screen lists open invoices by due date; it got slow.
-- Also enforce that payments.recorded_by points at a real user.

-- deliberate mistake: CREATE INDEX without CONCURRENTLY on the big invoices table (blocks writes while it builds)
CREATE INDEX invoices_tenant_status_due_on_idx ON invoices (tenant_id, status, due_on);

-- deliberate mistake: foreign key added to the existing payments table without NOT VALID (validates every row under lock)
ALTER TABLE payments ADD CONSTRAINT payments_recorded_by_fkey FOREIGN KEY (recorded_by) REFERENCES users (id);
