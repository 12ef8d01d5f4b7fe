/**
 * The smaller things the window says (issue 12, item 17), in real Chromium
 * through browser mode: a number too large says its range, the connection
 * filter says when it reads no connection, Stop names the line it cut off
 * and counts "1 connection", the quick commands keep one order, and a reply
 * too big for any client says its limit by the reply. Screenshots of the
 * cut-off line and the reply's limit, light and dark, at 800×600.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browserRunsSkipped, launchChromium, screenshotDir } from '../helpers/browser.js';
import { openWindow, type TestWindow } from './window-fixture.js';

const missing = browserRunsSkipped('browser end-to-end tests');

describe.skipIf(missing !== null)('what the window says, in Chromium', () => {
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
  /** The messages a field points at with aria-describedby. */
  async function messageFor(field: Locator): Promise<string> {
    const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
    const texts = await Promise.all(ids.map((id) => page.locator(`#${id}`).textContent()));
    return texts.join(' | ');
  }

  async function shots(name: string): Promise<void> {
    await fs.mkdir(screenshotDir(), { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: path.join(screenshotDir(), `${name}-800x600-${scheme}.png`) });
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow, `${name} overflows sideways`).toBeLessThanOrEqual(0);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  it('a port of 99999999999999999999 says its range; the connection filter says when it reads none', async () => {
    await label('Port').fill('99999999999999999999');
    // The range, not "must be a whole number" (a number that large has no exact integer value).
    await expect.poll(() => messageFor(label('Port'))).toContain('port must be 0 to 65535');
    await label('Port').fill('31310');

    const conn = page.getByRole('textbox', { name: 'Connection', exact: true });
    for (const text of ['abc', '-1']) {
      await conn.fill(text);
      await expect.poll(() => conn.getAttribute('aria-invalid')).toBe('true');
      expect(await messageFor(conn)).toMatch(/^Connection: /);
    }
    await conn.fill('#3');
    await expect.poll(() => conn.getAttribute('aria-invalid')).toBe(null);
  });

  it('Stop names the unfinished line it cut off, and counts “1 connection”', async () => {
    const port = await w.startServer();
    const c = await w.client(port);
    c.write('SONG\nHALF A LINE');
    await c.waitFor('E-I-E-I-O!\r\n');
    // The half line has reached the server: the In counter reads it.
    await expect
      .poll(() => page.getByLabel('Bytes in', { exact: true }).getAttribute('data-value'))
      .toBe('16 B');
    await button('Stop').click();
    await expect.poll(() => w.status().textContent()).toBe('Stopped');
    const closes = w.log().locator('.log-row--close .log-detail');
    await expect
      .poll(() => closes.allTextContents())
      .toEqual([expect.stringContaining('an unfinished line cut off (11 bytes): "HALF A LINE"') as unknown]);
    await expect.poll(() => w.log().textContent()).toContain('stopped (1 connection closed)');
    await shots('log-stop-cut-off');
  });

  it('quick commands keep the table’s order when HELP lists them sorted and the server stops', async () => {
    const port = await w.startServer();
    await label('Client port').fill(String(port));
    const quick = page.getByRole('group', { name: 'Quick commands' });
    const order = ['SONG', 'QUOTE', 'HAIKU', 'POEM', 'HELP', 'QUIT'];
    await expect.poll(() => quick.getByRole('button').allTextContents()).toEqual(order);
    await quick.getByRole('button', { name: 'HELP' }).click();
    await expect
      .poll(() => page.getByRole('log', { name: 'Client transcript' }).textContent())
      .toContain('Commands: HAIKU HELP POEM QUIT QUOTE SONG');
    await button('Stop').click();
    await expect.poll(() => w.status().textContent()).toBe('Stopped');
    expect(await quick.getByRole('button').allTextContents()).toEqual(order);
  });

  it('a 1 MB rule reply says the reply’s limit by the reply, plainly', async () => {
    await button('Commands').click();
    const reply = label('Rule 1 reply');
    await reply.fill('x'.repeat(1024 * 1024));
    await expect
      .poll(() => messageFor(reply), { timeout: 20_000 })
      .toContain(
        'a reply is at most 512 KiB (524288 bytes), so that any client can receive it whole; this one holds 1048576 characters',
      );
    expect(await button('Apply').isDisabled()).toBe(true);
    await reply.scrollIntoViewIfNeeded();
    await shots('commands-reply-too-big');
  });
});
