import { Client } from 'pg';

/**
 * The real PostgreSQL server for integration tests. Unset: those tests are skipped (a laptop without a
 * server). Set but unreachable: they fail, so CI can never pass by skipping them.
 */
export const TEST_DATABASE_URL = process.env.PGLENS_TEST_DATABASE_URL;

export async function connectTestDatabase(): Promise<Client> {
  if (!TEST_DATABASE_URL) throw new Error('PGLENS_TEST_DATABASE_URL is not set');
  const client = new Client({ connectionString: TEST_DATABASE_URL, application_name: 'pglens-tests', connectionTimeoutMillis: 5000, statement_timeout: 5000 });
  await client.connect();
  return client;
}
