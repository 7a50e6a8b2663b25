/**
 * What the plan view looks like on open, measured in Chromium: the whole plan fits, no label is drawn
 * below 11 px on screen (subtrees are summarised instead), keyboard and screen-reader access, the
 * side lists (slowest nodes, hints by cause), exports; screenshots of a small plan, a real 241-node plan
 * and a comparison in light and dark (test-results/webviews, or docs/images with PGLENS_DOC_SCREENSHOTS=1).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToView } from '../../protocol/plan-view';
import { generatePlan } from '../bench/plan-generate';
import { chromiumMissing, launchViewBrowser, ROOT } from './browser';
import type { ViewBrowser } from './browser';
import { loadFixture, parseForView, planNodes } from './fixtures';

const missing = chromiumMissing();
if (missing && process.env.CI) throw new Error(`${missing} (CI is set, so the webview tests cannot be skipped)`);
const SHOTS = process.env.PGLENS_DOC_SCREENSHOTS === '1' ? path.join(ROOT, 'docs/images') : path.join(ROOT, 'test-results/webviews');
fs.mkdirSync(SHOTS, { recursive: true });

/** Smallest on-screen font size of any visible text in the cards, and whether every card is inside the pane. */
const MEASURE = `(() => {
  const out = { minPx: Infinity, smallest: '', cards: 0, outside: 0, represented: 0 };
  for (const graph of document.querySelectorAll('.graph')) {
    const k = graph.__zoom ? graph.__zoom.k : 1;
    const box = graph.getBoundingClientRect();
    for (const card of graph.querySelectorAll('.card')) {
      out.cards++;
      const r = card.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) out.outside++;
      const more = card.querySelector('.more');
      out.represented += card.classList.contains('cluster') ? Number(/\\+(\\d+)/.exec(card.textContent)[1]) : 1 + (more ? Number(/\\d+/.exec(more.textContent)[0]) : 0);
      for (const el of card.querySelectorAll('*')) {
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
        const style = getComputedStyle(el);
        if (!own || style.display === 'none' || style.visibility === 'hidden' || el.getClientRects().length === 0) continue;
        const px = parseFloat(style.fontSize) * k;
        if (px < out.minPx) { out.minPx = px; out.smallest = el.className + ': ' + el.textContent.trim().slice(0, 30); }
      }
    }
  }
  return out;
})()`;

interface Measure {
  minPx: number;
  smallest: string;
  cards: number;
  outside: number;
  represented: number;
}

