#!/usr/bin/env bash
# Replays every migration sequence in test/fixtures/schema-sequences/ into a real PostgreSQL
# and checks that:
#   - the clean/ files apply in order without any error;
#   - the broken/ files, applied in order with ON_ERROR_STOP=0, make PostgreSQL print exactly
#     the errors their markers name, in order: same count, same SQLSTATE, same message, and
#     each error is raised by the statement that ends on the line right above its marker.
#
# Marker format (on the line right after the offending statement):
#   -- error <SQLSTATE> at "<token>": <message>
# The token must occur in the offending statement.
#
# Usage: scripts/check-schema-sequences.sh [sequence-name-substring ...]
# Environment: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), CHECK_DB (pglens_seq_check).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$here/test/fixtures/schema-sequences"
host="${PGHOST:-127.0.0.1}"
port="${PGPORT:-5432}"
user="${PGUSER:-postgres}"
db="${CHECK_DB:-pglens_seq_check}"

export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

admin() {
  psql -X -q -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U "$user" -d postgres -c "$1" >/dev/null
}

fresh_db() {
  admin "DROP DATABASE IF EXISTS $db"
  admin "CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8'"
}

# Prints the expected errors of a sequence's broken/ files, one per line:
#   <file>\t<line of the statement's last line>\t<SQLSTATE>\t<message>
# and fails (exit 1, reason on stderr) when a marker is malformed, does not follow a line
# ending with ';', or names a token that does not occur in its statement.
expected_errors() {
  local file
  for file in "$@"; do
    awk -v F="$file" '
      function fail(msg) { printf "%s:%d: %s\n", F, NR, msg > "/dev/stderr"; bad = 1 }
      { line[NR] = $0 }
      /^-- error / {
        if (!match($0, /^-- error [0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z] at "/)) { fail("malformed marker"); next }
        code = substr($0, 10, 5)
        rest = substr($0, RLENGTH + 1)
        sep = index(rest, "\": ")
        if (sep == 0) { fail("malformed marker (no \": \")"); next }
        token = substr(rest, 1, sep - 1)
        msg = substr(rest, sep + 3)
        if (token == "" || msg == "") { fail("empty token or message"); next }
        prev = line[NR - 1]
        sub(/[ \t]+$/, "", prev)
        if (NR == 1 || prev !~ /;$/) { fail("marker does not follow the end of a statement"); next }
        # the statement: lines back to (not including) the previous line that ends a statement
        stmt = line[NR - 1]
        for (i = NR - 2; i >= 1; i--) {
          l = line[i]; sub(/[ \t]+$/, "", l)
          if (l ~ /;$/ || l ~ /^-- error /) break
          stmt = line[i] "\n" stmt
        }
        if (index(stmt, token) == 0) { fail("token " token " does not occur in the statement"); next }
        printf "%s\t%d\t%s\t%s\n", F, NR - 1, code, msg
      }
      END { exit bad }
    ' "$file" || return 1
  done
}

# Prints the errors psql reported, same format as expected_errors.
actual_errors() {
  # psql:/path/file.sql:12: ERROR:  42P01: relation "x" does not exist
  sed -n 's/^psql:\(.*\):\([0-9][0-9]*\): ERROR:  \([0-9A-Z]\{5\}\): \(.*\)$/\1\t\2\t\3\t\4/p' "$1"
}

pass=0
fail=0
failed=()
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for dir in "$root"/*/; do
  dir="${dir%/}"
  name="$(basename "$dir")"
  if [ "$#" -gt 0 ]; then
    keep=0
    for f in "$@"; do case "$name" in *"$f"*) keep=1 ;; esac; done
    [ "$keep" = 1 ] || continue
  fi
  problems=()

  mapfile -t clean < <(find "$dir/clean" -maxdepth 1 -name '*.sql' | sort)
  mapfile -t broken < <(find "$dir/broken" -maxdepth 1 -name '*.sql' | sort)
  if [ "${#clean[@]}" -lt 2 ] || [ "${#clean[@]}" -gt 5 ]; then
    problems+=("clean/ has ${#clean[@]} files (want 2 to 5)")
  fi
  cnames="$(for f in "${clean[@]}"; do basename "$f"; done)"
  bnames="$(for f in "${broken[@]}"; do basename "$f"; done)"
  if [ "$cnames" != "$bnames" ]; then
    problems+=("clean/ and broken/ do not hold the same file names")
  fi

  # clean: must apply without any error
  fresh_db
  for f in "${clean[@]}"; do
    if ! psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -h "$host" -p "$port" -U "$user" -d "$db" \
      -f "$f" >"$tmp/clean.out" 2>"$tmp/clean.err"; then
      problems+=("clean/$(basename "$f") failed: $(grep -m1 'ERROR' "$tmp/clean.err" || head -n1 "$tmp/clean.err")")
      break
    fi
  done

  # broken: the errors printed must be exactly the ones the markers name
  fresh_db
  : >"$tmp/broken.err"
  for f in "${broken[@]}"; do
    psql -X -q -v ON_ERROR_STOP=0 -v VERBOSITY=verbose -h "$host" -p "$port" -U "$user" -d "$db" \
      -f "$f" >/dev/null 2>>"$tmp/broken.err" || problems+=("broken/$(basename "$f"): psql exited $?")
  done
  if ! expected_errors "${broken[@]}" >"$tmp/expected" 2>"$tmp/markers.err"; then
    while IFS= read -r l; do problems+=("marker: ${l#"$root"/}"); done <"$tmp/markers.err"
  fi
  actual_errors "$tmp/broken.err" >"$tmp/actual"
  n_expected="$(wc -l <"$tmp/expected")"
  n_actual="$(wc -l <"$tmp/actual")"
  if [ "$n_expected" -eq 0 ]; then
    problems+=("broken/ has no error marker")
  fi
  if ! diff -q "$tmp/expected" "$tmp/actual" >/dev/null; then
    problems+=("expected $n_expected error(s), psql printed $n_actual; diff (< marker, > psql):")
    while IFS= read -r l; do problems+=("  ${l//$root\//}"); done < <(diff "$tmp/expected" "$tmp/actual" | grep '^[<>]')
  fi
  admin "DROP DATABASE IF EXISTS $db"

  if [ "${#problems[@]}" -eq 0 ]; then
    pass=$((pass + 1))
    printf 'ok    %s (%d files, %d error(s))\n' "$name" "${#clean[@]}" "$n_expected"
  else
    fail=$((fail + 1))
    failed+=("$name")
    printf 'FAIL  %s\n' "$name"
    for p in "${problems[@]}"; do printf '        %s\n' "$p"; done
  fi
done

echo
echo "schema-sequences: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
