import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  LogEntry,
  LogRecord,
  LogRetention,
  PreviousLog,
  RunLogPage,
} from '../../../electron/shared/ipc/models';
import { ConnectionLog } from '../../../renderer/src/components/connection-log';
import type { ReadRunPage } from '../../../renderer/src/lib/run-export';
import { downloadBlob, downloadText } from '../../../renderer/src/lib/download';
import { formatClock } from '../../../renderer/src/lib/format';
import { logEntry } from '../fake-bridge';

vi.mock('../../../renderer/src/lib/download', () => ({ downloadText: vi.fn(), downloadBlob: vi.fn() }));

const log = (): HTMLElement => screen.getByRole('log', { name: 'Connection log' });
const rows = (): HTMLElement[] => within(log()).queryAllByRole('listitem');
const details = (): string[] => rows().map((r) => r.querySelector('.log-detail')?.textContent ?? '');

/** Two connections and the server. */
const LOG: LogEntry[] = [
  logEntry(1, { conn: 0, remote: '', kind: 'listening', detail: 'listening on 127.0.0.1:31310' }),
  logEntry(2, { conn: 7, remote: '127.0.0.1:50007', kind: 'open', detail: 'connected' }),
  logEntry(3, { conn: 7, remote: '127.0.0.1:50007', kind: 'line', detail: 'SONG' }),
  logEntry(4, {
    conn: 7,
    remote: '127.0.0.1:50007',
    kind: 'reply',
    detail: 'Old McDonald had a farm (37 bytes)',
  }),
  logEntry(5, { conn: 8, remote: '[::1]:50008', kind: 'open', detail: 'connected' }),
  logEntry(6, { conn: 8, remote: '[::1]:50008', kind: 'line', detail: 'quote' }),
  logEntry(7, {
    conn: 7,
    remote: '127.0.0.1:50007',
    kind: 'close',
    detail: 'closed (QUIT); 6 bytes in, 43 out, 0.250 s',
  }),
];

/** jsdom's Blob has no text(); its FileReader reads one. */
function blobText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('could not read the blob'));
    reader.readAsText(blob);
  });
}

interface Options {
  entries?: readonly LogEntry[];
  skipped?: number;
  retention?: LogRetention;
  previous?: () => Promise<PreviousLog>;
  readRunPage?: ReadRunPage;
}

function renderLog(options: Options = {}) {
  const onClear = vi.fn();
  const loadPrevious = vi.fn(
    options.previous ?? (() => Promise.resolve({ files: [], entries: [], truncated: 0 })),
  );
  const props = (entries: readonly LogEntry[]) => (
    <ConnectionLog
      entries={entries}
      running
      skipped={options.skipped ?? 0}
      retention={options.retention ?? null}
      logFile="/data/logs/switchboard.jsonl"
      onClear={onClear}
      loadPrevious={loadPrevious}
      readRunPage={options.readRunPage}
    />
  );
  const view = render(props(options.entries ?? LOG));
  return {
    ...view,
    onClear,
    loadPrevious,
    user: userEvent.setup(),
    update: (entries: readonly LogEntry[]) => view.rerender(props(entries)),
  };
}

