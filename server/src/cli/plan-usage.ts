/** Kept apart from plans.ts so that the help text does not load the plan and database code. */
export const PLAN_USAGE = `  pglens explain [SQL | -f FILE] [--db URL] [--analyze] [--yes] [--format text|json|html] [--theme light|dark]
                                    EXPLAIN one statement: on --db (read-only, rolled back, with a timeout),
                                    else on the migrations of the current folder replayed (empty tables)
  pglens plan PLANFILE [--format text|json|html] [--theme light|dark]
                                    read EXPLAIN output (JSON or TEXT as psql prints it): figures and hints
`;
