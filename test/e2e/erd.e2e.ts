import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workbench } from './workbench';

/** The ER diagram in the real workbench: from the palette and the side bar, search, focus, export. */
// Not yet proven (issue #15 stays open): on 2026-12-02, run once beside a loaded CI, the side-bar test
// passed and the palette, search and export tests timed out waiting for the palette row and the
// webview's search field. Run it with PGLENS_E2E_ERD=1 until it has passed on a quiet machine.
describe.skipIf(process.env.PGLENS_E2E_ERD !== '1')('ER diagram in the real VS Code workbench (code-server)', () => {
  let workbench: Workbench;
  const view = () => workbench.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

  beforeAll(async () => {
    workbench = await Workbench.open();
  });

  afterAll(async () => {
    await workbench?.close();
  });

  it('opens from the command palette with the examples\' tables and the failing migration named', async () => {
    await workbench.command('pglens: Open ER Diagram');
    await view().locator('g.box.table').first().waitFor({ timeout: 180_000 });
    expect(await view().locator('g.box.table').count()).toBeGreaterThanOrEqual(8);
    expect(await view().locator('g.box[data-key="public.invoices"]').count()).toBe(1);
    expect(await view().locator('.edge.fk').count()).toBeGreaterThanOrEqual(10);
    await expect.poll(async () => view().locator('.banner').textContent()).toMatch(/20240315090000_create_credit_notes\.sql did not replay/);
    await workbench.screenshot('20-erd-palette');
  });

  it('searches, jumps to a table and focuses on it', async () => {
    const search = view().locator('vscode-textfield.search input');
    await search.click();
    await search.fill('invoice_lines');
    await expect.poll(async () => view().locator('.match-count').textContent()).toMatch(/^1 match/);
    await search.press('Enter');
    await view().locator('g.box.selected[data-key="public.invoice_lines"]').waitFor();
    await view().locator('vscode-button.focus-selected').click();
    await expect.poll(async () => view().locator('.status-line .mode').textContent()).toMatch(/around public\.invoice_lines, 1 hop/);
    // invoice_lines, what it references (invoices, products, tenants), the view reading it (invoice_totals).
    const keys = () => view().locator('g.box').evaluateAll((boxes) => boxes.map((box) => box.getAttribute('data-key') ?? '').sort());
    await expect.poll(async () => (await keys()).includes('public.users'), { timeout: 60_000 }).toBe(false);
    expect(await keys()).toEqual(expect.arrayContaining(['public.invoice_lines', 'public.invoices', 'public.products', 'public.tenants']));
    await workbench.screenshot('21-erd-focus');
  });

  it('exports the diagram as an SVG file that names every table shown', async () => {
    const file = path.join(workbench.workspace, 'erd.svg');
    await view().locator('vscode-button.export-svg').click();
    // code-server's save dialog is a quick input holding the default path.
    const input = workbench.page.locator('.quick-input-widget input');
    await input.waitFor();
    await workbench.page.keyboard.press('Enter');
    await expect.poll(() => fs.existsSync(file), { timeout: 30_000 }).toBe(true);
    const svg = fs.readFileSync(file, 'utf8');
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    for (const table of ['invoice_lines', 'invoices', 'products', 'tenants']) expect(svg).toContain(`>${table}</text>`);
    expect(svg).not.toContain('>users</text>');
  });

  it('opens from the side bar, focused on the table whose context menu was used', async () => {
    await workbench.page.locator('.activitybar .action-item a[aria-label^="pglens"]').first().click();
    const tree = workbench.page.locator('.pane-body .monaco-list[aria-label*="Schema"], .pane-body .monaco-list').first();
    await tree.waitFor();
    const publicSchema = workbench.page.locator('.monaco-list-row', { hasText: /^public/ }).first();
    await publicSchema.waitFor({ timeout: 180_000 });
    await publicSchema.click();
    const customers = workbench.page.locator('.monaco-list-row', { hasText: 'customers' }).first();
    await customers.waitFor();
    expect(await customers.textContent()).toMatch(/RLS on/);
    await customers.click({ button: 'right' });
    await workbench.page.locator('.monaco-menu .action-label', { hasText: 'Show Table in ER Diagram' }).first().click();
    await expect.poll(async () => view().locator('.status-line .mode').textContent(), { timeout: 60_000 }).toMatch(/around public\.customers/);
    await workbench.screenshot('22-erd-sidebar');
  });
});
