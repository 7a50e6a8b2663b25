import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
// @ts-expect-error: plain ESM helper shared with `npm run sandbox`
import { ROOT, ensureTools, ensureVsix, startCodeServer } from '../../scripts/e2e/code-server.mjs';

export const SCREENSHOTS = path.join(ROOT, 'test-results/e2e');

interface CodeServer {
  url: string;
  stop: () => Promise<void>;
  log: () => string;
}

/** code-server with pglens on a copy of examples/, and a Chromium page on it. */
export class Workbench {
  private constructor(
    readonly page: Page,
    readonly workspace: string,
    private readonly browser: Browser,
    private readonly server: CodeServer,
  ) {}

  /** `prepare` changes the copy of examples/ before the workbench starts (files added later reach Quick Open late). */
  static async open(settings: Record<string, unknown> = {}, prepare?: (workspace: string) => void): Promise<Workbench> {
    ensureTools();
    const vsix = ensureVsix();
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-e2e-'));
    fs.cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
    prepare?.(workspace);
    const server = (await startCodeServer({ workspace, vsix, settings })) as CodeServer;
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(server.url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view').waitFor({ timeout: 60_000 });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    return new Workbench(page, workspace, browser, server);
  }

  async screenshot(name: string): Promise<string> {
    const file = path.join(SCREENSHOTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Runs a command from the palette by its title. */
  async command(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Opens a workspace file through Quick Open and waits for its editor. */
  async openFile(relative: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(relative);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(relative) }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator(`.tab.active[data-resource-name="${path.basename(relative)}"], .tab.active:has-text("${path.basename(relative)}")`).first().waitFor();
    await this.page.locator('.monaco-editor .view-lines').first().waitFor();
  }

  /** Scrolls `relative`'s editor to the first line holding `needle`, hovers it there and returns the hover's text. */
  async hover(relative: string, needle: string): Promise<string> {
    const lines = fs.readFileSync(path.join(this.workspace, relative), 'utf8').split('\n');
    const line = lines.findIndex((text) => !text.trim().startsWith('--') && new RegExp(`\\b${needle}\\b`).test(text));
    if (line < 0) throw new Error(`${needle} is not in ${relative}`);
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`:${line + 1}`);
    await this.page.keyboard.press('Enter');
    const row = this.page.locator('.monaco-editor .view-line', { hasText: lines[line].trim().slice(0, 40) }).first();
    await row.waitFor();
    const token = row.locator('span > span', { hasText: needle }).first();
    const box = await token.boundingBox();
    if (!box) throw new Error(`no box for ${needle}`);
    const text = (await token.textContent()) ?? '';
    const charWidth = box.width / Math.max(1, text.length);
    const at = text.indexOf(needle);
    await this.page.mouse.move(box.x + charWidth * (at + Math.min(2, needle.length / 2)), box.y + box.height / 2);
    const hover = this.page.locator('.monaco-hover:not(.hidden) .hover-contents').first();
    await hover.waitFor({ timeout: 30_000 });
    await this.page.waitForFunction("!document.querySelector('.monaco-hover .hover-contents')?.textContent?.includes('Loading')", undefined, { timeout: 30_000 });
    return (await this.page.locator('.monaco-hover:not(.hidden)').first().textContent()) ?? '';
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
    fs.rmSync(this.workspace, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
  }
}
