#!/usr/bin/env bash
# Roles on the local server that must log in with a password (scram-sha-256), so the tests exercise
# pglens's password handling: every member of pglens_needs_password (among them pglens_e2e, for the
# e2e suite's password prompt). Test machines only; idempotent.
set -euo pipefail
PSQL=(psql -X -q -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1)
HBA=$("${PSQL[@]}" -Atc 'SHOW hba_file')
LINE="host all +pglens_needs_password 127.0.0.1/32 scram-sha-256"
if ! grep -qxF "$LINE" "$HBA"; then
  # First match wins in pg_hba.conf: this line goes before the trust rules.
  sed -i "1i $LINE" "$HBA"
fi
"${PSQL[@]}" -c "SET password_encryption = 'scram-sha-256'" -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pglens_needs_password') THEN CREATE ROLE pglens_needs_password NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pglens_e2e') THEN CREATE ROLE pglens_e2e LOGIN; END IF;
END \$\$" -c "GRANT pglens_needs_password TO pglens_e2e" -c "ALTER ROLE pglens_e2e PASSWORD 'pglens-e2e-secret'" -c "SELECT pg_reload_conf()" >/dev/null
echo "members of pglens_needs_password need a password on 127.0.0.1"
