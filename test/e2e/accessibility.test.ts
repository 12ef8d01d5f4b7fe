/**
 * Accessibility in real Chromium through browser mode: axe-core checks the
 * window as people meet it (stopped, running with traffic, the Commands
 * view), in light and dark, at 1280×800 and 800×600, and the run fails on
 * any serious or critical violation. Keyboard reach of the log's `#N`
 * buttons is checked by pressing Tab, as a person would.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browserRunsSkipped, launchChromium } from '../helpers/browser.js';
import { seriousViolations } from '../helpers/axe.js';
import { openWindow, type TestWindow } from './window-fixture.js';

const missing = browserRunsSkipped('accessibility end-to-end tests');
describe.skipIf(missing !== null)('accessibility (axe-core) in Chromium', () => {
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
    w = await openWindow(browser);
    page = w.page;
  });
  afterEach(async () => {
    await w.close();
  });

  /** Every scheme and size, with `check` run on each. */
  async function everyLook(check: (name: string) => Promise<void>): Promise<void> {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [width, height] of [
        [1280, 800],
        [800, 600],
      ] as const) {
        await page.setViewportSize({ width, height });
        // Colours ease into the new scheme: judge them once every transition has ended.
        await expect.poll(() => page.evaluate<number>('document.getAnimations().length')).toBe(0);
        await check(`${scheme} ${width}x${height}`);
      }
    }
  }

  it('the stopped window: no serious or critical violation, light and dark, both sizes', async () => {
    await everyLook(async (look) => {
      expect(await seriousViolations(page), look).toEqual([]);
    });
  });

  it('the running window with traffic, an unknown line and a conversation open', async () => {
    const port = await w.startServer();
    const c = await w.client(port);
    c.write('SONG\nnope\nQUIT\n');
    await c.waitClosed();
    c.end();
    const command = page.getByLabel('Command', { exact: true });
    await command.fill('HELP');
    await command.press('Enter');
    await page.getByRole('log', { name: 'Client transcript' }).getByText('Commands:').first().waitFor();
    await everyLook(async (look) => {
      expect(await seriousViolations(page), look).toEqual([]);
    });
    await w.log().locator('.log-conn-link').first().click();
    await page.getByRole('complementary', { name: /^Conversation #/ }).waitFor();
    expect(await seriousViolations(page), 'conversation open').toEqual([]);
  });

  it('the Commands view, with its inbox', async () => {
    const port = await w.startServer();
    const c = await w.client(port);
    c.write('ATZ\nATZ\nnope\n');
    await c.waitFor('Unknown command: nope');
    await page.getByRole('button', { name: 'Commands', exact: true }).click();
    await page.getByRole('list', { name: /Unknown lines/ }).waitFor();
    // "2 times", "1 time": the inbox counts in words that agree.
    const heard = await page.locator('.inbox-count .sr-only').allTextContents();
    expect(heard).toEqual([', seen 2 times', ', seen 1 time']);
    await everyLook(async (look) => {
      expect(await seriousViolations(page), look).toEqual([]);
    });
  });

  it('the editor with a binary protocol and one with states and pushes loaded, the rule tester answered', async () => {
    await page.getByRole('button', { name: 'Commands', exact: true }).click();
    for (const preset of ['Modbus TCP', 'NMEA GPS']) {
      await page.getByLabel('Preset', { exact: true }).selectOption({ label: `${preset} (built in)` });
      await page.getByRole('button', { name: 'Load preset', exact: true }).click();
      await expect
        .poll(() => page.getByLabel('Framing kind', { exact: true }).inputValue())
        .toBe(preset === 'Modbus TCP' ? 'lengthField' : 'lf');
      await page.getByLabel('Test request', { exact: true }).fill('x');
      await page.getByRole('button', { name: 'Test', exact: true }).click();
      await page.getByLabel('Test result', { exact: true }).locator('p').first().waitFor();
      await everyLook(async (look) => {
        expect(await seriousViolations(page), `${preset} ${look}`).toEqual([]);
      });
    }
  });

  it('has one level-one heading, and the log’s #N buttons are reached with Tab and moved between with arrows', async () => {
    expect(await page.locator('h1').allTextContents()).toEqual(['Switchboard']);
    const port = await w.startServer();
    for (let i = 0; i < 3; i++) {
      const c = await w.client(port);
      c.write('QUIT\n');
      await c.waitClosed();
      c.end();
    }
    const links = w.log().locator('.log-conn-link');
    await expect.poll(() => links.count()).toBeGreaterThanOrEqual(3);
    // Tab from the log itself lands on a #N button: reachable, and only one of them is in the tab order.
    await w.log().focus();
    await page.keyboard.press('Tab');
    const focused = (): Promise<string> => page.evaluate<string>('document.activeElement.textContent');
    /** The log row of the focused button, by its position in the list. */
    const focusedRow = (): Promise<string | null> =>
      page.evaluate<string | null>(
        "document.activeElement.closest('li')?.getAttribute('aria-posinset') ?? null",
      );
    expect(await focused()).toMatch(/^#\d+$/);
    expect(await w.log().locator('.log-conn-link[tabindex="0"]').count()).toBe(1);
    const first = Number(await focusedRow());
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(Number(await focusedRow())).toBe(first + 2);
    await page.keyboard.press('ArrowUp');
    expect(Number(await focusedRow())).toBe(first + 1);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('complementary', { name: /^Conversation #/ }).count()).toBe(1);
  });
});
