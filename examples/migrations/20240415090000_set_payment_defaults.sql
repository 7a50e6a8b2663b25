-- Defaults the new mobile app relies on when it records a payment.

ALTER TABLE payments ALTER COLUMN currency SET DEFAULT 'EUR';

-- deliberate mistake: keyword typo TABEL instead of TABLE (syntax error)
ALTER TABEL payments ALTER COLUMN method SET DEFAULT 'bank_transfer';

COMMENT ON COLUMN payments.method IS 'Moyen de paiement — 付款方式 (virement par défaut) 🏦';
