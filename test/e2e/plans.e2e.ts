import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM helper shared with `npm run sandbox`
import { ROOT } from '../../scripts/e2e/code-server.mjs';
import { Workbench } from './workbench';

/**
 * A declarative schema for "Generate Migration from This Schema": the examples' two deliberately broken
 * migrations do not apply, so without them the others build the current schema; `pglens diff` from
 * nothing gives its DDL, and desired.sql adds one table to it.
 */
function writeDesiredSchema(workspace: string): void {
  for (const broken of ['20240315090000_create_credit_notes.sql', '20240415090000_set_payment_defaults.sql']) fs.rmSync(path.join(workspace, 'migrations', broken));
  fs.writeFileSync(path.join(workspace, 'empty.sql'), '');
  const current = spawnSync(process.execPath, [path.join(ROOT, 'bin/pglens.js'), 'diff', '--from', 'empty.sql', '--to', '.', '--format', 'plain', '--no-verify'], { cwd: workspace, encoding: 'utf8' });
  if (current.status !== 0) throw new Error(`pglens diff failed: ${current.stderr}`);
  fs.writeFileSync(path.join(workspace, 'desired.sql'), `${current.stdout}\nCREATE TABLE audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text NOT NULL);\n`);
}

/** Plans and migrations in the real workbench: hover a query's plan, open the visualizer, generate a migration. */
describe('plans and generated migrations in the real VS Code workbench (code-server)', () => {
  let workbench: Workbench;

  beforeAll(async () => {
    workbench = await Workbench.open({}, writeDesiredSchema);
  });

  afterAll(async () => {
    await workbench?.close();
  });

  it('hovers a query\'s leading keyword with its plan, planned on the embedded shadow', async () => {
    await workbench.openFile('queries/revenue_reports.sql');
    const hover = await workbench.hover('queries/revenue_reports.sql', 'WITH');
    expect(hover).toMatch(/Plan · cost [\d.,]+ · \d+ rows · generic plan for `?\$n`? · embedded shadow \(PostgreSQL 18/);
    expect(hover).toMatch(/tables are empty/);
    await workbench.screenshot('10-plan-hover');
  });

  it('opens the plan visualizer on the statement under the cursor', async () => {
    await workbench.page.keyboard.press('Escape');
    await workbench.page.locator('.monaco-editor .view-line', { hasText: 'WITH monthly AS (' }).first().click();
    await workbench.command('pglens: Explain Statement (show plan)');
    const view = workbench.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await view.locator('.card').first().waitFor({ timeout: 60_000 });
    expect(await view.locator('.card').count()).toBeGreaterThan(3);
    expect(await view.locator('.card .type', { hasText: 'Sort' }).count()).toBeGreaterThan(0);
    await workbench.screenshot('11-plan-visualizer');
  });

  it('generates a verified migration from a declarative schema file, in the workspace\'s convention', async () => {
    const migrations = path.join(workbench.workspace, 'migrations');
    const before = new Set(fs.readdirSync(migrations));
    await workbench.openFile('desired.sql');
    await workbench.command('pglens: Generate Migration from This Schema');
    const written = workbench.page.locator('.notifications-toasts .notification-toast', { hasText: 'wrote a' }).first();
    await written.waitFor({ timeout: 180_000 });
    expect(await written.textContent()).toMatch(/wrote a plain migration with \d+ changes? \(verification: passed/);
    const added = fs.readdirSync(migrations).filter((file) => !before.has(file));
    expect(added).toHaveLength(1);
    expect(fs.readFileSync(path.join(migrations, added[0]), 'utf8')).toMatch(/CREATE TABLE "public"\."audit_log"/);
    await workbench.screenshot('12-generated-migration');
  });
});
