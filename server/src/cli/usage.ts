import { ERD_USAGE } from './erd';
import { PLAN_USAGE } from './plans';

/** `pglens --help`: every command, and the options of `check`. */
export const USAGE = `pglens — PostgreSQL lint for SQL files and migrations

Usage:
  pglens check [paths…] [options]   check files and folders (recursively *.sql, *.pgsql, *.psql); default: .
  pglens schema [--db URL | DIR] [--format json|text]
                                    print the schema: of a live database, or of DIR's migrations replayed
  pglens diff --from <url|file|dir> --to <url|file|dir> [--format plain|auto|flyway|…] [--down]
                                    a verified migration from one schema to the other (pglens diff -h)
  ${ERD_USAGE}${PLAN_USAGE}
A folder given alone is a workspace: its migrations are found by convention (Supabase, dbmate,
golang-migrate, Flyway, goose, Prisma, or a folder of ordered .sql files) and replayed in order into
an embedded PostgreSQL, so each migration is checked against the schema the ones before it produce.
Other SQL files are checked against that schema, or against --db.

Options:
  --db URL                            check files that are not migrations against this live database
                                      (read-only: PostgreSQL analyses each query, nothing runs)
  --shadow embedded|server            where migrations are replayed: PGlite in process (default), or a
                                      scratch database pglens creates and drops on the --db server
  --no-schema                         syntax and migration rules only: no database at all
  --since REF                         tables created by migrations added since this git ref are new in
                                      this deploy: locking or rewriting them is harmless
  --cache-dir DIR                     where the embedded database is cached (default: ~/.cache/pglens)
  --reporter text|json|sarif|github   output format (default: text)
  --max-warnings N                    exit 1 when there are more than N warnings
  --max-file-size MB                  skip files larger than this (default: 10)
  --no-plpgsql                        do not parse PL/pgSQL function bodies
  -h, --help                          show this help
  -v, --version                       print the version

Exit codes: 0 no errors, 1 errors (or too many warnings), 2 bad usage.
`;
