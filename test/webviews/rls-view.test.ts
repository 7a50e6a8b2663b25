import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RlsFromView, RlsToView } from '../../protocol/rls';
import { PgliteDatabase } from '../../server/src/db/pglite';
import { asDatabaseError } from '../../server/src/db/port';
import { buildMatrix } from '../../server/src/rls/matrix';
import { loadRlsModel } from '../../server/src/rls/model';
import { testAsRole } from '../../server/src/rls/tester';
import { loadParser } from '../../server/src/sql/parser';
import { CHROMIUM, ROOT, chromiumMissing } from './browser';

/** Screenshots go to test-results/webviews; `PGLENS_DOC_SCREENSHOTS=1` refreshes the ones in docs/images instead. */
const SHOTS = process.env.PGLENS_DOC_SCREENSHOTS === '1' ? path.join(ROOT, 'docs/images') : path.join(ROOT, 'test-results/webviews');
const WORKSPACE = path.join(ROOT, 'test/fixtures/workspaces/rls-supabase/supabase');

/**
 * The RLS Policies view in Chromium, fed with what the engine answers on PGlite for the rls-supabase
 * fixture (its migration and seed): the extension's side is played by this test, with the real answers.
 */
describe.skipIf(chromiumMissing() !== undefined)('RLS Policies webview', { timeout: 180_000 }, () => {
  let db: PgliteDatabase;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    await loadParser();
    db = await PgliteDatabase.open();
    for (const file of fs.readdirSync(path.join(WORKSPACE, 'migrations'))) await db.exec(fs.readFileSync(path.join(WORKSPACE, 'migrations', file), 'utf8'));
    await db.exec(fs.readFileSync(path.join(WORKSPACE, 'seed.sql'), 'utf8'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await db?.close();
  });

  async function open(theme: 'light' | 'dark'): Promise<Page> {
    const script = fs.readFileSync(path.join(ROOT, 'dist/webviews/rls.js'), 'utf8');
    const css = fs.readFileSync(path.join(ROOT, 'dist/webviews/rls.css'), 'utf8');
    const file = path.join(SHOTS, `.rls-${theme}.html`);
    fs.writeFileSync(file, `<!doctype html><html data-pglens-theme="${theme}"><head><meta charset="utf-8"><style>${css}</style></head><body class="vscode-${theme}"><script>${script.replace(/<\/script/g, '<\\/script')}</script></body></html>`);
    const page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`file://${file}`);
    fs.rmSync(file);
    const model = await loadRlsModel(db, { roles: ['app_user', 'postgres'] });
    await send(page, { type: 'model', source: 'shadow', sourceLabel: 'embedded shadow', result: { ok: true, model, matrix: buildMatrix(model, ['app_user', 'postgres']) } });
    await page.waitForSelector('.table-card');
    return page;
  }
  // Page scripts as strings: the tests compile without the DOM library.
  const send = (page: Page, message: RlsToView): Promise<void> => page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
  const posted = (page: Page): Promise<RlsFromView[]> => page.evaluate<RlsFromView[]>('window.pglensPosted ?? []');
  const tab = (page: Page, index: number): Promise<void> => page.evaluate(`void (document.querySelector('.tabs').selectedIndex = ${index})`);
  const setField = (page: Page, selector: string, value: string, event: 'change' | 'input'): Promise<void> =>
    page.evaluate(`(() => { const field = document.querySelector(${JSON.stringify(selector)}); field.value = ${JSON.stringify(value)}; field.dispatchEvent(new Event('${event}')); })()`);
  const waitPosted = (page: Page, type: string, pattern = ''): Promise<unknown> =>
    page.waitForFunction(`(window.pglensPosted ?? []).some((m) => m.type === ${JSON.stringify(type)} && JSON.stringify(m).includes(${JSON.stringify(pattern)}))`, undefined, { timeout: 20_000 });

  it('shows each table’s state and policies, asks for the model first', async () => {
    const page = await open('dark');
    expect((await posted(page)).slice(0, 2)).toEqual([{ type: 'ready' }, { type: 'load', source: 'shadow' }]);
    const text = await page.locator('.tables').innerText();
    expect(text).toContain('public.invoices');
    expect(text).toContain('invoices_tenant');
    expect(text).toContain('No policy: every role but the owner sees no rows.');
    await page.screenshot({ path: path.join(SHOTS, 'rls-tables-dark.png') });
    await page.close();
  });

  it('builds a tenant policy from its template; PostgreSQL accepts it in the database; tests it as a role', async () => {
    const page = await open('light');
    await tab(page, 1);
    // The view picked public.audit (first table); choose invoices and the tenant template.
    await setField(page, '.f-table', 'public.invoices', 'change');
    await setField(page, '.f-roles', 'app_user', 'input');
    await waitPosted(page, 'check', 'app_user');
    const check = (await posted(page)).reverse().find((message): message is Extract<RlsFromView, { type: 'check' }> => message.type === 'check')!;
    expect(check.sql).toContain('CREATE POLICY "invoices_tenant_isolation" ON "public"."invoices"');
    expect(check.sql).toContain(`(SELECT pg_catalog.current_setting('app.tenant_id')::bigint)`);
    // PostgreSQL's verdict on the template's SQL, as the server gives it (savepoint, rolled back).
    await db.query('BEGIN');
    let verdict: { ok: true } | { ok: false; stage: 'postgres'; message: string } = { ok: true };
    try {
      await db.exec(check.sql);
    } catch (error) {
      verdict = { ok: false, stage: 'postgres', message: asDatabaseError(error)?.message ?? String(error) };
    } finally {
      await db.query('ROLLBACK');
    }
    expect(verdict).toEqual({ ok: true });
    await send(page, { type: 'checked', sql: check.sql, result: verdict });
    await page.waitForSelector('.check.allowed');
    await page.screenshot({ path: path.join(SHOTS, 'rls-editor-light.png') });

    await page.locator('.test-draft').click();
    await waitPosted(page, 'test');
    const test = (await posted(page)).find((message): message is Extract<RlsFromView, { type: 'test' }> => message.type === 'test')!;
    expect(test.params).toMatchObject({ source: 'shadow', role: 'app_user', settings: [['app.tenant_id', '1']], draft: check.sql });
    const answer = await testAsRole(db, { role: test.params.role, settings: test.params.settings, setup: test.params.draft, sampleRows: 3 }, { inTransaction: false });
    await send(page, { type: 'tested', result: { ok: true, counts: answer as never } });
    await page.waitForSelector('.results table');
    const results = await page.locator('.results').innerText();
    expect(results).toMatch(/public\.invoices\s+3\s+10/);
    expect(results).toMatch(/public\.audit\s+denied \(42501\)\s+4/);
    await page.screenshot({ path: path.join(SHOTS, 'rls-test-light.png') });

    await tab(page, 1);
    await page.locator('.save').click();
    const saved = (await posted(page)).find((message): message is Extract<RlsFromView, { type: 'save' }> => message.type === 'save')!;
    expect(saved.params.up).toBe(check.sql);
    expect(saved.params.down).toContain('DROP POLICY "invoices_tenant_isolation" ON "public"."invoices"');
    await page.close();
  });

  it('shows the matrix for a role', async () => {
    const page = await open('dark');
    await tab(page, 3);
    const text = await page.locator('.matrix').innerText();
    expect(text).toMatch(/public\.invoices\s+invoices_tenant/);
    expect(text).toContain('no grant');
    await page.screenshot({ path: path.join(SHOTS, 'rls-matrix-dark.png') });
    await page.close();
    expect(errors).toEqual([]);
  });
});
