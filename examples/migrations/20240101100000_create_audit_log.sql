-- Append-only audit trail, range-partitioned on created_at with one partition per year.

CREATE TABLE audit.audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY,
  tenant_id   uuid NOT NULL,
  actor_id    uuid,
  action      text NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'login', 'export')),
  table_name  text,
  row_id      uuid,
  old_row     jsonb,
  new_row     jsonb,
  ip_address  inet,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE TABLE audit.audit_log_2024 PARTITION OF audit.audit_log
  FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00');

CREATE TABLE audit.audit_log_2025 PARTITION OF audit.audit_log
  FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2026-01-01 00:00:00+00');

CREATE INDEX audit_log_tenant_created_at_idx ON audit.audit_log (tenant_id, created_at DESC);
CREATE INDEX audit_log_row_idx ON audit.audit_log (table_name, row_id);