describe('ConnectionLog', () => {
  beforeEach(() => {
    vi.mocked(downloadText).mockClear();
    vi.mocked(downloadBlob).mockClear();
  });

  it('shows time, connection, remote address, kind and detail on each row', () => {
    const entry = logEntry(4, { conn: 12, remote: '[::1]:50012', kind: 'reply', detail: 'Bye. (6 bytes)' });
    renderLog({ entries: [entry] });
    const text = rows()[0]?.textContent ?? '';
    expect(text).toContain(formatClock(entry.at));
    expect(text).toContain('#12');
    expect(text).toContain('[::1]:50012');
    expect(text).toContain('reply');
    expect(text).toContain('Bye. (6 bytes)');
  });

  it('names the server on its own rows', () => {
    renderLog({ entries: [LOG[0] as LogEntry] });
    expect(rows()[0]?.textContent).toContain('server');
    expect(rows()[0]?.textContent).not.toContain('#0');
  });

  it('shows a detail as text, never as markup', () => {
    renderLog({ entries: [logEntry(1, { detail: '<img src=x onerror=alert(1)>\\x1B[31m' })] });
    expect(log().querySelector('img')).toBeNull();
    expect(details()).toEqual(['<img src=x onerror=alert(1)>\\x1B[31m']);
  });

  it('says what to do when there is nothing yet', () => {
    render(
      <ConnectionLog
        entries={[]}
        running={false}
        skipped={0}
        logFile=""
        onClear={vi.fn()}
        loadPrevious={vi.fn()}
      />,
    );
    expect(log().textContent).toContain('Start the server');
  });

  it('draws only the rows in view of fifty thousand', () => {
    const many = Array.from({ length: 50_000 }, (_, i) => logEntry(i + 1));
    renderLog({ entries: many });
    const shown = rows();
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(100);
    expect(shown[0]?.getAttribute('aria-setsize')).toBe('50000');
    expect(screen.getByText('50,000 rows')).toBeTruthy();
  });

  it('filters by event kind', async () => {
    const { user } = renderLog();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Event kinds' }), 'kind:line');
    expect(details()).toEqual(['SONG', 'quote']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Event kinds' }), 'connections');
    expect(rows().map((r) => r.querySelector('.log-kind')?.textContent)).toEqual(['open', 'open', 'close']);
    expect(screen.getByText('3 of 7 rows')).toBeTruthy();
  });

  it('filters by connection, and says when the field cannot be read', async () => {
    const { user } = renderLog();
    const field = screen.getByRole('textbox', { name: 'Connection' });
    await user.type(field, '#8');
    expect(details()).toEqual(['connected', 'quote']);
    await user.clear(field);
    await user.type(field, 'eight');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Connection: a connection number, like #12')).toBeTruthy();
    expect(rows()).toHaveLength(LOG.length);
  });

  it('searches the detail and the remote address', async () => {
    const { user } = renderLog();
    await user.type(screen.getByRole('searchbox', { name: 'Search log' }), 'mcdonald');
    await waitFor(() => expect(details()).toEqual(['Old McDonald had a farm (37 bytes)']));
    await user.clear(screen.getByRole('searchbox', { name: 'Search log' }));
    await user.type(screen.getByRole('searchbox', { name: 'Search log' }), '::1');
    await waitFor(() => expect(details()).toEqual(['connected', 'quote']));
  });

  it('says when nothing matches', async () => {
    const { user } = renderLog();
    await user.type(screen.getByRole('searchbox', { name: 'Search log' }), 'nothing like this');
    await waitFor(() => expect(log().textContent).toContain('No rows match the filters.'));
  });

  it('pauses: rows hold still, new ones are counted, and the marker resumes to them', async () => {
    const { user, update } = renderLog();
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    expect(screen.getByRole('button', { name: 'Resume' })).toBeTruthy();
    update([...LOG, logEntry(8, { detail: 'eight' }), logEntry(9, { detail: 'nine' })]);
    expect(rows()).toHaveLength(7);
    await user.click(screen.getByRole('button', { name: '2 new' }));
    expect(rows()).toHaveLength(9);
    expect(details().slice(-2)).toEqual(['eight', 'nine']);
    expect(screen.queryByRole('button', { name: /new$/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
  });

  it('resumes with the Resume button too', async () => {
    const { user, update } = renderLog();
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    update([...LOG, logEntry(8)]);
    expect(screen.getByRole('button', { name: '1 new' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    expect(rows()).toHaveLength(8);
  });

  it('clears the window’s rows through its owner', async () => {
    const { user, onClear, update } = renderLog();
    await user.click(screen.getByRole('button', { name: 'Clear log' }));
    expect(onClear).toHaveBeenCalledTimes(1);
    update([]);
    expect(rows()).toHaveLength(0);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Clear log' }).disabled).toBe(true);
  });

  it('says how many rows main left out, and where they are, claiming no more than it knows', () => {
    renderLog({ skipped: 1234 });
    const note = screen.getByText(
      '1,234 rows not shown in the window. The log file received them; its rotation keeps only the newest files.',
    );
    expect(note.getAttribute('title')).toBe('The log file: /data/logs/switchboard.jsonl');
  });

  it('says exactly what the log files still hold, and what rotation deleted, when main can tell', () => {
    renderLog({
      skipped: 8_494_712,
      retention: {
        maxBytes: 25 * 1024 * 1024,
        keep: 5,
        rowsInFiles: 1_094_712,
        rowsRotatedAway: 7_400_000,
        rowsDropped: 0,
      },
    });
    expect(
      screen.getByText(
        '8,494,712 rows not shown in the window. The log files hold the newest 1,094,712 rows of this run. ' +
          'Older rows were rotated away: 7,400,000.',
      ),
    ).toBeTruthy();
  });

  it('opens a connection’s conversation from its row and from the Connection field', async () => {
    const { user } = renderLog();
    const sevens = within(log()).getAllByRole('button', { name: '#7' });
    await user.click(sevens[0] as HTMLElement);
    const panel = screen.getByRole('complementary', { name: 'Conversation #7' });
    expect(within(panel).getByText('SONG')).toBeTruthy();
    await user.click(within(panel).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('complementary', { name: 'Conversation #7' })).toBeNull();

    await user.type(screen.getByRole('textbox', { name: 'Connection' }), '8');
    await user.click(screen.getByRole('button', { name: 'Show conversation #8' }));
    expect(screen.getByRole('complementary', { name: 'Conversation #8' })).toBeTruthy();
  });

  it('exports the shown rows or all of them, as JSON Lines or CSV', async () => {
    const { user } = renderLog();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Event kinds' }), 'kind:line');
    await user.click(screen.getByRole('button', { name: 'Export' }));
    await user.click(screen.getByRole('menuitem', { name: 'Shown rows (2) as CSV' }));
    const [name, text, type] = vi.mocked(downloadText).mock.calls[0] ?? [];
    expect(name).toMatch(/^switchboard-log-shown-\d{8}-\d{6}\.csv$/);
    expect(type).toBe('text/csv');
    expect(
      text
        ?.split('\r\n')
        .slice(1, -1)
        .map((l) => l.split(',').pop()),
    ).toEqual(['SONG', 'quote']);

    await user.click(screen.getByRole('button', { name: 'Export' }));
    await user.click(screen.getByRole('menuitem', { name: 'Rows in the window (7) as JSON Lines' }));
    const [allName, allText, allType] = vi.mocked(downloadText).mock.calls[1] ?? [];
    expect(allName).toMatch(/^switchboard-log-\d{8}-\d{6}\.jsonl$/);
    expect(allType).toBe('application/jsonl');
    expect(allText?.trimEnd().split('\n')).toHaveLength(LOG.length);
  });

  it('exports all rows of this run page by page from the log file, and says what the file covers', async () => {
    const page = (rows: LogRecord[], o: Partial<RunLogPage>): RunLogPage => ({
      rows,
      lastSeq: rows.at(-1)?.seq ?? 0,
      untilSeq: 9,
      done: false,
      missing: 0,
      damaged: 0,
      ...o,
    });
    const reply = logEntry(5, {
      kind: 'reply',
      text: 'two\r\nlines\r\n',
      bytes: 12,
      dir: 'out',
    });
    const readRunPage = vi.fn<ReadRunPage>(({ afterSeq, untilSeq }) =>
      Promise.resolve(
        afterSeq === 0
          ? page([logEntry(4, { kind: 'line' })], { missing: 3, resume: { firstSeq: 4, offset: 120 } })
          : page([reply], { untilSeq: untilSeq ?? 0, done: true, missing: 4, damaged: 1, lastSeq: 9 }),
      ),
    );
    const retention: LogRetention = {
      maxBytes: 1,
      keep: 1,
      rowsInFiles: 2,
      rowsRotatedAway: 3,
      rowsDropped: 4,
    };
    const { user } = renderLog({ readRunPage, retention });
    await user.click(screen.getByRole('button', { name: 'Export' }));
    await user.click(
      screen.getByRole('menuitem', { name: 'All rows of this run, from the log file, as JSON Lines' }),
    );
    const note = await screen.findByRole('status', { name: 'Export of this run' });
    await waitFor(() =>
      expect(note.textContent).toBe(
        'Exported all 2 rows of this run the log file holds. 7 rows of this run are not in it ' +
          '(rotated away or never written). 1 damaged line skipped.',
      ),
    );
    // The first page fixes the end; the next reads on where it stopped.
    expect(readRunPage.mock.calls).toEqual([
      [{ afterSeq: 0 }],
      [{ afterSeq: 4, untilSeq: 9, resume: { firstSeq: 4, offset: 120 } }],
    ]);
    const [name, blob] = vi.mocked(downloadBlob).mock.calls[0] ?? [];
    expect(name).toMatch(/^switchboard-log-run-\d{8}-\d{6}\.jsonl$/);
    const lines = (await blobText(blob as Blob))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as LogRecord);
    expect(lines.map((l) => l.seq)).toEqual([4, 5]);
    expect(lines[1]).toMatchObject({ text: 'two\r\nlines\r\n', bytes: 12, dir: 'out' });
    expect(downloadText).not.toHaveBeenCalled();
  });

  it('shows the previous run read-only, with what was left out, and goes back', async () => {
    const previous: PreviousLog = {
      files: ['/data/logs/previous.jsonl.1', '/data/logs/previous.jsonl'],
      entries: [logEntry(1, { detail: 'from last time' }), logEntry(2, { conn: 3, detail: 'also old' })],
      truncated: 500,
      problem: '1 damaged line was skipped',
    };
    const { user, loadPrevious } = renderLog({ previous: () => Promise.resolve(previous) });
    await user.click(screen.getByRole('button', { name: 'Open previous run' }));
    expect(loadPrevious).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(details()).toEqual(['from last time', 'also old']));
    const note = screen.getByRole('note', { name: 'Previous run' });
    expect(note.textContent).toContain('2 rows of the app’s previous run from previous.jsonl and 1 more');
    expect(note.textContent).toContain('500 older rows left out here (they stay in the file)');
    expect(note.textContent).toContain('1 damaged line was skipped');
    // Read-only: nothing to pause or clear there.
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Clear log' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Back to live log' }));
    expect(rows()).toHaveLength(LOG.length);
    expect(screen.queryByRole('note', { name: 'Previous run' })).toBeNull();
  });

  it('says so when there was no previous run, or it could not be read', async () => {
    const { user, unmount } = renderLog();
    await user.click(screen.getByRole('button', { name: 'Open previous run' }));
    await waitFor(() => expect(log().textContent).toContain('There is no previous run to show.'));
    unmount();

    const failing = renderLog({ previous: () => Promise.reject(new Error('EACCES: permission denied')) });
    await failing.user.click(screen.getByRole('button', { name: 'Open previous run' }));
    expect((await screen.findByText('EACCES: permission denied')).closest('.notice')).toBeTruthy();
  });

  it('Problems shows rejections, errors (a failed start too) and closes that went wrong', async () => {
    const entries: LogRecord[] = [
      logEntry(1, {
        conn: 0,
        remote: '',
        kind: 'error',
        detail: 'start failed: port 80 on 127.0.0.1 needs permission',
      }),
      logEntry(2, {
        conn: 3,
        kind: 'close',
        detail: 'closed (line too long); 5000 bytes in, 20 out, 0.1 s',
        reason: 'line-too-long',
      }),
      logEntry(3, {
        conn: 4,
        kind: 'close',
        detail: 'closed (idle timeout); 0 bytes in, 18 out, 300.0 s',
        reason: 'idle',
      }),
      logEntry(4, {
        conn: 5,
        kind: 'close',
        detail: 'closed (QUIT); 6 bytes in, 6 out, 0.1 s',
        reason: 'quit',
      }),
      // Read back from a log file: no typed reason, the detail says it.
      logEntry(5, { conn: 6, kind: 'close', detail: 'closed (idle timeout); 0 bytes in, 18 out, 300.0 s' }),
      logEntry(6, { conn: 7, kind: 'rejected', detail: 'rejected: server busy' }),
      logEntry(7, { conn: 8, kind: 'line', detail: 'closed (idle timeout)' }),
    ];
    const { user } = renderLog({ entries });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Event kinds' }), 'problems');
    expect(rows().map((r) => r.querySelector('.log-conn')?.textContent ?? '')).toEqual([
      '',
      '#3',
      '#4',
      '#6',
      '#7',
    ]);
  });

  it('shows bidi and invisible characters from the wire escaped, so no row reads backwards', () => {
    renderLog({
      entries: [logEntry(1, { detail: '\u202Eevil\u200B (6 bytes)' }), logEntry(2, { detail: 'ok \x1B[2J' })],
    });
    expect(details()).toEqual(['\\u{202E}evil\\u{200B} (6 bytes)', 'ok \\x1B[2J']);
    expect(rows()[0]?.querySelector('.log-detail')?.getAttribute('title')).toBe(
      '\\u{202E}evil\\u{200B} (6 bytes)',
    );
  });

  it('reaches the #N buttons by keyboard: one in the tab order, arrows move between them', async () => {
    const { user } = renderLog();
    const links = (): HTMLElement[] => within(log()).getAllByRole('button', { name: /^#\d+$/ });
    expect(links().filter((b) => b.tabIndex === 0)).toHaveLength(1);
    log().focus();
    await user.tab();
    expect(document.activeElement).toBe(links()[0]);
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(document.activeElement).toBe(links()[2]);
    // The one focused last is the one Tab comes back to.
    expect(links()[2]?.tabIndex).toBe(0);
    expect(links().filter((b) => b.tabIndex === 0)).toHaveLength(1);
    await user.keyboard('{Enter}');
    expect(screen.getByRole('complementary', { name: 'Conversation #7' })).toBeTruthy();
  });
});
