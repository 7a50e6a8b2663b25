/**
 * The catalog queries, one per object kind. Their sources are `queries/*.sql`; they reach the bundles
 * through `queries.generated.ts` (string constants written by `scripts/build-queries.mjs`), because
 * esbuild bundles leave no .sql files next to the code at run time. After editing a .sql file, run
 * `node scripts/build-queries.mjs`; test/schema/queries-generated.test.ts fails while it is stale.
 */
export { QUERIES } from './queries.generated';
export type { QueryName } from './queries.generated';
