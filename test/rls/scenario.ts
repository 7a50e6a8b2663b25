import { expect, it } from 'vitest';
import type { RlsCountsResult, RlsStatementResult } from '../../protocol/rls';
import type { Database } from '../../server/src/db/port';
import { buildMatrix } from '../../server/src/rls/matrix';
import { loadRlsModel } from '../../server/src/rls/model';
import { RlsUsageError, testAsRole } from '../../server/src/rls/tester';

/**
 * One row-level security scenario, run on the real server and on PGlite. Every `pglens rls test`
 * answer is compared with what PostgreSQL itself gives when the same role is taken directly
 * (`set_config('role', …)` + `SELECT count(*)`, or the statement itself), and with the counts the
 * scenario was designed for, so that both being wrong the same way still fails.
 */
export interface Roles {
  owner: string;
  app: string;
  member: string;
  bypass: string;
  nogrant: string;
  /** A name with a double quote, a single quote and a semicolon. */
  weird: string;
}

export function rolesWithPrefix(prefix: string): Roles {
  return {
    owner: `${prefix}owner`,
    app: `${prefix}app`,
    member: `${prefix}member`,
    bypass: `${prefix}bypass`,
    nogrant: `${prefix}nogrant`,
    weird: `${prefix}we"ir'd;role`,
  };
}

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export function roleDdl(roles: Roles): string {
  return `
CREATE ROLE ${q(roles.owner)};
CREATE ROLE ${q(roles.app)};
CREATE ROLE ${q(roles.member)} INHERIT;
GRANT ${q(roles.app)} TO ${q(roles.member)};
CREATE ROLE ${q(roles.bypass)} BYPASSRLS;
CREATE ROLE ${q(roles.nogrant)};
CREATE ROLE ${q(roles.weird)};`;
}

export function dropRolesDdl(roles: Roles): string {
  return Object.values(roles).map((role) => `DROP ROLE IF EXISTS ${q(role)};`).join('\n');
}

/** Tables, rows, policies and grants (run by a superuser, after roleDdl). */
export function scenarioDdl(roles: Roles): string {
  const { owner, app, bypass, nogrant, weird } = roles;
  return `
CREATE SCHEMA app;
GRANT USAGE ON SCHEMA app TO ${q(app)}, ${q(bypass)}, ${q(nogrant)}, ${q(weird)}, ${q(owner)};

-- Tenant isolation, OR-ed with a second permissive policy (big invoices visible to all app users).
CREATE TABLE app.invoices (id int PRIMARY KEY, tenant_id int NOT NULL, amount int NOT NULL);
INSERT INTO app.invoices SELECT g, 1 + g % 3, g * 100 FROM generate_series(1, 10) g;
ALTER TABLE app.invoices OWNER TO ${q(owner)};
ALTER TABLE app.invoices ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON app.invoices TO ${q(app)}
  USING (tenant_id = current_setting('app.tenant_id')::int)
  WITH CHECK (tenant_id = current_setting('app.tenant_id')::int);
CREATE POLICY big ON app.invoices FOR SELECT TO ${q(app)} USING (amount >= 900);
GRANT SELECT, INSERT, UPDATE, DELETE ON app.invoices TO ${q(app)};

-- A restrictive policy AND-ed with a permissive one.
CREATE TABLE app.docs (id int PRIMARY KEY, tenant_id int NOT NULL, published boolean NOT NULL);
INSERT INTO app.docs SELECT g, 1 + g % 2, g % 3 = 0 FROM generate_series(1, 12) g;
ALTER TABLE app.docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY docs_tenant ON app.docs USING (tenant_id = current_setting('app.tenant_id', true)::int);
CREATE POLICY docs_published ON app.docs AS RESTRICTIVE FOR SELECT USING (published);
GRANT SELECT ON app.docs TO ${q(app)};

-- FORCE: the owner obeys the policies (none cover it: no rows).
CREATE TABLE app.forced (id int PRIMARY KEY);
INSERT INTO app.forced SELECT generate_series(1, 5);
ALTER TABLE app.forced OWNER TO ${q(owner)};
ALTER TABLE app.forced ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.forced FORCE ROW LEVEL SECURITY;
CREATE POLICY forced_app ON app.forced TO ${q(app)} USING (true);
GRANT SELECT ON app.forced TO ${q(app)};

-- A SECURITY DEFINER function inside a policy reads a table the role cannot.
CREATE TABLE app.members (user_name text NOT NULL, tenant_id int NOT NULL);
INSERT INTO app.members VALUES ('alice', 1), ('alice', 2), ('bob', 3);
ALTER TABLE app.members ENABLE ROW LEVEL SECURITY;
CREATE FUNCTION app.my_tenants() RETURNS SETOF int LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog
  AS $$ SELECT tenant_id FROM app.members WHERE user_name = current_setting('app.user', true) $$;
CREATE TABLE app.projects (id int PRIMARY KEY, tenant_id int NOT NULL);
INSERT INTO app.projects SELECT g, 1 + g % 3, FROM generate_series(1, 9) g;
ALTER TABLE app.projects ENABLE ROW LEVEL SECURITY;
CREATE POLICY projects_member ON app.projects TO ${q(app)} USING (tenant_id IN (SELECT app.my_tenants()));
GRANT SELECT ON app.projects TO ${q(app)};

-- Settings and role names with quotes and semicolons are values and names.
CREATE TABLE app.notes (id int PRIMARY KEY, label text NOT NULL);
INSERT INTO app.notes VALUES (1, 'plain'), (2, 'it''s; "quoted"'), (3, '''; DROP TABLE app.notes; --');
ALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_label ON app.notes USING (label = current_setting('app.label', true));
GRANT SELECT ON app.notes TO ${q(weird)};

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA app TO ${q(bypass)};
`.replace('1 + g % 3, FROM', '1 + g % 3 FROM');
}

