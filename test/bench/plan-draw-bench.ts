/**
 * Plan visualizer draw time in Chromium: from the moment the view has the 2,000-node plan's data (before
 * JSON.parse of the standalone page's data element) to the frame that shows it (layout + DOM + first
 * paint, measured in the page: performance.now() after requestAnimationFrame). Median of 5 page loads.
 */
import type { ExplainResult } from '../../protocol/plan';
import { chromiumMissing, launchViewBrowser } from '../webviews/browser';
import { loadFixture, parseForView } from '../webviews/fixtures';
import { generatePlan } from './plan-generate';

interface Row {
  measure: string;
  value: string;
  target: string;
  ok?: boolean;
}

const TARGET_MS = 1000;

export async function benchPlanDraw(): Promise<Row[]> {
  const missing = chromiumMissing();
  if (missing) return [{ measure: 'plan visualizer: draw a 2,000-node plan', value: `not measured: ${missing}`, target: `≤ ${TARGET_MS} ms`, ok: false }];
  // Through the engine's parser, as the extension would get it (figures and hints).
  const big = parseForView(JSON.stringify([generatePlan(2000)]))[0];
  const vb = await launchViewBrowser();
  try {
    const measure = async (plans: ExplainResult[]): Promise<number> => {
      const runs: number[] = [];
      for (let k = 0; k < 5; k++) {
        const page = await vb.open(plans, { title: 'bench' });
        const timing = await page.evaluate<{ received: number; drawn: number; nodes: number }>('window.pglensTiming');
        runs.push(timing.drawn - timing.received);
        await page.close();
      }
      return median(runs);
    };
    const big2000 = await measure([big]);
    const real241 = await measure(loadFixture('union-200'));
    const frames = await panZoomFrames(vb, [big]);
    if (vb.errors.length > 0) throw new Error(`the plan view logged errors: ${vb.errors.join('; ')}`);
    return [
      { measure: 'plan visualizer: 2,000-node plan, data → drawn (parse + layout + DOM + first paint), Chromium', value: `${big2000.toFixed(0)} ms`, target: `≤ ${TARGET_MS} ms`, ok: big2000 <= TARGET_MS },
      { measure: '  for reference: a real 241-node plan (PostgreSQL 15, UNION ALL of joins)', value: `${real241.toFixed(0)} ms`, target: '—' },
      {
        measure: `plan visualizer: pan and zoom the 2,000-node plan (mouse wheel and drag, ${frames.count} frames), p95 frame time`,
        value: `${frames.p95.toFixed(1)} ms (${(1000 / frames.p95).toFixed(0)} fps)`,
        target: '≤ 16.7 ms (60 fps)',
        ok: frames.p95 <= 16.7,
      },
    ];
  } finally {
    await vb.close();
  }
}

/** Frame times while the mouse zooms and pans the view for about two seconds, from requestAnimationFrame in the page. */
async function panZoomFrames(vb: Awaited<ReturnType<typeof launchViewBrowser>>, plans: ExplainResult[]): Promise<{ p95: number; count: number }> {
  const page = await vb.open(plans, { title: 'bench' });
  const box = (await page.locator('.graph').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.evaluate("window.pglensFrames = []; (function tick(t) { window.pglensFrames.push(t); if (window.pglensFrames.length < 100000) requestAnimationFrame(tick); })(performance.now())");
  for (let k = 0; k < 20; k++) await page.mouse.wheel(0, k < 10 ? -120 : 120);
  await page.mouse.down();
  for (let k = 0; k < 60; k++) await page.mouse.move(box.x + box.width / 2 + 6 * k, box.y + box.height / 2 + 3 * k);
  await page.mouse.up();
  const stamps = await page.evaluate<number[]>('window.pglensFrames');
  await page.close();
  const gaps = stamps.slice(1).map((t, k) => t - stamps[k]).sort((a, b) => a - b);
  return { p95: gaps[Math.floor(gaps.length * 0.95)] ?? Infinity, count: gaps.length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
