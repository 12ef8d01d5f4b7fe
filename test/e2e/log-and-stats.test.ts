/**
 * The connection log, the live stats and the test client end to end, in
 * real Chromium through browser mode: filters, search, pause, a
 * connection's conversation, exports checked byte for byte, the hex view,
 * line endings as the far end receives them, the counters after a known
 * load, and the previous run's log after a restart. It also takes the
 * screenshots of issue 4 (busy log, chart, conversation; light and dark).
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlainServer, RawClient, occupyPort } from '../helpers/net.js';
import type { CliProcess } from '../helpers/process.js';
import { browserRunsSkipped, launchChromium, screenshotDir, startWebMode } from '../helpers/browser.js';
import { HAIKU_LINES as HAIKU, SONG_LINE as SONG } from '../helpers/classic.js';

const missing = browserRunsSkipped('browser end-to-end tests');

/** Bytes of a reply: each line and its CRLF. */
const wireBytes = (...lines: string[]): number => Buffer.byteLength(lines.map((l) => `${l}\r\n`).join(''));
const SHOTS = screenshotDir();

/** One connection-log row as the window shows it. */
interface ShownRow {
  time: string;
  conn: string;
  remote: string;
  kind: string;
  detail: string;
}

/**
 * What the page functions below use of an element. This project's Node
 * tsconfig has no DOM types; naming the few members keeps them typed.
 */
interface PageElement {
  querySelector(selector: string): PageElement | null;
  getAttribute(name: string): string | null;
  textContent: string | null;
}

/** Bytes as the transcript's hex view writes them: `53 4F 0D 0A`. */
const hexOf = (text: string): string =>
  (Buffer.from(text, 'utf8').toString('hex').toUpperCase().match(/../g) ?? []).join(' ');