/** The database under test and a raw way to ask PostgreSQL directly (the oracle). */
export interface ScenarioContext {
  db: Database;
  roles: Roles;
  /** Runs statements in one transaction that is rolled back, on a raw driver (not pglens's code). */
  direct: (statements: Array<{ sql: string; params?: unknown[] }>) => Promise<{ rows: Array<Record<string, unknown>>; rowCount: number } | { code: string; message: string }>;
}

type Setting = [string, string];

async function directCount(context: ScenarioContext, role: string, settings: Setting[], table: string): Promise<number | string> {
  const result = await context.direct([
    ...settings.map(([key, value]) => ({ sql: 'SELECT set_config($1, $2, true)', params: [key, value] })),
    { sql: "SELECT set_config('role', $1, true)", params: [role] },
    { sql: `SELECT count(*) AS count FROM ${table}` },
  ]);
  return 'code' in result ? result.code : Number(result.rows[0].count);
}

async function directStatement(context: ScenarioContext, role: string, settings: Setting[], sql: string): Promise<RlsStatementResult> {
  const result = await context.direct([
    ...settings.map(([key, value]) => ({ sql: 'SELECT set_config($1, $2, true)', params: [key, value] })),
    { sql: "SELECT set_config('role', $1, true)", params: [role] },
    { sql },
  ]);
  return 'code' in result ? { allowed: false, sqlstate: result.code, message: result.message } : { allowed: true, rowCount: result.rowCount };
}

async function checksum(context: ScenarioContext, table: string): Promise<string> {
  const result = await context.direct([{ sql: `SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS sum FROM ${table} t` }]);
  if ('code' in result) throw new Error(result.message);
  return String(result.rows[0].sum);
}

