/**
 * Debian's Chromium driven by playwright-core (flags from /work/shared/E2E.md), with the plan view loaded
 * from the standalone HTML that `planHtml` writes around the built bundle. Shared by the view tests, the
 * screenshots and the draw bench.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { ExplainResult } from '../../protocol/plan';
import { planHtml } from '../../server/src/plans/html';
import { findRoot } from './fixtures';

export const CHROMIUM = process.env.PGLENS_CHROMIUM ?? '/usr/bin/chromium';
export const ROOT = findRoot();

export function chromiumMissing(): string | undefined {
  return fs.existsSync(CHROMIUM) ? undefined : `Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set PGLENS_CHROMIUM)`;
}

export interface ViewBrowser {
  browser: Browser;
  /** Console errors, page errors and CSP violations seen on any page so far. */
  errors: string[];
  open(plans: ExplainResult[], options?: { theme?: 'light' | 'dark'; title?: string; width?: number; height?: number }): Promise<Page>;
  close(): Promise<void>;
}

export function bundle(): { script: string; css: string } {
  const js = path.join(ROOT, 'dist/webviews/plan.js');
  if (!fs.existsSync(js)) throw new Error('dist/webviews/plan.js is missing: run npm run build');
  return { script: fs.readFileSync(js, 'utf8'), css: fs.readFileSync(path.join(ROOT, 'dist/webviews/plan.css'), 'utf8') };
}

export async function launchViewBrowser(): Promise<ViewBrowser> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const pagesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-plan-html-'));
  // playwright-core gives every launch a fresh, empty profile of its own.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const { script, css } = bundle();
  const errors: string[] = [];
  let count = 0;
  return {
    browser,
    errors,
    async open(plans, options = {}) {
      const file = path.join(pagesDir, `plan-${count++}.html`);
      fs.writeFileSync(file, planHtml(plans, { script, css, theme: options.theme ?? 'dark', title: options.title }));
      const page = await browser.newPage({ viewport: { width: options.width ?? 1400, height: options.height ?? 860 } });
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:') && !request.url().startsWith('data:')) errors.push(`network request: ${request.url()}`);
      });
      await page.goto(`file://${file}`);
      await page.waitForSelector('body[data-drawn]');
      return page;
    },
    async close() {
      await browser.close();
      fs.rmSync(pagesDir, { recursive: true, force: true });
    },
  };
}
