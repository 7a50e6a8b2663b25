import * as crypto from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { PgDatabase } from '../../server/src/db/pg';
import { loadParser } from '../../server/src/sql/parser';
import { TEST_DATABASE_URL } from '../integration/database';
import { defineScenarioTests, dropRolesDdl, roleDdl, rolesWithPrefix, scenarioDdl } from './scenario';
import type { ScenarioContext } from './scenario';

/** Roles are cluster-wide on the shared server: each run makes its own, prefixed pglens_rls_, and drops them. */
describe.skipIf(!TEST_DATABASE_URL)('pglens rls test on the real server, against SET ROLE directly', () => {
  const suffix = crypto.randomBytes(3).toString('hex');
  const database = `pglens_rls_${suffix}`;
  const roles = rolesWithPrefix(`pglens_rls_${suffix}_`);
  let admin: Client | undefined;
  let raw: Client | undefined;
  let context: ScenarioContext | undefined;
  const urlOf = (name: string): string => {
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = `/${name}`;
    return url.toString();
  };

  beforeAll(async () => {
    await loadParser();
    admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.query(roleDdl(roles));
    raw = new Client({ connectionString: urlOf(database) });
    await raw.connect();
    await raw.query(scenarioDdl(roles));
    const db = await PgDatabase.connect({ config: { connectionString: urlOf(database) } });
    const client = raw;
    context = {
      db,
      roles,
      // The oracle: a separate pg connection in a transaction rolled back.
      direct: async (statements) => {
        await client.query('BEGIN');
        try {
          let last = { rows: [] as Array<Record<string, unknown>>, rowCount: 0 };
          for (const statement of statements) {
            const result = await client.query(statement.sql, statement.params);
            last = { rows: result.rows, rowCount: result.rowCount ?? 0 };
          }
          return last;
        } catch (error) {
          const e = error as { code: string; message: string };
          return { code: e.code, message: e.message };
        } finally {
          await client.query('ROLLBACK');
        }
      },
    };
  }, 240_000);

  afterAll(async () => {
    await context?.db.close();
    await raw?.end();
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.query(dropRolesDdl(roles));
      await admin.end();
    }
  });

  defineScenarioTests(() => {
    if (!context) throw new Error('the scenario database is not open');
    return context;
  });
});