export function defineScenarioTests(current: () => ScenarioContext): void {
  const test = async (role: string, settings: Setting[]): Promise<RlsCountsResult> => {
    const { db } = current();
    return (await testAsRole(db, { role, settings }, { inTransaction: false })) as RlsCountsResult;
  };
  const statement = async (role: string, settings: Setting[], sql: string): Promise<RlsStatementResult> =>
    (await testAsRole(current().db, { role, settings, sql }, { inTransaction: false })) as RlsStatementResult;

  /** Asserts the tester's answer for `table` equals PostgreSQL's direct answer and the designed one. */
  const expectTable = async (answer: RlsCountsResult, settings: Setting[], table: string, designed: number | string, total: number): Promise<void> => {
    const entry = answer.tables.find((candidate) => candidate.table === table);
    expect(entry, `${table} listed`).toBeDefined();
    const direct = await directCount(current(), answer.role, settings, table);
    const ours = entry!.denied ?? entry!.visible;
    expect(ours, `${answer.role} on ${table} vs SET ROLE + count(*)`).toBe(direct);
    expect(ours, `${answer.role} on ${table} as designed`).toBe(designed);
    expect(entry!.total).toBe(total);
  };

  it('tenant settings and permissive policies OR-ed', async () => {
    const { app } = current().roles;
    for (const tenant of ['1', '2', '3']) {
      const settings: Setting[] = [['app.tenant_id', tenant]];
      const answer = await test(app, settings);
      // ids 1..10, tenant 1 + id % 3 (3, 4 and 3 rows); amount id*100 ≥ 900 for ids 9 and 10 (tenants 1 and 2).
      const designed = { '1': 3 + 1, '2': 4 + 1, '3': 3 + 2 }[tenant]!;
      await expectTable(answer, settings, 'app.invoices', designed, 10);
    }
  });

  it('restrictive policies AND-ed with permissive ones', async () => {
    const settings: Setting[] = [['app.tenant_id', '1']];
    const answer = await test(current().roles.app, settings);
    // ids 1..12, tenant 1 + id % 2 = 1 → even ids; published id % 3 = 0 → 6 and 12.
    await expectTable(answer, settings, 'app.docs', 2, 12);
  });

  it('the owner bypasses RLS unless FORCE is set', async () => {
    const answer = await test(current().roles.owner, []);
    await expectTable(answer, [], 'app.invoices', 10, 10);
    await expectTable(answer, [], 'app.forced', 0, 5);
  });

  it('BYPASSRLS sees every row', async () => {
    const answer = await test(current().roles.bypass, []);
    await expectTable(answer, [], 'app.invoices', 10, 10);
    await expectTable(answer, [], 'app.forced', 5, 5);
    await expectTable(answer, [], 'app.docs', 12, 12);
  });

  it('membership through GRANT role applies the parent role’s policies and grants', async () => {
    const settings: Setting[] = [['app.tenant_id', '3']];
    const answer = await test(current().roles.member, settings);
    await expectTable(answer, settings, 'app.invoices', 5, 10);
    await expectTable(answer, settings, 'app.forced', 5, 5);
  });

  it('a missing table grant is denied with 42501', async () => {
    const answer = await test(current().roles.nogrant, []);
    await expectTable(answer, [], 'app.invoices', '42501', 10);
    const app = await test(current().roles.app, [['app.tenant_id', '1']]);
    await expectTable(app, [['app.tenant_id', '1']], 'app.members', '42501', 3);
  });

  it('a SECURITY DEFINER function inside a policy reads what the role cannot', async () => {
    for (const [user, designed] of [['alice', 6], ['bob', 3], ['nobody', 0]] as const) {
      const settings: Setting[] = [['app.user', user]];
      await expectTable(await test(current().roles.app, settings), settings, 'app.projects', designed, 9);
    }
  });

  it('WITH CHECK on INSERT and UPDATE, each answer equal to running the statement as the role', async () => {
    const { app } = current().roles;
    const settings: Setting[] = [['app.tenant_id', '1']];
    const cases: Array<[string, boolean, number?]> = [
      ['INSERT INTO app.invoices VALUES (100, 1, 5)', true, 1],
      ['INSERT INTO app.invoices VALUES (101, 2, 5)', false],
      ['UPDATE app.invoices SET amount = amount + 1 WHERE tenant_id = 1', true, 3],
      ['UPDATE app.invoices SET tenant_id = 2 WHERE id = 3', false],
      ['DELETE FROM app.invoices', true, 3],
      ['SELECT * FROM app.invoices', true, 4],
    ];
    for (const [sql, allowed, rowCount] of cases) {
      const ours = await statement(app, settings, sql);
      const direct = await directStatement(current(), app, settings, sql);
      expect(ours, sql).toEqual(direct);
      expect(ours.allowed, sql).toBe(allowed);
      if (ours.allowed) expect(ours.rowCount, sql).toBe(rowCount);
      else expect(ours).toMatchObject({ sqlstate: '42501', message: 'new row violates row-level security policy for table "invoices"' });
    }
  });

  it('a writing statement is rolled back: the data checksums the same before and after', async () => {
    const before = await checksum(current(), 'app.invoices');
    const answer = await statement(current().roles.bypass, [], 'DELETE FROM app.invoices');
    expect(answer).toEqual({ allowed: true, rowCount: 10 });
    expect(await statement(current().roles.bypass, [], 'UPDATE app.invoices SET amount = 0')).toEqual({ allowed: true, rowCount: 10 });
    expect(await checksum(current(), 'app.invoices')).toBe(before);
    // and the session is back to its own role
    const { rows } = await current().db.query<{ user: string }>('SELECT current_user AS "user"');
    expect(rows[0].user).not.toBe(current().roles.bypass);
  });

  it('role names and settings with quotes and ; are names and values, never SQL', async () => {
    const { weird } = current().roles;
    const before = await checksum(current(), 'app.notes');
    for (const [label, designed] of [['it\'s; "quoted"', 1], ["'; DROP TABLE app.notes; --", 1], ['none', 0]] as const) {
      const settings: Setting[] = [['app.label', label]];
      const answer = await test(weird, settings);
      await expectTable(answer, settings, 'app.notes', designed, 3);
    }
    // PostgreSQL itself judges a setting's name: this one it refuses as a name.
    const badKey = testAsRole(current().db, { role: weird, settings: [["app.x'y;z", 'v']] }, { inTransaction: false });
    await expect(badKey).rejects.toThrow(/cannot set "app.x'y;z": invalid configuration parameter name/);
    expect(await checksum(current(), 'app.notes')).toBe(before);
  });

  it('an unknown role is an error naming it and listing the roles', async () => {
    const { db, roles } = current();
    const attempt = testAsRole(db, { role: 'pglens_rls_nobody"; DROP', settings: [] }, { inTransaction: false });
    await expect(attempt).rejects.toBeInstanceOf(RlsUsageError);
    await expect(attempt).rejects.toThrow(/role "pglens_rls_nobody\\"; DROP" does not exist; roles: .*pglens_rls_/);
    await expect(attempt).rejects.toThrow(roles.app);
  });

  it('refuses a --sql that is not one INSERT, UPDATE, DELETE or SELECT', async () => {
    const { db, roles } = current();
    await expect(testAsRole(db, { role: roles.app, settings: [], sql: 'DROP TABLE app.invoices' }, { inTransaction: false })).rejects.toThrow(/not DropStmt|not Drop/);
    await expect(testAsRole(db, { role: roles.app, settings: [], sql: 'SELECT 1; SELECT 2' }, { inTransaction: false })).rejects.toThrow(RlsUsageError);
  });

  it('the matrix agrees with what each role sees', async () => {
    const { db, roles } = current();
    const names = [roles.owner, roles.app, roles.member, roles.bypass, roles.nogrant];
    const matrix = buildMatrix(await loadRlsModel(db, { roles: names }), names);
    const cell = (role: string, table: string, command = 'SELECT') => matrix.cells.find((c) => c.role === role && c.table === table && c.command === command)!;
    expect(cell(roles.owner, 'app.invoices').bypass).toBe('owner without FORCE');
    expect(cell(roles.owner, 'app.forced').effect).toBe('no rows');
    expect(cell(roles.bypass, 'app.docs').bypass).toBe('bypassrls');
    expect(cell(roles.nogrant, 'app.invoices').effect).toBe('denied');
    expect(cell(roles.member, 'app.invoices').policies.map((p) => p.name)).toEqual(['big', 'tenant']);
    expect(cell(roles.app, 'app.docs').policies.map((p) => [p.name, p.permissive])).toEqual([['docs_published', false], ['docs_tenant', true]]);
    expect(cell(roles.app, 'app.invoices', 'INSERT').policies.map((p) => p.name)).toEqual(['tenant']);
    // Each SELECT cell against the role's own count: denied ⇔ 42501, all rows ⇔ visible = total, no rows ⇔ 0.
    for (const role of names) {
      const answer = await test(role, [['app.tenant_id', '1']]);
      for (const entry of answer.tables.filter((t) => t.table.startsWith('app.'))) {
        const effect = cell(role, entry.table).effect;
        if (effect === 'denied') expect(entry.denied, `${role} ${entry.table}`).toBe('42501');
        if (effect === 'all rows') expect(entry.visible, `${role} ${entry.table}`).toBe(entry.total);
        if (effect === 'no rows') expect(entry.visible, `${role} ${entry.table}`).toBe(0);
      }
    }
  });
}