describe.skipIf(missing !== null)('connection log, live stats and test client in Chromium', () => {
  let browser: Browser;
  let web: { cli: CliProcess; url: string; port: number };
  let page: Page;
  let dataDir: string;
  let serverPort = 0;
  const clients: RawClient[] = [];
  /** Console errors and page errors, for the CSP check. */
  const problems: string[] = [];

  const watch = (p: Page): void => {
    p.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    p.on('pageerror', (e) => problems.push(e.message));
  };

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-e2e-log-'));
    web = await startWebMode(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    watch(page);
    await page.goto(web.url);
    const held = await occupyPort();
    await held.release();
    serverPort = held.port;
    await page.getByLabel('Port', { exact: true }).fill(String(serverPort));
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    // expect.poll belongs to tests; a hook waits with a locator.
    await page
      .getByRole('status', { name: 'Server status' })
      .filter({ hasText: `Running on 127.0.0.1:${serverPort}` })
      .waitFor();
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await browser.close();
    web.cli.send('quit\n');
    await web.cli.exited;
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const log = (): Locator => page.getByRole('log', { name: 'Connection log' });
  const counter = (name: string): Promise<string | null> =>
    page.getByLabel(name, { exact: true }).textContent();
  const searchBox = (): Locator => page.getByRole('searchbox', { name: 'Search log' });
  const connectionField = (): Locator => page.getByRole('textbox', { name: 'Connection', exact: true });
  const kinds = (): Locator => page.getByRole('combobox', { name: 'Event kinds' });
  const command = (): Locator => page.getByLabel('Command', { exact: true });
  const transcript = (): Locator => page.getByRole('log', { name: 'Client transcript' });

  /** The rows in view, read from the page. */
  function shownRows(): Promise<ShownRow[]> {
    return log()
      .locator('li')
      .evaluateAll((items: PageElement[]) =>
        items.map((li) => ({
          time: li.querySelector('time')?.getAttribute('datetime') ?? '',
          conn: li.querySelector('.log-conn')?.textContent ?? '',
          remote: li.querySelector('.log-remote')?.textContent ?? '',
          kind: li.querySelector('.log-kind')?.textContent ?? '',
          // The cell is cut with an ellipsis; its title holds the whole detail.
          detail: li.querySelector('.log-detail')?.getAttribute('title') ?? '',
        })),
      );
  }

  /** How many rows the view holds (not just those in the document): the list's set size. */
  async function shownCount(): Promise<number> {
    const first = log().locator('li').first();
    if ((await first.count()) === 0) return 0;
    return Number(await first.getAttribute('aria-setsize'));
  }

  /** Each client's address as the server sees it (a closed socket forgets its port). */
  const remotes = new Map<RawClient, string>();
  const remoteOf = (c: RawClient): string => remotes.get(c) ?? '';

  /** A client that connects, sends its lines and, with `quit`, leaves. */
  async function client(lines: string[], quit = false): Promise<RawClient> {
    const c = await RawClient.connect(serverPort);
    clients.push(c);
    remotes.set(c, `127.0.0.1:${c.socket.localPort}`);
    for (const line of lines) c.write(`${line}\n`);
    if (quit) {
      c.write('QUIT\n');
      await c.waitClosed();
      // The helper keeps its side open after the server's FIN; closing it ends the connection (and logs its close).
      c.end();
    }
    return c;
  }

  /** The connection number the server gave a client, read from its rows. */
  async function connOf(c: RawClient): Promise<string> {
    const remote = remoteOf(c);
    await searchBox().fill(remote);
    // Wait for the search to apply: every row shown is this client's.
    await expect
      .poll(async () => {
        const rows = await shownRows();
        return rows.length > 0 && rows.every((r) => r.remote === remote);
      })
      .toBe(true);
    const conn = (await shownRows())[0]?.conn ?? '';
    expect(conn).toMatch(/^#\d+$/);
    await searchBox().fill('');
    return conn;
  }

  async function resetFilters(): Promise<void> {
    await searchBox().fill('');
    await connectionField().fill('');
    await kinds().selectOption('all');
  }

  it('counts seven connections and twelve commands exactly', async () => {
    // Five clients send two commands each, two send one: 12 commands on 7 connections, all still open.
    const seven: RawClient[] = [];
    for (let i = 0; i < 7; i++) seven.push(await client(i < 5 ? ['SONG', 'QUOTE'] : ['HAIKU']));
    await Promise.all(seven.map((c, i) => c.waitFor(i < 5 ? 'different...' : 'This file is not here.')));
    await expect.poll(() => counter('Active connections')).toBe('7');
    expect(await counter('Total connections')).toBe('7');
    await expect.poll(() => counter('Requests')).toBe('12');
    expect(await counter('Rejected')).toBe('0');
    expect(await counter('Errors')).toBe('0');

    for (const c of seven.slice(0, 3)) c.end();
    await expect.poll(() => counter('Active connections')).toBe('4');
    expect(await counter('Total connections')).toBe('7');

    // The chart saw them: its text alternative names a peak above zero.
    await expect
      .poll(() => page.getByRole('img', { name: /Connections:/ }).getAttribute('aria-label'))
      .toMatch(/Connections: [\d.]+ per second now, peak [1-9]/);
    expect(await page.locator('.stats-chart-canvas canvas').count()).toBeGreaterThan(0);

    for (const c of seven.slice(3)) c.end();
    await expect.poll(() => counter('Active connections')).toBe('0');
  });

  it('filters by event kind and by connection, and searches', async () => {
    const a = await client(['SONG', 'zebra-42'], true);
    const b = await client(['QUOTE'], true);
    const connA = await connOf(a);
    const connB = await connOf(b);

    await kinds().selectOption('kind:line');
    await expect.poll(async () => new Set((await shownRows()).map((r) => r.kind))).toEqual(new Set(['line']));
    await kinds().selectOption('connections');
    await expect
      .poll(async () => new Set((await shownRows()).map((r) => r.kind)))
      .toEqual(new Set(['open', 'close']));
    await kinds().selectOption('all');

    await connectionField().fill(connA);
    await expect
      .poll(async () => (await shownRows()).map((r) => `${r.conn} ${r.kind} ${r.detail}`))
      .toEqual([
        `${connA} open connected`,
        `${connA} line SONG`,
        `${connA} reply ${SONG} (37 bytes)`,
        `${connA} line zebra-42`,
        `${connA} reply Unknown command: zebra-42 (27 bytes)`,
        `${connA} line QUIT`,
        `${connA} reply Bye. (6 bytes)`,
        expect.stringMatching(
          new RegExp(`^${connA} close closed \\(QUIT\\); 19 bytes in, 70 out, [\\d.]+ s$`),
        ),
      ]);
    await kinds().selectOption('kind:line');
    await connectionField().fill(connB);
    await expect.poll(async () => (await shownRows()).map((r) => r.detail)).toEqual(['QUOTE', 'QUIT']);
    await resetFilters();

    await searchBox().fill('ZEBRA');
    await expect
      .poll(async () => (await shownRows()).map((r) => r.detail))
      .toEqual(['zebra-42', 'Unknown command: zebra-42 (27 bytes)']);
    await searchBox().fill(remoteOf(b));
    await expect.poll(async () => (await shownRows()).every((r) => r.conn === connB)).toBe(true);
    await resetFilters();
  });

  it('pauses: rows keep arriving, the marker counts them, and resuming shows them', async () => {
    await expect.poll(() => counter('Active connections')).toBe('0');
    // The last close rows are on their way (a batch every 50 ms): let them land.
    await page.waitForTimeout(300);
    const before = await shownCount();
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const late = [await client(['SONG'], true), await client(['SONG'], true), await client(['SONG'], true)];
    // Each leaves six rows: open, SONG, its reply, QUIT, Bye., close.
    await expect.poll(() => page.getByRole('button', { name: '18 new' }).count()).toBe(1);
    expect(await shownCount()).toBe(before);
    await expect.poll(() => page.locator('.log-count').textContent()).toBe(`${before + 18} rows`);
    const lateRemotes = late.map(remoteOf);
    expect((await shownRows()).some((r) => lateRemotes.includes(r.remote))).toBe(false);

    await page.getByRole('button', { name: '18 new' }).click();
    await expect.poll(shownCount).toBe(before + 18);
    expect(await page.getByRole('button', { name: 'Pause', exact: true }).count()).toBe(1);
    // Back at the newest rows: the last client's close is in view.
    const last = (await shownRows()).at(-1);
    expect(last).toMatchObject({ remote: lateRemotes[2], kind: 'close' });

    // Resume works from its own button too.
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await client(['QUOTE'], true);
    await expect.poll(() => page.getByRole('button', { name: '6 new' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await expect.poll(shownCount).toBe(before + 24);
  });

  it('shows one connection’s whole conversation', async () => {
    const c = await client(['HAIKU', 'SONG'], true);
    const conn = await connOf(c);
    await connectionField().fill(conn);
    await expect.poll(async () => (await shownRows()).length).toBe(8);
    await log().getByRole('button', { name: conn }).first().click();
    const panel = page.getByRole('complementary', { name: `Conversation ${conn}` });
    await expect.poll(() => panel.count()).toBe(1);
    const rows = await panel
      .locator('li')
      .evaluateAll((items: PageElement[]) =>
        items.map((li) =>
          [
            li.querySelector('.conversation-kind')?.textContent,
            li.querySelector('.conversation-text')?.textContent,
          ]
            .filter(Boolean)
            .join(' '),
        ),
      );
    expect(rows.slice(0, -1)).toEqual([
      'open connected',
      'in HAIKU',
      `out ${HAIKU.join(' ⏎ ')}`,
      'in SONG',
      `out ${SONG}`,
      'in QUIT',
      'out Bye.',
    ]);
    const bytesOut = wireBytes(...HAIKU) + wireBytes(SONG) + wireBytes('Bye.');
    expect(rows.at(-1)).toMatch(
      new RegExp(`^close closed \\(QUIT\\); 16 bytes in, ${bytesOut} out, [\\d.]+ s$`),
    );
    const fact = (label: string): Promise<string | null> =>
      panel.locator('.conversation-fact', { hasText: label }).locator('dd').textContent();
    expect(await fact('Bytes in')).toBe('16 B');
    expect(await fact('Bytes out')).toBe(`${bytesOut} B`);
    expect(await fact('Closed')).toBe('QUIT');
    expect(await fact('Duration')).toMatch(/^\d+ ms$|^[\d.]+ s$/);
    expect(await panel.getByText(remoteOf(c)).count()).toBe(1);

    await panel.getByRole('button', { name: 'Close' }).click();
    expect(await panel.count()).toBe(0);
    await resetFilters();
  });

  it('exports the shown rows as JSON Lines and CSV, exactly as shown', async () => {
    const c = await client(['say "hi", please'], true);
    const conn = await connOf(c);
    await connectionField().fill(conn);
    await expect.poll(async () => (await shownRows()).length).toBe(6);
    const rows = await shownRows();
    expect(rows[1]?.detail).toBe('say "hi", please');
    const connection = Number(conn.slice(1));

    const download = async (item: string): Promise<{ name: string; text: string }> => {
      await page.getByRole('button', { name: 'Export' }).click();
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('menuitem', { name: item }).click(),
      ]);
      const saved = await file.path();
      return { name: file.suggestedFilename(), text: await fs.readFile(saved, 'utf8') };
    };

    const jsonl = await download('Shown rows as JSON Lines');
    expect(jsonl.name).toMatch(/^switchboard-log-shown-\d{8}-\d{6}\.jsonl$/);
    expect(jsonl.text).toBe(
      rows
        .map(
          (r) =>
            `${JSON.stringify({ time: r.time, connection, remote: r.remote, event: r.kind, detail: r.detail })}\n`,
        )
        .join(''),
    );

    const csv = await download('Shown rows as CSV');
    expect(csv.name).toMatch(/^switchboard-log-shown-\d{8}-\d{6}\.csv$/);
    const quote = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    expect(csv.text).toBe(
      '\uFEFFtime,connection,remote,event,detail\r\n' +
        rows
          .map((r) => [r.time, String(connection), r.remote, r.kind, quote(r.detail)].join(',') + '\r\n')
          .join(''),
    );
    // The quoted fields, spelled out.
    expect(csv.text).toContain(',line,"say ""hi"", please"\r\n');
    expect(csv.text).toContain(',reply,"Unknown command: say ""hi"", please (35 bytes)"\r\n');

    // Everything the window holds, whatever the filters.
    const all = await download('All rows as JSON Lines');
    expect(all.name).toMatch(/^switchboard-log-\d{8}-\d{6}\.jsonl$/);
    const total = Number(
      (await page.locator('.log-count').textContent())?.match(/of ([\d,]+)/)?.[1]?.replace(/,/g, ''),
    );
    expect(all.text.trimEnd().split('\n')).toHaveLength(total);
    expect(JSON.parse(all.text.split('\n')[0] ?? '')).toMatchObject({ connection: 0, event: 'listening' });
    await resetFilters();
  });

  it('shows sent and reply lines as their bytes in hex', async () => {
    await command().fill('SONG');
    await command().press('Enter');
    const texts = (): Promise<string[]> => transcript().locator('[data-kind] .t-text').allTextContents();
    await expect.poll(async () => (await texts()).at(-1)).toBe(SONG);
    const hex = page.getByRole('button', { name: 'Hex', exact: true });
    await hex.click();
    expect(await hex.getAttribute('aria-pressed')).toBe('true');
    await expect
      .poll(async () => (await texts()).slice(-2))
      .toEqual([hexOf('SONG\r\n'), hexOf(`${SONG}\r\n`)]);
    await hex.click();
    await expect.poll(async () => (await texts()).slice(-2)).toEqual(['SONG', SONG]);
  });

  it('sends CRLF, LF or nothing after a line, and learns another server’s commands from HELP', async () => {
    const plain = await PlainServer.start((socket) => {
      socket.on('data', (chunk: Buffer) => {
        if (chunk.toString('utf8').startsWith('HELP')) socket.write('Commands: STATUS RESET\r\n');
      });
    });
    try {
      await page.getByLabel('Client port', { exact: true }).fill(String(plain.port));
      const quick = page.getByRole('group', { name: 'Quick commands' });
      // Not our server, and nothing heard from it yet: HELP asks.
      await expect.poll(() => quick.getByRole('button').allTextContents()).toEqual(['HELP']);
      await quick.getByRole('button', { name: 'HELP' }).click();
      await expect.poll(() => quick.getByRole('button').allTextContents()).toEqual(['STATUS', 'RESET']);

      const ending = page.getByRole('combobox', { name: 'Line ending' });
      await ending.selectOption('lf');
      await command().fill('LF-LINE');
      await command().press('Enter');
      await ending.selectOption('none');
      await command().fill('NO-END');
      await command().press('Enter');
      await ending.selectOption('crlf');
      await quick.getByRole('button', { name: 'STATUS' }).click();
      const wire = 'HELP\r\nLF-LINE\nNO-ENDSTATUS\r\n';
      expect((await plain.waitForBytes(wire.length)).toString('utf8')).toBe(wire);

      // Connect and Disconnect, explicitly.
      await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
      await expect.poll(() => page.locator('.client-state').textContent()).toBe('Not connected');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect
        .poll(() => page.locator('.client-state').textContent())
        .toBe(`Connected to 127.0.0.1:${plain.port}`);
      await expect.poll(() => plain.connections).toBe(2);
      await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
    } finally {
      await page.getByLabel('Client port', { exact: true }).fill(String(serverPort));
      await plain.close();
    }
  });

  it('looks right: busy log, live chart and a conversation, light and dark, 800×600 and 1280×800', async () => {
    await fs.mkdir(SHOTS, { recursive: true });
    // Five seconds of steady traffic, so the chart has a shape.
    const until = Date.now() + 5000;
    const commands = ['SONG', 'QUOTE', 'HAIKU', 'nope', 'POEM'];
    for (let i = 0; Date.now() < until; i++) {
      const c = await client([commands[i % commands.length] ?? 'SONG', 'QUOTE'], i % 3 !== 0);
      if (i % 3 === 0) c.end();
      await new Promise((resolve) => setTimeout(resolve, 120));
    }
    await command().fill('HELP');
    await command().press('Enter');
    await expect
      .poll(() => transcript().textContent())
      .toContain('Commands: HAIKU HELP POEM QUIT QUOTE SONG');

    for (const conversation of [false, true]) {
      if (conversation) {
        // A connection that has closed, so the panel has all its facts.
        const link = log().locator('.log-row--close .log-conn-link').last();
        const conn = (await link.textContent()) ?? '';
        await link.click();
        await expect
          .poll(() => page.getByRole('complementary', { name: `Conversation ${conn}` }).count())
          .toBe(1);
      }
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const [w, h] of [
          [1280, 800],
          [800, 600],
        ] as const) {
          await page.setViewportSize({ width: w, height: h });
          // Let the chart follow its new size and colours.
          await page.waitForTimeout(300);
          const name = `log-${w}x${h}-${scheme}${conversation ? '-conversation' : ''}.png`;
          await page.screenshot({ path: path.join(SHOTS, name) });
          const overflow = await page.evaluate<number>(
            'document.documentElement.scrollWidth - window.innerWidth',
          );
          expect(overflow, `${name} overflows sideways`).toBeLessThanOrEqual(0);
        }
      }
    }
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('loads nothing the page’s Content-Security-Policy refuses (uPlot included)', () => {
    expect(problems.filter((p) => /Content.Security.Policy|Refused to/i.test(p))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('reads back the previous run’s log after a restart', async () => {
    await client(['previous-run-marker'], true);
    await searchBox().fill('previous-run-marker');
    await expect.poll(async () => (await shownRows()).length).toBe(2);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect
      .poll(() => page.getByRole('status', { name: 'Server status' }).textContent())
      .toBe('Stopped');
    await page.close();
    web.cli.send('quit\n');
    await web.cli.exited;

    web = await startWebMode(dataDir);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    watch(page);
    await page.goto(web.url);
    await page.getByRole('button', { name: 'Open previous run' }).click();
    const note = page.getByRole('note', { name: 'Previous run' });
    await expect.poll(() => note.textContent()).toMatch(/Read-only: [\d,]+ rows of the app’s previous run/);
    await searchBox().fill('previous-run-marker');
    await expect
      .poll(async () => (await shownRows()).map((r) => r.detail))
      .toEqual(['previous-run-marker', 'Unknown command: previous-run-marker (38 bytes)']);
    await page.screenshot({ path: path.join(SHOTS, 'log-1280x800-light-previous-run.png') });
    await page.getByRole('button', { name: 'Back to live log' }).click();
    await expect.poll(() => note.count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
