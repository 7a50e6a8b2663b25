import { afterAll, beforeAll, describe } from 'vitest';
import { PgliteDatabase } from '../../server/src/db/pglite';
import { loadParser } from '../../server/src/sql/parser';
import { defineScenarioTests, roleDdl, rolesWithPrefix, scenarioDdl } from './scenario';
import type { ScenarioContext } from './scenario';

describe('pglens rls test on PGlite, against SET ROLE directly', () => {
  let context: ScenarioContext | undefined;

  beforeAll(async () => {
    await loadParser();
    const db = await PgliteDatabase.open();
    const roles = rolesWithPrefix('pglens_rls_');
    await db.exec(roleDdl(roles) + scenarioDdl(roles));
    const pglite = db.pglite;
    context = {
      db,
      roles,
      // The oracle: PGlite's own query API in a transaction rolled back.
      direct: async (statements) => {
        await pglite.query('BEGIN');
        try {
          let last = { rows: [] as Array<Record<string, unknown>>, rowCount: 0 };
          for (const statement of statements) {
            const result = await pglite.query<Record<string, unknown>>(statement.sql, statement.params);
            last = { rows: result.rows, rowCount: /^\s*SELECT/i.test(statement.sql) ? result.rows.length : (result.affectedRows ?? 0) };
          }
          return last;
        } catch (error) {
          const e = error as { code: string; message: string };
          return { code: e.code, message: e.message };
        } finally {
          await pglite.query('ROLLBACK');
        }
      },
    };
  }, 240_000);

  afterAll(async () => {
    await context?.db.close();
  });

  defineScenarioTests(() => {
    if (!context) throw new Error('the scenario database is not open');
    return context;
  });
});
