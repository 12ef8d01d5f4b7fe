/**
 * The built-in test client end to end, in real Chromium through browser
 * mode, against real servers: a conversation shown as a stream of what was
 * sent and received (a greeting, a late reply, a line without a line end),
 * raw bytes typed as hex or escapes, the repeat timer, one message for a
 * failed connect, the history's limits, and replies that carry only what
 * changed.
 */
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../helpers/net.js';
import type { CliProcess } from '../helpers/process.js';
import { browserRunsSkipped, launchChromium, screenshotDir, startWebMode } from '../helpers/browser.js';

const missing = browserRunsSkipped('test client end-to-end tests');

/** A stand-in for a reply that takes 1.5 s: long enough to send something else meanwhile. */
const LATE_MS = 600;

/**
 * A server that greets, answers FAST at once and SLOW late, answers PROMPT
 * with bytes and no line end, and records every byte it gets.
 */
class GreetingServer {
  readonly received: Buffer[] = [];
  readonly #sockets = new Set<net.Socket>();
  readonly #server = net.createServer((socket) => {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write('220 ready\r\n');
    let partial = '';
    socket.on('data', (chunk: Buffer) => {
      this.received.push(chunk);
      partial += chunk.toString('latin1');
      let lf = partial.indexOf('\n');
      while (lf !== -1) {
        const line = partial.slice(0, lf).replace(/\r$/, '');
        partial = partial.slice(lf + 1);
        if (line === 'FAST') socket.write('fast\r\n');
        else if (line === 'SLOW') setTimeout(() => socket.writable && socket.write('slow\r\n'), LATE_MS);
        else if (line === 'PROMPT') socket.write('password: ');
        lf = partial.indexOf('\n');
      }
    });
  });
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as net.AddressInfo).port;
  }

  bytes(): Buffer {
    return Buffer.concat(this.received);
  }

  clear(): void {
    this.received.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      for (const s of this.#sockets) s.destroy();
    });
  }
}

