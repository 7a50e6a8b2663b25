import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workbench } from './workbench';

const PASSWORD = 'pglens-e2e-secret';

/** Connecting through the command: a password the server asks for, asked once and kept in SecretStorage. */
describe('connecting to a live database from the workbench', () => {
  let workbench: Workbench;
  const status = (): ReturnType<Workbench['page']['locator']> => workbench.page.locator('.statusbar-item', { hasText: 'pglens' }).first();

  beforeAll(async () => {
    // A role that needs a password (scram-sha-256) on the local server.
    execFileSync('bash', [path.join(__dirname, '../../scripts/e2e/password-role.sh')], { stdio: 'inherit' });
    workbench = await Workbench.open({
      'pglens.connections': [{ name: 'local e2e', host: '127.0.0.1', port: 5432, database: 'postgres', user: 'pglens_e2e', sslmode: 'disable' }],
    });
    await status().waitFor({ timeout: 60_000 });
  });

  afterAll(async () => {
    await workbench?.close();
  });

  async function pickConnection(): Promise<void> {
    await workbench.command('pglens: Connect to Database');
    await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'local e2e' }).first().click();
  }

  it('asks for the password the server wants, then shows the database in the status bar', async () => {
    await pickConnection();
    const input = workbench.page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor({ timeout: 30_000 });
    await workbench.screenshot('10-password-prompt');
    await input.fill(PASSWORD);
    await workbench.page.keyboard.press('Enter');
    // Connected: database@host, server version, tables loaded.
    const connected = workbench.page.locator('.statusbar-item', { hasText: /postgres@127\.0\.0\.1.*PG 15/ }).first();
    await connected.waitFor({ timeout: 60_000 });
    expect(await connected.textContent()).toMatch(/pglens: postgres@127\.0\.0\.1:5432 · PG 15\.\d+ · \d+ tables/);
    await workbench.screenshot('11-connected');
  });

  it('keeps the password in SecretStorage: reconnecting does not ask again', async () => {
    await workbench.command('pglens: Disconnect from Database');
    await workbench.page.locator('.statusbar-item', { hasText: 'pglens: embedded' }).first().waitFor({ timeout: 30_000 });
    await pickConnection();
    await workbench.page.locator('.statusbar-item', { hasText: /postgres@127\.0\.0\.1.*PG 15/ }).first().waitFor({ timeout: 60_000 });
    expect(await workbench.page.locator('.quick-input-widget input[type="password"]').isVisible()).toBe(false);
  });
});
