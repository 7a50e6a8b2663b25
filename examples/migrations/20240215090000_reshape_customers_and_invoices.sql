-- February clean-up after the first customer interviews:
--   * customers.name becomes display_name (the legal name goes into billing_address),
--   * tax_id becomes vat_number, customers get a phone number and a country,
--   * invoices.notes was never used: replaced by footer_text; invoices get paid_at.

ALTER TABLE customers RENAME COLUMN name TO display_name;
ALTER TABLE customers RENAME COLUMN tax_id TO vat_number;
ALTER TABLE customers ADD COLUMN phone text;

-- deliberate mistake: ADD COLUMN ... NOT NULL without a DEFAULT on the existing customers table (fails as soon as the table has rows)
ALTER TABLE customers ADD COLUMN country_code char(2) NOT NULL;

ALTER TABLE invoices DROP COLUMN notes;
ALTER TABLE invoices ADD COLUMN footer_text text;
ALTER TABLE invoices ADD COLUMN paid_at timestamptz;
