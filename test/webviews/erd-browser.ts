/**
 * The ER diagram view in Debian's Chromium, loaded from the standalone HTML (`pglens erd --format
 * html`'s page) around the built bundle: for the view tests, the screenshots and the bench.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { ErdLayoutFile, ErdModel } from '../../protocol/erd';
import { erdHtml } from '../../server/src/erd/html';
import { CHROMIUM, ROOT } from './browser';

export interface ErdTiming {
  received: number;
  layoutStart?: number;
  layoutEnd?: number;
  workerMs?: number;
  drawn?: number;
  boxes: number;
  mode?: string;
}

export interface ErdBrowser {
  errors: string[];
  open(model: ErdModel, options?: { theme?: 'light' | 'dark'; width?: number; height?: number; positions?: ErdLayoutFile['positions']; failingMigration?: { path: string; message: string } }): Promise<Page>;
  close(): Promise<void>;
}

export async function launchErdBrowser(): Promise<ErdBrowser> {
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const dist = path.join(ROOT, 'dist/webviews');
  if (!fs.existsSync(path.join(dist, 'erd.js'))) throw new Error('dist/webviews/erd.js is missing: run npm run build');
  const script = fs.readFileSync(path.join(dist, 'erd.js'), 'utf8');
  const css = fs.readFileSync(path.join(dist, 'erd.css'), 'utf8');
  const pages = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-erd-html-'));
  const errors: string[] = [];
  let count = 0;
  return {
    errors,
    async open(model, options = {}) {
      const file = path.join(pages, `erd-${count++}.html`);
      fs.writeFileSync(file, erdHtml(model, { script, css, theme: options.theme ?? 'dark', title: 'ER diagram', positions: options.positions, failingMigration: options.failingMigration }));
      const page = await browser.newPage({ viewport: { width: options.width ?? 1400, height: options.height ?? 860 } });
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('request', (request) => {
        if (!/^(file|data|blob):/.test(request.url())) errors.push(`network request: ${request.url()}`);
      });
      // Main-thread tasks over 50 ms, for the bench's "layout off the UI thread".
      await page.addInitScript(`
        window.pglensLongTasks = [];
        new PerformanceObserver((list) => list.getEntries().forEach((entry) => window.pglensLongTasks.push(entry.startTime, entry.duration))).observe({ type: 'longtask', buffered: true });
      `);
      await page.goto(`file://${file}`);
      await page.waitForSelector('body[data-drawn]', { state: 'attached', timeout: 120_000 });
      return page;
    },
    async close() {
      await browser.close();
      fs.rmSync(pages, { recursive: true, force: true });
    },
  };
}
