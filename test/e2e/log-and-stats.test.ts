/**
 * The connection log, the live stats and the test client end to end, in
 * real Chromium through browser mode: filters, search, pause, a
 * connection's conversation, exports checked byte for byte, the hex view,
 * line endings as the far end receives them, the counters after a known
 * load, and the previous run's log after a restart. It also takes the
 * screenshots of issue 4 (busy log, chart, conversation; light and dark).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PlainServer, type RawClient } from '../helpers/net.js';
import { browserRunsSkipped, launchChromium, screenshotDir, startWebMode } from '../helpers/browser.js';
import { openWindow, type TestWindow } from './window-fixture.js';
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

describe.skipIf(missing !== null)('connection log, live stats and test client in Chromium', () => {
  let browser: Browser;
  let w: TestWindow;
  let page: Page;
  let serverPort = 0;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
  });
  // Each test has its own host, window and running server: none depends on another's rows.
  beforeEach(async () => {
    w = await openWindow(browser);
    page = w.page;
    serverPort = await w.startServer();
  });
  afterEach(async () => {
    await w.close();
  });

  const log = (): Locator => page.getByRole('log', { name: 'Connection log' });
  /** A counter's exact value (its tile may show it shortened, 1.2M). */
  const counter = (name: string): Promise<string | null> =>
    page.getByLabel(name, { exact: true }).getAttribute('data-value');
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
    const c = await w.client(serverPort);
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

  /** The chart's canvas is as wide as its box (uPlot has followed a resize). */
  function chartFitsItsBox(): Promise<boolean> {
    return page.evaluate<boolean>(
      `(() => { const box = document.querySelector('.stats-chart-canvas'); const c = box && box.querySelector('canvas');
        return !!c && Math.abs(c.getBoundingClientRect().width - box.getBoundingClientRect().width) <= 2; })()`,
    );
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
    // A fresh window: the server's listening row, and nothing else on its way.
    await expect.poll(shownCount).toBe(1);
    const before = 1;
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
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('menuitem', { name: item }).click(),
      ]);
      const saved = await file.path();
      return { name: file.suggestedFilename(), text: await fs.readFile(saved, 'utf8') };
    };

    const jsonl = await download('Shown rows (6) as JSON Lines');
    expect(jsonl.name).toMatch(/^switchboard-log-shown-\d{8}-\d{6}\.jsonl$/);
    const exported = jsonl.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // The durable log's names and values, row for row as shown.
    expect(exported.map((e) => [e.at, e.conn, e.remote, e.kind, e.detail])).toEqual(
      rows.map((r) => [Date.parse(r.time), connection, r.remote, r.kind, r.detail]),
    );
    // Typed fields: direction, the text as on the wire (its CRLF a real line break), bytes, close reason.
    const reply = 'Unknown command: say "hi", please\r\n';
    expect(exported[1]).toMatchObject({ kind: 'line', dir: 'in', text: 'say "hi", please', bytes: 17 });
    expect(exported[2]).toMatchObject({ kind: 'reply', dir: 'out', text: reply, bytes: 35 });
    expect(exported[5]).toMatchObject({ kind: 'close', reason: 'quit', bytesIn: 22, bytesOut: 41 });
    expect(exported.every((e) => typeof e.seq === 'number')).toBe(true);

    const csv = await download('Shown rows (6) as CSV');
    expect(csv.name).toMatch(/^switchboard-log-shown-\d{8}-\d{6}\.csv$/);
    expect(
      csv.text.startsWith(
        '\uFEFFseq,at,conn,remote,kind,dir,text,bytes,reason,bytesIn,bytesOut,durationMs,detail\r\n',
      ),
    ).toBe(true);
    // The quoted fields, spelled out: the reply's text with its real CRLF inside the quotes.
    expect(csv.text).toContain(',line,in,"say ""hi"", please",17,,,,,"say ""hi"", please"\r\n');
    expect(csv.text).toContain(`,reply,out,"Unknown command: say ""hi"", please\r\n",35,`);

    // Everything the window holds, whatever the filters; the menu says how many and from where.
    const total = Number(
      (await page.locator('.log-count').textContent())?.match(/of ([\d,]+)/)?.[1]?.replace(/,/g, ''),
    );
    const all = await download(`Rows in the window (${total.toLocaleString('en-US')}) as JSON Lines`);
    expect(all.name).toMatch(/^switchboard-log-\d{8}-\d{6}\.jsonl$/);
    expect(all.text.trimEnd().split('\n')).toHaveLength(total);
    expect(JSON.parse(all.text.split('\n')[0] ?? '')).toMatchObject({ conn: 0, kind: 'listening' });
    await resetFilters();
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
          // Wait for the chart to follow its new size (its colours come with it).
          await expect.poll(chartFitsItsBox).toBe(true);
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

  it('loads nothing the page’s Content-Security-Policy refuses (uPlot included)', async () => {
    await client(['SONG'], true);
    await expect.poll(() => page.locator('.stats-chart-canvas canvas').count()).toBeGreaterThan(0);
    expect(w.problems.filter((p) => /Content.Security.Policy|Refused to/i.test(p))).toEqual([]);
    expect(w.problems).toEqual([]);
  });

  it('reads back the previous run’s log after a restart', async () => {
    await client(['previous-run-marker'], true);
    await searchBox().fill('previous-run-marker');
    await expect.poll(async () => (await shownRows()).length).toBe(2);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect
      .poll(() => page.getByRole('status', { name: 'Server status' }).textContent())
      .toBe('Stopped');
    await w.quitHost();

    // The same data folder, a new run: its window reads back the last one.
    const next = await startWebMode(w.dataDir);
    const again = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    again.on('pageerror', (e) => problems.push(e.message));
    try {
      page = again;
      await page.goto(next.url);
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
    } finally {
      await again.close();
      next.cli.send('quit\n');
      await next.cli.exited;
    }
  });

  /** Rows the note above the log says were not shown in the window (0 without a note). */
  async function skippedCount(): Promise<number> {
    const note = page.locator('.log-note');
    if ((await note.count()) === 0) return 0;
    const text = (await note.textContent()) ?? '';
    return Number(text.match(/^([\d,]+) rows? not shown/)?.[1]?.replace(/,/g, '') ?? 0);
  }

  /** The row count the log's header reads (`1,234 rows`). */
  async function rowCount(): Promise<number> {
    const text = (await page.locator('.log-count').textContent()) ?? '';
    return Number(text.match(/([\d,]+) rows?$/)?.[1]?.replace(/,/g, '') ?? NaN);
  }

  it('a reloaded window shows every row it held, and Clear stays cleared through a reload', async () => {
    // 1,500 commands: 3,002 rows, more than one batch (2,000) carries.
    // In steps of 100, so that every row reaches the window (a burst beyond one batch is skipped).
    const c = await client([]);
    for (let step = 0; step < 15; step++) {
      c.write(Array.from({ length: 100 }, (_, i) => `L${step * 100 + i}\n`).join(''));
      await c.waitFor(`Unknown command: L${step * 100 + 99}\r\n`);
    }
    // Every row is in the window or counted as skipped (a busy host may skip some for a slow tab).
    await expect
      .poll(async () => (await rowCount()) + (await skippedCount()), { timeout: 20_000 })
      .toBe(3002);
    // A reload brings back every row main holds: at least what the window showed, here all of them.
    await page.reload();
    await expect.poll(rowCount, { timeout: 20_000 }).toBe(3002);

    await page.getByRole('button', { name: 'Clear log' }).click();
    await expect.poll(rowCount).toBe(0);
    await page.reload();
    await w.status().waitFor();
    // The snapshot has arrived (the status reads it) and brings none of the cleared rows back.
    await expect.poll(() => w.status().textContent()).toBe(`Running on 127.0.0.1:${serverPort}`);
    expect(await rowCount()).toBe(0);
    await client(['SONG'], true);
    await expect.poll(rowCount).toBe(6);
  });

  it('Problems shows closes for a line too long and an idle timeout; the close reason is in the export', async () => {
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => w.status().textContent()).toBe('Stopped');
    serverPort = await w.startServer({ maxLine: 16, idleSec: 1 });
    const long = await client([]);
    long.write(`${'x'.repeat(40)}\n`);
    await long.waitFor('ERR line too long');
    const idle = await client([]);
    await idle.waitFor('ERR idle timeout');
    const fine = await client(['SONG'], true);
    await page.getByRole('combobox', { name: 'Event kinds' }).selectOption('problems');
    await expect
      .poll(async () => (await shownRows()).map((r) => `${r.kind} ${r.detail.replace(/;.*/, '')}`), {
        timeout: 10_000,
      })
      .toEqual(['close closed (line too long)', 'close closed (idle timeout)']);
    expect((await shownRows()).some((r) => r.remote === remoteOf(fine))).toBe(false);
  });

  it('after Stop the rates fall to zero, while the chart keeps its peak in view', async () => {
    const c = await client([]);
    c.write('SONG\n'.repeat(300));
    await c.waitFor(`${SONG}\r\n`.repeat(300));
    const legend = page.locator('.stats-legend-item--commands strong');
    await expect.poll(async () => Number(await legend.textContent()), { timeout: 5000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    // The "now" rate is the average of the last ten complete seconds: within some 12 s it is 0.
    await expect.poll(() => legend.textContent(), { timeout: 20_000 }).toBe('0');
    expect(await page.getByRole('img', { name: /Commands:/ }).getAttribute('aria-label')).toMatch(
      /Commands: 0 per second now, peak [1-9]/,
    );
  });

  it('shows large counts in compact notation, exact on hover and for screen readers; Reset starts over', async () => {
    const c = await client([]);
    c.write('Q\n'.repeat(12_000));
    await c.waitFor('Unknown command: Q\r\n'.repeat(12_000));
    const requests = page.getByLabel('Requests', { exact: true });
    await expect.poll(() => requests.getAttribute('data-value'), { timeout: 20_000 }).toBe('12,000');
    expect(await requests.locator('[aria-hidden="true"]').textContent()).toBe('12K');
    expect(await requests.locator('.sr-only').textContent()).toBe('12,000');
    expect(await page.locator('.stat--requests').getAttribute('title')).toBe(
      'Command lines received: 12,000',
    );
    await fs.mkdir(SHOTS, { recursive: true });
    for (const [width, height] of [
      [1280, 800],
      [800, 600],
    ] as const) {
      await page.setViewportSize({ width, height });
      // No stat value is cut with an ellipsis: each fits its tile.
      const cut = await page.evaluate<number>(
        `[...document.querySelectorAll('.stat-value')].filter((el) => el.scrollWidth > el.clientWidth + 1).length`,
      );
      expect(cut, `${width}x${height}`).toBe(0);
      await page.screenshot({ path: path.join(SHOTS, `stats-${width}x${height}-compact.png`) });
    }
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await expect.poll(() => counter('Requests')).toBe('0');
    expect(await counter('Total connections')).toBe('0');
    // The open connection stays open, and counted as open.
    expect(await counter('Active connections')).toBe('1');
    c.write('SONG\n');
    await c.waitFor(SONG);
    await expect.poll(() => counter('Requests')).toBe('1');
  });

  it('escapes bidi and invisible characters from the wire, so no row reads backwards', async () => {
    await client(['\u202Eevil\u200B'], true);
    await searchBox().fill('evil');
    await expect
      .poll(async () => (await shownRows()).map((r) => r.detail))
      .toEqual(['\\u{202E}evil\\u{200B}', expect.stringMatching(/^Unknown command: .*evil/)]);
    const shown = await log().locator('.log-row--line .log-detail').first().textContent();
    expect(shown).toBe('\\u{202E}evil\\u{200B}');
    expect(shown).not.toMatch(/[\u202E\u200B]/);
  });
});