describe.skipIf(missing !== undefined)('plan view: readable at fit', { timeout: 120_000 }, () => {
  let vb: ViewBrowser;
  beforeAll(async () => {
    vb = await launchViewBrowser();
  });
  afterAll(async () => {
    await vb?.close();
  });

  const cases: Array<[string, () => ReturnType<typeof loadFixture>, number]> = [
    ['small', () => loadFixture('join-before'), 0],
    ['200', () => loadFixture('union-200'), 241],
    ['deep-2000', () => parseForView(JSON.stringify([generatePlan(2000, 11)])), 2000],
  ];
  it.each(cases)('%s plan: fits on open, every node drawn or summarised, no label under 11 px', async (name, plans, size) => {
    for (const theme of ['light', 'dark'] as const) {
      const page = await vb.open(plans(), { title: `${name}.sql`, theme });
      const measure = await page.evaluate<Measure>(MEASURE);
      const nodes = planNodes(plans()[0]).length;
      if (size) expect(nodes).toBe(size);
      expect(measure.outside, 'cards outside the pane').toBe(0);
      expect(measure.represented, 'drawn + summarised nodes').toBe(nodes);
      expect(measure.minPx, `smallest label: ${measure.smallest}`).toBeGreaterThanOrEqual(11);
      if (name !== 'deep-2000') await page.screenshot({ path: path.join(SHOTS, `plan-${name}-${theme}.png`) });
      await page.close();
    }
    expect(vb.errors).toEqual([]);
  }, 120_000);

  it('opens a summary card, moves between nodes with the keyboard, and labels cards for screen readers', async () => {
    const plans = loadFixture('union-200');
    const page = await vb.open(plans);
    const before = await page.locator('.card').count();
    expect(await page.locator('.card.cluster').count()).toBeGreaterThan(0);
    await page.locator('.card.cluster').first().click();
    await expect.poll(() => page.locator('.card').count()).toBeGreaterThan(before);
    await page.locator('.graph').focus();
    await page.keyboard.press('ArrowDown');
    const first = await page.evaluate<string | undefined>("document.querySelector('.card.selected')?.dataset.id");
    expect(first).toBe('0');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate<string | undefined>("document.querySelector('.card.selected')?.dataset.id")).toBe(String(plans[0].Plan.Plans![0].pglens!.id));
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate<string | undefined>("document.querySelector('.card.selected')?.dataset.id")).toBe('0');
    const label = await page.locator('.card[data-id="0"]').getAttribute('aria-label');
    expect(label).toContain(String(plans[0].Plan['Node Type']));
    expect(await page.locator('.graph').getAttribute('role')).toBe('tree');
    expect(vb.errors).toEqual([]);
  }, 90_000);

  it('shows the node in the user\'s terms, the slowest nodes and the hints by cause', async () => {
    const plans = loadFixture('join-before');
    const page = await vb.open(plans, { theme: 'light' });
    await page.locator('vscode-tab-header', { hasText: 'Slowest' }).click();
    const slowest = await page.locator('.slowest li').allTextContents();
    expect(slowest.length).toBeGreaterThan(2);
    const times = planNodes(plans[0]).map((node) => node.pglens!.exclusiveTime ?? 0);
    const top = planNodes(plans[0])[times.indexOf(Math.max(...times))];
    expect(slowest[0]).toContain(top['Node Type']);
    await page.locator('.slowest li').first().click();
    const details = (await page.textContent('.details')) ?? '';
    expect(details).toMatch(/Time in this node.*% of the whole plan/);
    expect(details).toMatch(/Rows/);
    expect(details).not.toMatch(/exclusiveTime|#\d|depth/);
    const kinds = await page.locator('.hint-kind > summary').allTextContents();
    const expectedKinds = new Set(plans[0].pglens!.hints.map((hint) => hint.kind));
    expect(kinds.length).toBe(expectedKinds.size);
    for (const summary of kinds) expect(summary).toMatch(/\d+$/);
    await page.screenshot({ path: path.join(SHOTS, 'plan-node-details-light.png') });
    expect(vb.errors).toEqual([]);
  }, 90_000);

  it.each(['light', 'dark'] as const)('compares two plans (%s)', async (theme) => {
    const [before] = loadFixture('join-before');
    const [after] = loadFixture('join-after');
    const page = await vb.open([before], { theme });
    const message: ToView.Compare = { type: 'compare', title: 'orders by status', before, after, labels: ['Before: no index', 'After: index on status'] };
    await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
    await page.waitForSelector('.pane-after .card');
    await page.waitForTimeout(100);
    const measure = await page.evaluate<Measure>(MEASURE);
    expect(measure.minPx).toBeGreaterThanOrEqual(11);
    // Per node: the bitmap index scan is new; the scan of orders changed kind and is compared with the old one.
    expect(await page.locator('.pane-after .card', { hasText: 'Bitmap Ind' }).locator('.node-delta.new').count()).toBe(1);
    const scan = page.locator('.pane-after .card', { hasText: 'Bitmap He' }).locator('.node-delta');
    expect(await scan.getAttribute('title')).toMatch(/ms → .* ms/);
    await page.screenshot({ path: path.join(SHOTS, `plan-compare-${theme}.png`) });
    expect(vb.errors).toEqual([]);
  }, 90_000);

  it('exports the view as SVG and PNG and the plan as JSON', async () => {
    const plans = loadFixture('join-before');
    const page: Page = await vb.open(plans);
    const exportAs = async (value: string): Promise<string> => {
      const download = page.waitForEvent('download');
      await page.evaluate(`(() => { const s = document.querySelector('.export'); s.value = ${JSON.stringify(value)}; s.dispatchEvent(new Event('change')); })()`);
      const file = await (await download).path();
      return fs.readFileSync(file, value === 'png' ? 'latin1' : 'utf8');
    };
    const json = JSON.parse(await exportAs('json')) as Array<Record<string, unknown>>;
    expect(json[0].Plan).toMatchObject({ 'Node Type': plans[0].Plan['Node Type'] });
    const svg = await exportAs('svg');
    expect(svg).toMatch(/^<svg /);
    expect((svg.match(/<rect width=/g) ?? []).length).toBe(await page.locator('.card').count());
    const png = await exportAs('png');
    expect(png.slice(1, 4)).toBe('PNG');
    expect(vb.errors).toEqual([]);
  }, 90_000);
});