describe.skipIf(missing !== null)('the test client in Chromium (browser mode)', () => {
  let browser: Browser;
  let web: { cli: CliProcess; url: string; port: number };
  let page: Page;
  let dataDir: string;
  const server = new GreetingServer();
  /** Sizes of the socket messages main pushed to the page. */
  const frames: number[] = [];

  beforeAll(async () => {
    await server.start();
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-e2e-client-'));
    web = await startWebMode(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (error) => console.error('page error:', error.message));
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) =>
        frames.push(typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length),
      ),
    );
    await page.goto(web.url);
    await page.getByLabel('Client host', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Client port', { exact: true }).fill(String(server.port));
  });

  afterAll(async () => {
    await browser.close();
    web.cli.send('quit\n');
    await web.cli.exited;
    await server.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const transcript = (): ReturnType<Page['getByRole']> =>
    page.getByRole('log', { name: 'Client transcript' });
  const command = (): ReturnType<Page['getByLabel']> => page.getByLabel('Command', { exact: true });

  /** Each sent and received row as `> text` / `< text`, with its marks (RTT, no line end). */
  async function stream(): Promise<string[]> {
    const rows = await transcript().locator('[data-kind="sent"], [data-kind="reply"]').all();
    const out: string[] = [];
    for (const row of rows) {
      const dir = (await row.getAttribute('data-kind')) === 'sent' ? '>' : '<';
      const text = (await row.locator('.t-text').textContent()) ?? '';
      const marks = (await row.locator('.t-mark').allTextContents()).map((m) =>
        m.startsWith('RTT') ? 'RTT' : m,
      );
      out.push([dir, text, ...marks].join(' ').trim());
    }
    return out;
  }

  async function clearTranscript(): Promise<void> {
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect.poll(stream).toEqual([]);
  }

  async function sendTyped(line: string): Promise<void> {
    await command().fill(line);
    await command().press('Enter');
  }

  it('shows the greeting as received before the first command, and the answer with its RTT', async () => {
    await sendTyped('FAST');
    await expect.poll(stream).toEqual(['< 220 ready', '> FAST', '< fast RTT']);
    expect(await command().inputValue()).toBe('');
  });

  it('shows a late reply where it arrived, with no RTT when another command went out first', async () => {
    await clearTranscript();
    await sendTyped('SLOW');
    await expect.poll(stream).toEqual(['> SLOW']);
    await sendTyped('FAST');
    await expect.poll(stream, { timeout: 10_000 }).toEqual(['> SLOW', '> FAST', '< fast', '< slow']);
  });

  it('gives a late reply its RTT when nothing else was sent', async () => {
    await clearTranscript();
    await sendTyped('SLOW');
    await expect.poll(stream, { timeout: 10_000 }).toEqual(['> SLOW', '< slow RTT']);
    const rtt = await transcript().locator('[data-kind="reply"] .t-mark--rtt').textContent();
    expect(Number(/RTT ([\d,]+) ms/.exec(rtt ?? '')?.[1]?.replace(',', ''))).toBeGreaterThanOrEqual(
      LATE_MS - 10,
    );
  });

  it('shows bytes without a line end at once, marked so', async () => {
    await sendTyped('PROMPT');
    await expect
      .poll(async () => (await stream()).slice(-2))
      .toEqual(['> PROMPT', '< password:  no line end RTT']);
    await page
      .locator('.client-pane')
      .screenshot({ path: path.join(screenshotDir(), 'test-client-stream.png') });
  });

  it('sends hex and C-style escapes as exactly those bytes, and shows hex beside the text', async () => {
    await clearTranscript();
    server.clear();
    const mode = page.getByLabel('Input as', { exact: true });
    await mode.selectOption('hex');
    await sendTyped('41 42 43 0d 0a');
    await expect.poll(() => server.bytes().toString('hex')).toBe('4142430d0a');
    await mode.selectOption('escapes');
    await page.getByLabel('Line ending', { exact: true }).selectOption('none');
    await sendTyped('\\x41\\x0d\\t\\\\\\0é');
    await expect.poll(() => server.bytes().toString('hex')).toBe('4142430d0a' + '410d095c00c3a9');
    await page.getByRole('button', { name: 'Hex', exact: true }).click();
    const sentHex = await transcript().locator('[data-kind="sent"] .t-hex').allTextContents();
    expect(sentHex).toEqual(['41 42 43 0D 0A', '41 0D 09 5C 00 C3 A9']);
    await transcript().screenshot({ path: path.join(screenshotDir(), 'test-client-hex.png') });
    await page.getByRole('button', { name: 'Hex', exact: true }).click();
    await mode.selectOption('text');
    await page.getByLabel('Line ending', { exact: true }).selectOption('crlf');
  });

  it('refuses malformed hex with a message, leaving it in the input', async () => {
    const mode = page.getByLabel('Input as', { exact: true });
    await mode.selectOption('hex');
    await sendTyped('41 4');
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toEqual([expect.stringContaining('no pair')]);
    expect(await command().inputValue()).toBe('41 4');
    await mode.selectOption('text');
  });

  it('repeats a command every N ms, N times, and stops when asked', async () => {
    await clearTranscript();
    server.clear();
    await command().fill('TICK');
    await page.getByLabel('Repeat every (ms)').fill('50');
    await page.getByLabel('Repeat count').fill('3');
    await page.getByRole('button', { name: 'Repeat', exact: true }).click();
    const progress = page.getByRole('status', { name: 'Repeat progress' });
    await expect.poll(() => progress.textContent()).toBe('3 of 3 sent');
    expect(server.bytes().toString()).toBe('TICK\r\n'.repeat(3));

    await page.getByLabel('Repeat every (ms)').fill('60000');
    await page.getByLabel('Repeat count').fill('100');
    await page.getByRole('button', { name: 'Repeat', exact: true }).click();
    await expect.poll(() => progress.textContent()).toBe('1 of 100 sent');
    await page.getByRole('button', { name: 'Stop repeat', exact: true }).click();
    await expect.poll(() => progress.textContent()).toBe('1 of 100 sent, stopped');
    expect(await page.getByRole('button', { name: 'Repeat', exact: true }).isEnabled()).toBe(true);
  });

  it('says a connect error once, and keeps the unsent command in the input', async () => {
    await clearTranscript();
    const dead = await closedPort();
    await page.getByLabel('Client port', { exact: true }).fill(String(dead));
    await sendTyped('HELLO');
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toEqual([`could not connect to 127.0.0.1:${dead}: connection refused (is a server listening there?)`]);
    expect(await command().inputValue()).toBe('HELLO');
    expect(await transcript().locator('[data-kind="error"]').count()).toBe(0);
    expect(await stream()).toEqual([]);
    await page.getByLabel('Client port', { exact: true }).fill(String(server.port));
  });

  it('does not keep a command longer than 4 KiB in the history, and says so', async () => {
    await sendTyped('FAST');
    await expect.poll(() => command().inputValue()).toBe('');
    const long = `L${'x'.repeat(5000)}`;
    await sendTyped(long);
    await expect
      .poll(() => page.getByText('Sent, but not kept in the history: longer than 4 KiB.').count())
      .toBe(1);
    await command().press('ArrowUp');
    expect(await command().inputValue()).toBe('FAST');
    // Main keeps the same history: the file (written shortly after) does not hold the long command.
    const file = path.join(dataDir, 'client-history.json');
    await expect.poll(() => fs.readFile(file, 'utf8').catch(() => ''), { timeout: 10_000 }).toContain('FAST');
    expect(await fs.readFile(file, 'utf8')).not.toContain('xxxx');
  });

  it('sends 1 MiB commands whole, while what comes back to the page stays small', async () => {
    server.clear();
    frames.length = 0;
    const big = 'y'.repeat(1024 * 1024);
    for (let i = 0; i < 5; i++) {
      await command().fill(big);
      await command().press('Enter');
      await expect.poll(() => server.bytes().length, { timeout: 20_000 }).toBe((big.length + 2) * (i + 1));
    }
    expect(frames.length).toBeGreaterThan(0);
    // Each reply and batch carries the new rows (a row shows at most 4 KiB), never the whole history.
    expect(Math.max(...frames)).toBeLessThan(100_000);
  });
});
