/**
 * The plan visualizer in real Chromium, loaded from the standalone HTML (`planHtml` around the built
 * bundle) with plans captured from PostgreSQL 15. Without Chromium: fails when CI is set, skips otherwise.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExplainResult } from '../../protocol/plan';
import type { FromView, ToView } from '../../protocol/plan-view';
import { chromiumMissing, launchViewBrowser, ROOT } from './browser';
import type { ViewBrowser } from './browser';
import { loadFixture, planNodes, rawFixture } from './fixtures';

const missing = chromiumMissing();
if (missing && process.env.CI) throw new Error(`${missing} (CI is set, so the webview tests cannot be skipped)`);
/** Screenshots go to test-results/webviews; `PGLENS_DOC_SCREENSHOTS=1` refreshes the ones in docs/images instead. */
const SHOTS = process.env.PGLENS_DOC_SCREENSHOTS === '1' ? path.join(ROOT, 'docs/images') : path.join(ROOT, 'test-results/webviews');
fs.mkdirSync(SHOTS, { recursive: true });

// In-page code is written as strings: the root tsconfig has no DOM library (the view's own has).
const cardColours = (page: Page): Promise<string[]> => page.evaluate<string[]>("[...document.querySelectorAll('.pane-single .card')].map((card) => getComputedStyle(card).backgroundColor)");
const detailsText = (page: Page): Promise<string> => page.evaluate<string>("document.querySelector('.details').textContent");
const posted = (page: Page): Promise<FromView.Message[]> => page.evaluate<FromView.Message[]>('window.pglensPosted ?? []');
const bodyBackground = (page: Page): Promise<string> => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
const selectedId = (page: Page): Promise<string | undefined> => page.evaluate<string | undefined>("document.querySelector('.card.selected')?.dataset.id");
async function setMetric(page: Page, metric: string): Promise<void> {
  await page.evaluate(`(() => { const select = document.querySelector('.metric'); select.value = ${JSON.stringify(metric)}; select.dispatchEvent(new Event('change')); })()`);
}

