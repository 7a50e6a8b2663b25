/** `pglens --help`, and the usage lines of the plan and advice commands (kept apart from their modules, which load on demand). */
export const PLAN_USAGE = `  pglens explain [SQL | -f FILE] [--db URL] [--analyze] [--yes] [--format text|json|html] [--theme light|dark]
                                    EXPLAIN one statement: on --db (read-only, rolled back, with a timeout),
                                    else on the migrations of the current folder replayed (empty tables)
  pglens plan PLANFILE [--format text|json|html] [--theme light|dark]
                                    read EXPLAIN output (JSON or TEXT as psql prints it): figures and hints
`;

export const ADVISE_USAGE = `  pglens advise [SQL | -f FILE] --db URL [--format text|json] [--min-reduction 0.5]
                                    indexes that cut each statement's planner cost by at least half,
                                    costed with hypopg (read-only, reset afterwards), and the plan's hints
  pglens advise --workload --db URL [--top 20] [--format text|json]
                                    one index set for the statements pg_stat_statements says cost most
`;

export const RLS_USAGE = `  pglens rls test --role ROLE [--set KEY=VALUE]… [--sql STATEMENT] [DIR | --db URL] [--format json|text]
                                    what ROLE sees (visible/total rows per table), or whether STATEMENT
                                    is allowed as ROLE; always rolled back (pglens rls -h)
  pglens rls matrix [DIR | --db URL] [--role ROLE]… [--format json|text|html]
                                    roles × tables × SELECT/INSERT/UPDATE/DELETE: grants, policies, bypass
`;

export const ERD_USAGE = `  pglens erd [DIR | --db URL] [--schema NAME]… [--focus TABLE [--depth N]]
           [--format json|svg|html|mermaid|dot] [--output FILE] [--theme light|dark]
                                    the ER diagram of a live database, or of DIR's migrations replayed
`;

/** `pglens --help`: every command, and the options of `check`. */
export const USAGE = `pglens — PostgreSQL lint for SQL files and migrations

Usage:
  pglens check [paths…] [options]   check files and folders (recursively *.sql, *.pgsql, *.psql); default: .
  pglens schema [--db URL | DIR] [--format json|text]
                                    print the schema: of a live database, or of DIR's migrations replayed
  pglens diff --from <url|file|dir> --to <url|file|dir> [--format plain|auto|flyway|…] [--down]
                                    a verified migration from one schema to the other (pglens diff -h)
${ERD_USAGE}${PLAN_USAGE}${ADVISE_USAGE}${RLS_USAGE}
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
