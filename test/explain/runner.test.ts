import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDatabase } from '../../server/src/db/pg';
import { PgliteDatabase } from '../../server/src/db/pglite';
import type { Database } from '../../server/src/db/port';
import { quoteIdent } from '../../server/src/sql/quote';
import { explain } from '../../server/src/explain/runner';
import type { ExplainOutcome } from '../../server/src/explain/runner';
import { loadParser } from '../../server/src/sql/parser';
import { TEST_DATABASE_URL } from '../integration/database';
import { databaseChecksum, safetySetup, sideEffectStatements } from './safety';

const engines: Array<{ name: string; open: () => Promise<Database>; enabled: boolean }> = [
  { name: 'PGlite', open: () => PgliteDatabase.open(), enabled: true },
  { name: 'PostgreSQL server', open: () => PgDatabase.connect({ config: { connectionString: TEST_DATABASE_URL } }), enabled: TEST_DATABASE_URL !== undefined },
];

const planOf = (outcome: ExplainOutcome): { Plan: Record<string, unknown> } => {
  if (!outcome.ok) throw new Error(`expected a plan, got: ${outcome.message}`);
  return (JSON.parse(outcome.output) as Array<{ Plan: Record<string, unknown> }>)[0];
};

for (const engine of engines) {
  describe.skipIf(!engine.enabled)(`EXPLAIN on ${engine.name}`, () => {
    const schema = `pglens_explain_${randomBytes(4).toString('hex')}`;
    const s = quoteIdent(schema);
    let db: Database;

    beforeAll(async () => {
      await loadParser();
      db = await engine.open();
      await db.exec(safetySetup(schema));
    }, 60_000);

    afterAll(async () => {
      await db?.exec(`DROP SCHEMA IF EXISTS ${s} CASCADE`).catch(() => undefined);
      await db?.close();
    });

    it('leaves the database unchanged for every statement with side effects, planned or analyzed without confirmation', async () => {
      const before = await databaseChecksum(db, schema);
      for (const statement of sideEffectStatements(schema)) {
        await explain(db, statement);
        await explain(db, statement, { analyze: true });
        await explain(db, statement, { format: 'text', verbose: true });
      }
      expect(await databaseChecksum(db, schema)).toBe(before);
    });

    it('refuses several statements, DDL, CALL, COPY, DO and TRUNCATE before reaching the database', async () => {
      const statements = sideEffectStatements(schema);
      const starting = (prefix: string): string => statements.find((statement) => statement.startsWith(prefix))!;
      const refused = (sql: string) => explain(db, sql).then((outcome) => (outcome.ok ? '' : outcome.reason + ': ' + outcome.message));
      expect(await refused(starting('SELECT * FROM'))).toBe('refused: EXPLAIN takes exactly one statement; this text holds 2.');
      expect(await refused(starting('DROP'))).toMatch(/^refused: EXPLAIN plans queries .* not DROP/);
      expect(await refused(starting('CALL'))).toMatch(/^refused: .* not CALL\.$/);
      expect(await refused(starting('COPY'))).toMatch(/^refused: .* not COPY\.$/);
      expect(await refused(starting('DO'))).toMatch(/^refused: .* not DO\.$/);
      expect(await refused(starting('TRUNCATE'))).toMatch(/^refused: .* not TRUNCATE/);
      expect(await refused('EXPLAIN SELECT 1')).toMatch(/already an EXPLAIN/);
      expect(await refused('SELEC 1')).toMatch(/^refused: The statement does not parse: syntax error at or near "SELEC"/);
    });

    it('plans without running: a DELETE is planned, its rows stay', async () => {
      const plan = planOf(await explain(db, `DELETE FROM ${s}.items WHERE id < 100`));
      expect(plan.Plan['Node Type']).toBe('ModifyTable');
      expect(plan.Plan.Operation).toBe('Delete');
      expect(plan.Plan['Actual Rows']).toBeUndefined();
    });

    it('asks before EXPLAIN ANALYZE of a SELECT calling a user-defined or volatile function; once confirmed it still runs read-only', async () => {
      const select = await explain(db, `SELECT count(*) FROM ${s}.items`, { analyze: true });
      expect(planOf(select).Plan['Actual Rows']).toBe(1);
      expect(await explain(db, `SELECT ${s}.touch()`, { analyze: true })).toMatchObject({ ok: false, reason: 'needs-confirmation' });
      const writing = await explain(db, `SELECT ${s}.touch()`, { analyze: true, confirmedWrites: true });
      expect(writing.ok).toBe(false);
      if (!writing.ok) {
        expect(writing.error?.code).toBe('25006');
        expect(writing.message).toMatch(/^The statement tried to write, so pglens stopped it/);
      }
      expect(await explain(db, `SELECT nextval('${schema}.items_id_seq')`, { analyze: true })).toMatchObject({ ok: false, reason: 'needs-confirmation' });
      const nextval = await explain(db, `SELECT nextval('${schema}.items_id_seq')`, { analyze: true, confirmedWrites: true });
      expect(nextval.ok ? '' : nextval.error?.code).toBe('25006');
    });

    it('asks before EXPLAIN ANALYZE of a data change, and rolls it back once confirmed (sequence values excepted)', async () => {
      const insert = `INSERT INTO ${s}.items (name) VALUES ('new') RETURNING id`;
      const unconfirmed = await explain(db, insert, { analyze: true });
      expect(unconfirmed).toMatchObject({ ok: false, reason: 'needs-confirmation' });
      if (!unconfirmed.ok) expect(unconfirmed.message).toMatch(/sequence values it consumes are not given back/);
      const cte = await explain(db, `WITH gone AS (DELETE FROM ${s}.items RETURNING *) SELECT count(*) FROM gone`, { analyze: true });
      expect(cte).toMatchObject({ ok: false, reason: 'needs-confirmation' });

      const rows = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.items`)).rows[0].n;
      const before = await rows();
      const confirmed = await explain(db, insert, { analyze: true, confirmedWrites: true });
      expect(planOf(confirmed).Plan['Actual Rows']).toBe(1);
      const update = await explain(db, `UPDATE ${s}.items SET price = 0`, { analyze: true, confirmedWrites: true });
      expect(planOf(update).Plan.Operation).toBe('Update');
      expect(await rows()).toBe(before);
      expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.items WHERE price = 0`)).rows[0].n).toBe(0);
    });

    it('plans statements with parameters generically, and refuses to ANALYZE them', async () => {
      const generic = await explain(db, `UPDATE ${s}.items SET price = $1 WHERE id = $2`);
      expect(generic.ok && generic.generic).toBe(true);
      expect(planOf(generic).Plan['Node Type']).toBe('ModifyTable');
      const analyzed = await explain(db, `SELECT * FROM ${s}.items WHERE id = $1`, { analyze: true });
      expect(analyzed.ok ? '' : analyzed.message).toMatch(/needs values for \$1/);
      // The prepared statement used before 16 does not outlive the EXPLAIN.
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements`);
      expect(rows[0].n).toBe(0);
    });

    it('stops an EXPLAIN ANALYZE at the timeout with a clear message', async () => {
      const slow = await explain(db, `SELECT pg_sleep(2)`, { analyze: true, confirmedWrites: true, timeoutMs: 200 });
      if (engine.name === 'PGlite') {
        // PGlite honours no statement_timeout (the shadow worker's watchdog stops runaway statements): the plan comes back, analyzed.
        expect(slow.ok && slow.analyzed).toBe(true);
        return;
      }
      expect(slow.ok ? '' : slow.message).toBe('EXPLAIN was stopped after 0.2 s (statement_timeout); raise pglens.explain.timeoutMs to wait longer.');
    });

    it('gives TEXT output as PostgreSQL prints it', async () => {
      const text = await explain(db, `SELECT * FROM ${s}.items WHERE price > 100 ORDER BY name`, { format: 'text' });
      expect(text.ok && text.output).toMatch(/^Sort {2}\(cost=/);
    });

    it('plans inside a caller-owned transaction without disturbing it', async () => {
      await db.exec('BEGIN');
      try {
        await db.exec(`CREATE TABLE ${s}.fresh (id int)`);
        const plan = planOf(await explain(db, `SELECT * FROM ${s}.fresh`, { nested: true }));
        expect(plan.Plan['Relation Name']).toBe('fresh');
        const refused = await explain(db, `SELECT ${s}.touch()`, { analyze: true, nested: true });
        expect(refused.ok).toBe(false);
        // The caller's transaction is intact: its table is still there.
        const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.fresh`);
        expect(rows[0].n).toBe(0);
      } finally {
        await db.exec('ROLLBACK');
      }
    });
  });
}
