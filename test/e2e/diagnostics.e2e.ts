import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workbench } from './workbench';

/** The user's first minute: open the examples folder, see the problems, hover a table. */
describe('pglens in the real VS Code workbench (code-server)', () => {
  let workbench: Workbench;

  beforeAll(async () => {
    workbench = await Workbench.open();
  });

  afterAll(async () => {
    await workbench?.close();
  });

  it('shows the language server running in the status bar', async () => {
    const status = workbench.page.locator('.statusbar-item', { hasText: 'pglens' }).first();
    await status.waitFor({ timeout: 60_000 });
    expect(await status.textContent()).toMatch(/pglens/);
    await workbench.screenshot('01-workbench');
  });

  it('underlines a syntax error and a schema error in a migration, listed in the Problems view', async () => {
    await workbench.openFile('migrations/20240415090000_set_payment_defaults.sql');
    await workbench.page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
    // Files that are not open are reported too (workspace diagnostics): no command needed. The view is
    // virtualised, so each expected problem is found through its filter box.
    await workbench.page.keyboard.press('Control+Shift+M');
    const filter = workbench.page.locator('.markers-panel-container .viewpane-filter input, .panel .viewpane-filter input').first();
    await filter.waitFor();
    for (const expected of ['relation "credit_note_reasons" does not exist', 'syntax error at or near "TABEL"', 'column i.total_cents does not exist', 'CREATE INDEX on invoices without CONCURRENTLY']) {
      await filter.fill(expected);
      await workbench.page.locator('.markers-panel .monaco-tl-row', { hasText: expected }).first().waitFor({ timeout: 90_000 });
    }
    await filter.fill('');
    await workbench.page.locator('.markers-panel .monaco-tl-row').first().waitFor();
    await workbench.screenshot('02-problems');
  });

  it('hovers a table with facts from the embedded shadow', async () => {
    await workbench.page.keyboard.press('Control+Shift+M'); // close the Problems panel again
    await workbench.openFile('queries/revenue_reports.sql');
    const hover = await workbench.hover('queries/revenue_reports.sql', 'invoices');
    expect(hover).toMatch(/table/);
    expect(hover).toMatch(/amount_cents/);
    await workbench.screenshot('03-hover');
  });

  it('applies the quick fix of an unsafe migration: CREATE INDEX becomes CONCURRENTLY', async () => {
    const file = 'migrations/20240401090000_speed_up_collections.sql';
    await workbench.openFile(file);
    const line = workbench.page.locator('.monaco-editor .view-line', { hasText: 'CREATE INDEX invoices_tenant_status_due_on_idx' }).first();
    await line.waitFor();
    await workbench.page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
    await line.click();
    await workbench.page.keyboard.press('Home');
    await workbench.page.keyboard.press('Control+.');
    const fix = workbench.page.locator('.action-widget .monaco-list-row', { hasText: 'Create the index CONCURRENTLY' }).first();
    await fix.waitFor({ timeout: 30_000 });
    await workbench.screenshot('04-quick-fix');
    await fix.click();
    await workbench.page.locator('.monaco-editor .view-line', { hasText: 'CREATE INDEX CONCURRENTLY invoices_tenant_status_due_on_idx' }).first().waitFor();
    await workbench.screenshot('05-quick-fix-applied');
  });
});