describe.skipIf(missing !== undefined)('plan view in Chromium', { timeout: 120_000 }, () => {
  let vb: ViewBrowser;
  beforeAll(async () => {
    vb = await launchViewBrowser();
  });
  afterAll(async () => {
    await vb?.close();
  });

  it('draws a real 241-node plan (one card per node, or a summary of several), with no console error and no network', async () => {
    const plans = loadFixture('union-200');
    const page = await vb.open(plans, { title: 'union-200.sql' });
    expect(planNodes(plans[0]).length).toBe(241);
    // Every card but the root has one edge to its parent (plan-readable.test.ts counts the summarised nodes).
    const cards = await page.locator('.card').count();
    expect(cards).toBeGreaterThan(10);
    expect(await page.locator('.edges path').count()).toBe(cards - 1);
    expect(await page.textContent('.summary')).toContain('241 nodes');
    expect(await posted(page)).toContainEqual({ type: 'ready', restored: false });
    // Dark: the first hint clicked, so its node is selected and centred.
    await page.locator('.hint .hint-title').first().click();
    await expect.poll(() => selectedId(page)).toBe(String(plans[0].pglens!.hints[0].nodeId));
    await page.waitForTimeout(400); // the centring transition
    await page.screenshot({ path: path.join(SHOTS, 'plan-visualizer-dark.png') });
    const light = await vb.open(plans, { title: 'union-200.sql', theme: 'light' });
    expect(await bodyBackground(light)).toBe('rgb(255, 255, 255)');
    await light.screenshot({ path: path.join(SHOTS, 'plan-visualizer-light.png') });
    expect(await bodyBackground(page)).toBe('rgb(31, 31, 31)');
    expect(vb.errors).toEqual([]);
  });

  it('selects and centres the node of a clicked hint; the index button posts the fix request', async () => {
    const plans = loadFixture('join-before');
    const hint = plans[0].pglens!.hints.find((h) => h.index);
    expect(hint, 'the fixture has an index hint').toBeDefined();
    const node = planNodes(plans[0])[hint!.nodeId];
    const page = await vb.open(plans);
    expect(await page.locator('.hint').count()).toBe(plans[0].pglens!.hints.length);
    await page.locator('.hint', { hasText: hint!.title }).locator('.hint-title').click();
    await expect.poll(() => selectedId(page)).toBe(String(hint!.nodeId));
    const details = await detailsText(page);
    expect(details).toContain(String(node['Relation Name']));
    expect(details).toContain(String(node.Filter));
    // Centred: the selected card's middle is near the graph's middle once the transition ends.
    await expect
      .poll(async () => {
        const [card, graph] = await Promise.all([page.locator('.card.selected').boundingBox(), page.locator('.graph').boundingBox()]);
        return Math.abs(card!.x + card!.width / 2 - (graph!.x + graph!.width / 2)) + Math.abs(card!.y + card!.height / 2 - (graph!.y + graph!.height / 2));
      })
      .toBeLessThan(4);
    await page.locator('.hint', { hasText: hint!.title }).locator('.index-fix').click();
    const messages = await posted(page);
    expect(messages).toContainEqual({ type: 'nodeSelected', ref: { kind: 'single', index: 0 }, nodeId: hint!.nodeId });
    expect(messages).toContainEqual({ type: 'indexFix', ref: { kind: 'single', index: 0 }, hint, index: hint!.index });
    // After "Fit" the root is in view again; a click on a card shows its keys in the Node tab.
    await page.locator('.fit').click();
    await page.locator('.card[data-id="0"]').click();
    expect(await detailsText(page)).toContain(String(plans[0].Plan['Node Type']));
    expect(await page.isVisible('.details')).toBe(true);
    expect(vb.errors).toEqual([]);
  });

  it('recolours the cards when the metric changes, and highlights search matches', async () => {
    const plans = loadFixture('join-before');
    const page = await vb.open(plans);
    const byTime = await cardColours(page);
    await setMetric(page, 'rows');
    const byRows = await cardColours(page);
    expect(byRows).toHaveLength(byTime.length);
    expect(byRows).not.toEqual(byTime);
    await page.locator('.search input').fill('orders');
    const expected = planNodes(plans[0]).filter((n) => JSON.stringify([n['Relation Name'], n['Index Name'], n.Filter, n['Hash Cond'], n.Alias]).includes('orders')).length;
    expect(expected).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.card.match').count()).toBe(expected);
    expect(await page.textContent('.match-count')).toBe(`${expected} match${expected === 1 ? '' : 'es'}`);
    const dimmed = await page.evaluate<string>("getComputedStyle(document.querySelector('.card:not(.match)')).opacity");
    expect(Number(dimmed)).toBeLessThan(1);
    expect(vb.errors).toEqual([]);
  });

  it('shows a plan without ANALYZE and one without pglens figures', async () => {
    const costs = await vb.open(loadFixture('join-costs-only'));
    expect(await costs.locator('.card').count()).toBe(10);
    expect(await costs.textContent('.summary')).toContain('estimates only');
    expect(await costs.textContent('.card[data-id="0"]')).toContain('cost');
    const bare = rawFixture('join-before');
    const page = await vb.open(bare);
    expect(await page.locator('.card').count()).toBe(planNodes(bare[0]).length);
    expect(await page.locator('.hint').count()).toBe(0);
    expect(vb.errors).toEqual([]);
  });

  it('compares two plans side by side with time and cost deltas', async () => {
    const [before] = loadFixture('join-before');
    const [after] = loadFixture('join-after');
    const page = await vb.open([before]);
    const message: ToView.Compare = { type: 'compare', title: 'orders by status', before, after, labels: ['Before: no index', 'After: index on status'] };
    await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
    await page.waitForSelector('.pane-before .card');
    expect(await page.locator('.pane-before .card').count()).toBe(planNodes(before).length);
    expect(await page.locator('.pane-after .card').count()).toBe(planNodes(after).length);
    const deltas = (await page.textContent('.deltas')) ?? '';
    expect(deltas).toContain('Time');
    expect(deltas).toContain('Cost');
    expect(deltas).toMatch(/[+−]\d/);
    expect(await page.textContent('.pane-before .pane-label')).toBe('Before: no index');
    await page.screenshot({ path: path.join(SHOTS, 'plan-compare.png') });
    expect(vb.errors).toEqual([]);
  });

  it('restores selection, metric and tab after a reload', async () => {
    const plans: ExplainResult[] = loadFixture('join-before');
    const page = await vb.open(plans);
    await page.locator('.card[data-id="3"]').click();
    await setMetric(page, 'buffers');
    await page.waitForTimeout(400); // state is saved 250 ms after the last change
    await page.reload();
    await page.waitForSelector('body[data-drawn]');
    expect(await selectedId(page)).toBe('3');
    expect(await page.evaluate<string>("document.querySelector('.metric').value")).toBe('buffers');
    expect(await posted(page)).toContainEqual({ type: 'ready', restored: true });
    expect(fs.existsSync(path.join(ROOT, 'dist/webviews/plan.css'))).toBe(true);
    expect(vb.errors).toEqual([]);
  });
});
