import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_CACHE_DIR } from '../lsp/client';
import { runPglens } from './run';

const ROOT = path.join(__dirname, '../..');
const WORKSPACE = path.join(ROOT, 'test/fixtures/workspaces/rls-supabase');
const rls = (args: string[], cwd = ROOT) => runPglens(cwd, ['rls', ...args, '--cache-dir', TEST_CACHE_DIR]);

/** The built CLI in the shadow: the workspace's migrations replayed, supabase/seed.sql loaded. */
// Each run opens the embedded shadow: seconds on an idle machine, much more on a loaded one.
describe('pglens rls (shadow)', { timeout: 300_000 }, () => {
  it('counts what a role sees per table, in the JSON contract', () => {
    const result = rls(['test', '--role', 'app_user', '--set', 'app.tenant_id=1', WORKSPACE]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // tenants 1 + g % 3 over g = 1..10: tenant 1 has g = 3, 6, 9.
    expect(JSON.parse(result.stdout)).toEqual({
      role: 'app_user',
      tables: [
        { table: 'public.audit', denied: '42501', total: 4 },
        { table: 'public.invoices', visible: 3, total: 10 },
      ],
    });
  });

  it('answers a statement: WITH CHECK refuses another tenant’s row', () => {
    const refused = rls(['test', '--role', 'app_user', '--set', 'app.tenant_id=1', '--sql', 'INSERT INTO invoices (tenant_id, amount_cents) VALUES (2, 1)', WORKSPACE]);
    expect(refused.code).toBe(0);
    expect(JSON.parse(refused.stdout)).toEqual({ allowed: false, sqlstate: '42501', message: 'new row violates row-level security policy for table "invoices"' });
    const allowed = rls(['test', '--role', 'app_user', '--set', 'app.tenant_id=1', '--sql', 'UPDATE invoices SET amount_cents = 0', WORKSPACE]);
    expect(JSON.parse(allowed.stdout)).toEqual({ allowed: true, rowCount: 3 });
  });

  it('says the tables are empty when there is no seed', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-rls-'));
    try {
      fs.cpSync(WORKSPACE, copy, { recursive: true });
      fs.rmSync(path.join(copy, 'supabase/seed.sql'));
      const result = rls(['test', '--role', 'app_user', '--set', 'app.tenant_id=1', '--format', 'text', copy]);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/no seed file .*tables are empty/);
      expect(result.stdout).toContain('public.invoices: 0 of 0 rows');
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('takes the seed from pglens.json', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-rls-'));
    try {
      fs.cpSync(WORKSPACE, copy, { recursive: true });
      fs.renameSync(path.join(copy, 'supabase/seed.sql'), path.join(copy, 'rows.sql'));
      fs.writeFileSync(path.join(copy, 'pglens.json'), JSON.stringify({ rls: { seed: 'rows.sql' } }));
      const result = rls(['test', '--role', 'app_user', '--set', 'app.tenant_id=2', copy]);
      expect(JSON.parse(result.stdout).tables[1]).toEqual({ table: 'public.invoices', visible: 4, total: 10 });
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('bad input: --set without =, an unknown role, a statement that is not DML', () => {
    const noEquals = rls(['test', '--role', 'app_user', '--set', 'app.tenant_id', WORKSPACE]);
    expect(noEquals.code).toBe(2);
    expect(noEquals.stderr).toContain("--set takes KEY=VALUE, got 'app.tenant_id'");
    const unknown = rls(['test', '--role', 'nobody', WORKSPACE]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/role "nobody" does not exist; roles: .*app_user/);
  });

  it('prints the matrix with grants, policies and why RLS is bypassed', () => {
    const result = rls(['matrix', '--format', 'json', '--role', 'app_user', '--role', 'postgres', WORKSPACE]);
    expect(result.code).toBe(0);
    const matrix = JSON.parse(result.stdout) as { cells: Array<{ role: string; table: string; command: string; effect: string; bypass?: string; policies: Array<{ name: string; using?: string }> }> };
    const cell = (role: string, table: string, command: string) => matrix.cells.find((c) => c.role === role && c.table === table && c.command === command);
    expect(cell('app_user', 'public.invoices', 'SELECT')).toMatchObject({ effect: 'policies', policies: [{ name: 'invoices_tenant' }] });
    expect(cell('app_user', 'public.invoices', 'SELECT')?.policies[0].using).toContain("current_setting('app.tenant_id'");
    expect(cell('app_user', 'public.audit', 'SELECT')).toMatchObject({ effect: 'denied' });
    expect(cell('postgres', 'public.audit', 'DELETE')).toMatchObject({ effect: 'all rows', bypass: 'superuser' });
  });
});
