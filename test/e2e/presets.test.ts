/**
 * Presets end to end, in real Chromium through browser mode (issue 12,
 * item 16): a customized table saved as "My mock" is exported as
 * my-mock.json under that name, the picker names it after a reload, and
 * loading it (it answers as the applied table does) leaves nothing unapplied.
 * It takes the Presets card's screenshots, light and dark, at 800×600.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browserRunsSkipped, launchChromium, screenshotDir } from '../helpers/browser.js';
import { openWindow, type TestWindow } from './window-fixture.js';

const missing = browserRunsSkipped('browser end-to-end tests');

describe.skipIf(missing !== null)('presets in Chromium', () => {
  let browser: Browser;
  let w: TestWindow;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
  });
  beforeEach(async () => {
    w = await openWindow(browser, { width: 800, height: 600 });
    page = w.page;
  });
  afterEach(async () => {
    await w.close();
  });

  const label = (name: string): Locator => page.getByLabel(name, { exact: true });
  const button = (name: string): Locator => page.getByRole('button', { name, exact: true });
  const picker = (): Locator => page.getByRole('combobox', { name: 'Preset', exact: true });
  const picked = (): Promise<string> =>
    picker().evaluate((s: { selectedOptions: ArrayLike<{ textContent: string | null }> }) =>
      String(s.selectedOptions[0]?.textContent),
    );
  const unapplied = (): Locator => page.getByText('Unapplied changes', { exact: true });

  async function showCommands(): Promise<void> {
    await button('Commands').click();
    await expect.poll(() => button('Commands').getAttribute('aria-current')).toBe('page');
  }

  async function exportTable(): Promise<{ name: string; json: Record<string, unknown> }> {
    const [file] = await Promise.all([page.waitForEvent('download'), button('Export').click()]);
    const text = await fs.readFile(await file.path(), 'utf8');
    return { name: file.suggestedFilename(), json: JSON.parse(text) as Record<string, unknown> };
  }

  it('names a customized table after the preset it is saved as, through Export, a reload and a Load', async () => {
    await showCommands();
    expect(await picked()).toBe('Classic (built in)');
    // Customize Classic and apply it: it is no longer Classic.
    await label('Rule 1 reply').fill('my song');
    await unapplied().waitFor();
    await button('Apply').click();
    await page.getByText('Applied', { exact: true }).waitFor();
    expect(await picked()).toBe('Choose a preset');
    const unnamed = await exportTable();
    expect(unnamed.name).toBe('command-table.json');
    expect(unnamed.json.name).toBeUndefined();

    await label('Preset name').fill('My mock');
    await button('Save as preset').click();
    await page.getByText('Saved preset My mock.', { exact: true }).waitFor();
    expect(await picked()).toBe('My mock');
    const saved = await exportTable();
    expect(saved.name).toBe('my-mock.json');
    expect(saved.json.name).toBe('My mock');
    expect((saved.json.commands as unknown[])[0]).toEqual({ name: 'SONG', reply: 'my song' });

    await page.reload();
    await showCommands();
    await expect.poll(picked).toBe('My mock');
    expect(await label('Rule 1 reply').inputValue()).toBe('my song');
    expect(await unapplied().count()).toBe(0);
    expect((await exportTable()).name).toBe('my-mock.json');

    // Classic, then My mock again: it answers as the applied table does, so nothing is unapplied.
    await picker().selectOption('Classic');
    await button('Load preset').click();
    await unapplied().waitFor();
    await picker().selectOption('My mock');
    await button('Load preset').click();
    await expect.poll(() => unapplied().count()).toBe(0);
    await page.getByText('Loaded My mock into the editor; the server already answers with it.').waitFor();
    expect(await label('Rule 1 reply').inputValue()).toBe('my song');

    await fs.mkdir(screenshotDir(), { recursive: true });
    await page.locator('.presets-card').scrollIntoViewIfNeeded();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: path.join(screenshotDir(), `presets-800x600-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    expect(w.problems).toEqual([]);
  });
});
