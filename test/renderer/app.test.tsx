import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ServerStatus } from '../../electron/shared/ipc/models';
import { DEFAULT_SETTINGS } from '../../electron/shared/protocol/settings';
import { App } from '../../renderer/src/app';
import {
  RUNNING,
  STOPPED,
  clientEvent,
  clientState,
  createFakeBridge,
  logEntry,
  snapshot,
  stats,
  type FakeBridge,
} from './fake-bridge';

async function renderApp(fake: FakeBridge = createFakeBridge()): Promise<FakeBridge> {
  render(<App bridge={fake.bridge} />);
  await screen.findByRole('status', { name: 'Server status' });
  return fake;
}

const button = (name: string): HTMLButtonElement => screen.getByRole('button', { name });
const textbox = (name: string): HTMLInputElement => screen.getByRole('textbox', { name });
const combobox = (name: string): HTMLSelectElement => screen.getByRole('combobox', { name });
const settingsControls = (): (HTMLInputElement | HTMLSelectElement)[] => [
  textbox('Host'),
  textbox('Port'),
  combobox('Mode'),
  textbox('Max connections'),
  textbox('Idle timeout (s)'),
  textbox('Max line (bytes)'),
];
const status = (text: string, state: ServerStatus['state']): ServerStatus => ({
  state,
  host: '127.0.0.1',
  port: 31310,
  text,
});

describe('App', () => {
  it('shows main’s status text and enables Start and Stop by state', async () => {
    const fake = await renderApp(createFakeBridge(snapshot({ status: RUNNING })));
    const statusLine = screen.getByRole('status', { name: 'Server status' });
    expect(statusLine.textContent).toBe('Running on 127.0.0.1:31310');
    expect(button('Start').disabled).toBe(true);
    expect(button('Stop').disabled).toBe(false);
    for (const control of settingsControls()) expect(control.disabled).toBe(true);

    fake.emit('server:status', STOPPED);
    expect(statusLine.textContent).toBe('Stopped');
    expect(button('Start').disabled).toBe(false);
    expect(button('Stop').disabled).toBe(true);
    for (const control of settingsControls()) expect(control.disabled).toBe(false);

    fake.emit('server:status', status('Starting on 127.0.0.1:31310…', 'starting'));
    expect(button('Start').disabled).toBe(true);
    expect(textbox('Port').disabled).toBe(true);

    fake.emit('server:status', status('Stopping…', 'stopping'));
    expect(button('Start').disabled).toBe(true);

    fake.emit('server:status', status('port 31310 on 127.0.0.1 is already in use', 'failed'));
    expect(statusLine.textContent).toBe('port 31310 on 127.0.0.1 is already in use');
    expect(button('Start').disabled).toBe(false);
    expect(button('Stop').disabled).toBe(true);
  });

  it('gives no two controls the same accessible name', async () => {
    await renderApp(
      createFakeBridge(snapshot({ status: RUNNING, settings: { settings: DEFAULT_SETTINGS, problem: 'x' } })),
    );
    // Testing Library computes each accessible name; a name matcher that never matches collects them all.
    const names: string[] = [];
    for (const role of ['button', 'textbox', 'combobox', 'spinbutton', 'checkbox']) {
      screen.queryAllByRole(role, {
        name: (name) => {
          names.push(name);
          return false;
        },
      });
    }
    expect(names).toEqual(
      expect.arrayContaining(['Start', 'Stop', 'Send', 'Host', 'Port', 'Mode', 'Command']),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  it('shows log rows and counters from log batches, dropping rows it already has', async () => {
    const fake = await renderApp(
      createFakeBridge(
        snapshot({ status: RUNNING, recent: [logEntry(1, { kind: 'listening', conn: 0, remote: '' })] }),
      ),
    );
    const log = screen.getByRole('log', { name: 'Connection log' });
    expect(within(log).getAllByRole('listitem')).toHaveLength(1);

    fake.emit('log:batch', {
      entries: [
        logEntry(1, { kind: 'listening', conn: 0, remote: '' }),
        logEntry(2, { kind: 'open', conn: 7, remote: '127.0.0.1:50007', detail: 'connected' }),
        logEntry(3, { kind: 'line', conn: 7, remote: '127.0.0.1:50007', detail: 'SONG' }),
      ],
      stats: stats({ active: 3, total: 9 }),
    });
    fake.emit('log:batch', {
      entries: [logEntry(3, { detail: 'SONG' })],
      stats: stats({ active: 3, total: 9 }),
    });

    const rows = within(log).getAllByRole('listitem');
    expect(rows).toHaveLength(3);
    expect(rows[1]?.textContent).toContain('#7');
    expect(rows[1]?.textContent).toContain('127.0.0.1:50007');
    expect(rows[1]?.textContent).toContain('open');
    expect(rows[2]?.textContent).toContain('SONG');
    expect(screen.getByLabelText('Active connections').textContent).toBe('3');
    expect(screen.getByLabelText('Total connections').textContent).toBe('9');

    // The counters also come on their own, when nothing was logged.
    fake.emit('stats:update', {
      stats: stats({ active: 0, total: 9 }),
      series: { end: 0, connections: [], commands: [] },
    });
    expect(screen.getByLabelText('Active connections').textContent).toBe('0');
  });

  it('says when the log file cannot be written, from the snapshot and while it lasts', async () => {
    const problem = 'could not write the log /data/logs/switchboard.jsonl: EACCES: permission denied';
    const fake = await renderApp(createFakeBridge(snapshot({ logProblem: problem })));
    expect((await screen.findByText(problem)).textContent).toContain(problem);
    fake.emit('stats:update', { stats: stats(), series: { end: 0, connections: [], commands: [] } });
    await waitFor(() => expect(screen.queryByText(problem)).toBeNull());
    fake.emit('stats:update', {
      stats: stats(),
      series: { end: 0, connections: [], commands: [] },
      logProblem: 'could not write the log: ENOSPC',
    });
    expect((await screen.findByText('could not write the log: ENOSPC')).textContent).toContain(
      'could not write the log: ENOSPC',
    );
  });

  it('explains a bad field and sends nothing invalid to main', async () => {
    const user = userEvent.setup();
    const fake = await renderApp();
    const port = textbox('Port');
    await user.clear(port);
    await user.type(port, '70000');

    expect(port.getAttribute('aria-invalid')).toBe('true');
    const message = document.getElementById(port.getAttribute('aria-describedby') ?? '');
    expect(message?.textContent).toBe('port must be 0 to 65535');

    await user.click(button('Start'));
    expect(document.activeElement).toBe(port);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(fake.requests('server:start')).toEqual([]);
    expect(fake.requests('settings:save')).toEqual([]);
  });

  it('saves valid edits after a pause, once', async () => {
    const user = userEvent.setup();
    const fake = await renderApp();
    await user.clear(textbox('Port'));
    await user.type(textbox('Port'), '31311');
    await user.selectOptions(combobox('Mode'), 'one-shot');
    expect(fake.requests('settings:save')).toEqual([]);
    await waitFor(() => expect(fake.requests('settings:save')).toHaveLength(1), { timeout: 2000 });
    expect(fake.requests('settings:save')[0]).toEqual({ ...DEFAULT_SETTINGS, port: 31311, mode: 'one-shot' });
  });

  it('starts with the edited settings and stops', async () => {
    const user = userEvent.setup();
    const fake = await renderApp();
    await user.clear(textbox('Max connections'));
    await user.type(textbox('Max connections'), '5');
    await user.click(button('Start'));

    expect(fake.requests('server:start')).toEqual([{ ...DEFAULT_SETTINGS, maxConnections: 5 }]);
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'Server status' }).textContent).toBe(
        'Running on 127.0.0.1:31310',
      ),
    );
    expect(textbox('Host').disabled).toBe(true);

    await user.click(button('Stop'));
    expect(fake.requests('server:stop')).toHaveLength(1);
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'Server status' }).textContent).toBe('Stopped'),
    );
    expect(textbox('Host').disabled).toBe(false);
  });

  it('shows a failed start as the status and keeps working', async () => {
    const user = userEvent.setup();
    const failed = status('port 31310 on 127.0.0.1 is already in use', 'failed');
    const fake = createFakeBridge(snapshot(), {
      'server:start': () => ({ ok: false, status: failed, error: failed.text }),
    });
    await renderApp(fake);
    await user.click(button('Start'));
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'Server status' }).textContent).toBe(
        'port 31310 on 127.0.0.1 is already in use',
      ),
    );
    expect(button('Start').disabled).toBe(false);
    expect(textbox('Port').disabled).toBe(false);

    await user.type(textbox('Command'), 'HELP{Enter}');
    expect(fake.requests('client:send')).toHaveLength(1);
  });

  it('sends on Enter to the running server and shows the replies as they arrive', async () => {
    const user = userEvent.setup();
    const fake = await renderApp(createFakeBridge(snapshot({ status: RUNNING })));
    await user.type(textbox('Command'), 'SONG{Enter}');

    expect(fake.requests('client:send')).toEqual([
      { host: '127.0.0.1', port: 31310, line: 'SONG', lineEnding: 'crlf' },
    ]);
    expect(textbox('Command').value).toBe('');

    fake.emit('client:batch', {
      events: [
        clientEvent(1, 'sent', 'SONG'),
        clientEvent(2, 'reply', 'Old McDonald had a farm, E-I-E-I-O!'),
      ],
      state: clientState({ connected: true, target: { host: '127.0.0.1', port: 31310 } }),
    });
    const transcript = screen.getByRole('log', { name: 'Client transcript' });
    expect(within(transcript).getByText('SONG')).toBeTruthy();
    expect(within(transcript).getByText('Old McDonald had a farm, E-I-E-I-O!')).toBeTruthy();
    expect(button('Disconnect').disabled).toBe(false);

    await user.click(button('Clear'));
    expect(within(transcript).queryByText('SONG')).toBeNull();
    expect(fake.requests('client:clear')).toHaveLength(1);
    // Lines already shown and cleared do not come back with a repeated batch.
    fake.emit('client:batch', { events: [clientEvent(2, 'reply', 'Old McDonald')], state: clientState() });
    expect(within(transcript).queryByText('Old McDonald')).toBeNull();
  });

  it('recalls the command history main kept from earlier sessions', async () => {
    const user = userEvent.setup();
    await renderApp(createFakeBridge(snapshot({ clientHistory: ['SONG', 'HAIKU'] })));
    await user.click(textbox('Command'));
    await user.keyboard('{ArrowUp}');
    expect(textbox('Command').value).toBe('HAIKU');
    await user.keyboard('{ArrowUp}');
    expect(textbox('Command').value).toBe('SONG');
  });

  it('points the client at the running server until the user edits the address', async () => {
    const user = userEvent.setup();
    const fake = await renderApp();
    expect(textbox('Client host').value).toBe('127.0.0.1');
    expect(textbox('Client port').value).toBe('31310');

    fake.emit('server:status', {
      state: 'running',
      host: '0.0.0.0',
      port: 40000,
      text: 'Running on 0.0.0.0:40000',
    });
    expect(textbox('Client host').value).toBe('127.0.0.1');
    expect(textbox('Client port').value).toBe('40000');

    fake.emit('server:status', { state: 'running', host: '::', port: 40001, text: 'Running on [::]:40001' });
    expect(textbox('Client host').value).toBe('::1');

    await user.clear(textbox('Client port'));
    await user.type(textbox('Client port'), '5000');
    fake.emit('server:status', { ...RUNNING, port: 40002, text: 'Running on 127.0.0.1:40002' });
    expect(textbox('Client port').value).toBe('5000');
  });

  it('shows a settings problem as a notice that can be dismissed', async () => {
    const user = userEvent.setup();
    await renderApp(
      createFakeBridge(
        snapshot({
          settings: { settings: DEFAULT_SETTINGS, problem: 'settings.json is not valid JSON (line 3)' },
        }),
      ),
    );
    const notice = screen.getByRole('alert');
    expect(notice.textContent).toContain('settings.json is not valid JSON (line 3)');
    await user.click(button('Dismiss'));
    expect(screen.queryByText(/settings.json is not valid JSON/)).toBeNull();
  });

  it('warns while the server is open to the network', async () => {
    await renderApp(
      createFakeBridge(
        snapshot({
          status: {
            ...RUNNING,
            host: '0.0.0.0',
            warning: 'listening on 0.0.0.0: other machines on your network can connect',
          },
        }),
      ),
    );
    expect(screen.getByRole('note').textContent).toContain('other machines on your network can connect');
  });

  it('says so when main does not answer, and tries again', async () => {
    const user = userEvent.setup();
    let fail = true;
    const fake = createFakeBridge(snapshot(), {
      'app:snapshot': () => {
        if (fail) throw new Error('the connection to Switchboard was closed; reload the page');
        return snapshot({ status: RUNNING });
      },
    });
    render(<App bridge={fake.bridge} />);
    expect((await screen.findByRole('alert')).textContent).toContain(
      'the connection to Switchboard was closed',
    );
    fail = false;
    await user.click(button('Try again'));
    expect((await screen.findByRole('status', { name: 'Server status' })).textContent).toBe(
      'Running on 127.0.0.1:31310',
    );
  });

  it('acts on the app menu’s Start, Stop and Focus command as its own buttons would', async () => {
    const fake = await renderApp();
    fake.emit('app:action', 'start');
    await waitFor(() => expect(fake.requests('server:start')).toHaveLength(1));
    await waitFor(() => expect(button('Stop').disabled).toBe(false));
    // Start again while running does nothing, as the disabled button would.
    fake.emit('app:action', 'start');
    fake.emit('app:action', 'stop');
    await waitFor(() => expect(fake.requests('server:stop')).toHaveLength(1));
    expect(fake.requests('server:start')).toHaveLength(1);
    fake.emit('app:action', 'focus-command');
    await waitFor(() => expect(document.activeElement).toBe(textbox('Command')));
  });

  it('takes the same shortcuts from the keyboard, even while typing a command', async () => {
    const user = userEvent.setup();
    const fake = await renderApp();
    await user.type(textbox('Command'), 'SONG');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(fake.requests('server:start')).toHaveLength(1));
    // The line was not sent: the shortcut took the key.
    expect(fake.requests('client:send')).toEqual([]);
    await waitFor(() => expect(button('Stop').disabled).toBe(false));
    await user.keyboard('{Control>}{Shift>}{Enter}{/Shift}{/Control}');
    await waitFor(() => expect(fake.requests('server:stop')).toHaveLength(1));
    await user.click(document.body);
    await user.keyboard('{Control>}l{/Control}');
    await waitFor(() => expect(document.activeElement).toBe(textbox('Command')));
  });

  it('shows the live counters and chart summary in the sidebar', async () => {
    const fake = await renderApp();
    fake.emit('stats:update', {
      stats: stats({ active: 7, total: 7, commands: 12 }),
      series: { end: 100, connections: [0, 7, 0], commands: [0, 12, 0] },
    });
    expect(screen.getByLabelText('Active connections').textContent).toBe('7');
    expect(screen.getByLabelText('Requests').textContent).toBe('12');
    expect(screen.getByRole('img', { name: /peak 12/ })).toBeTruthy();
  });

  it('offers the command table’s quick commands for the running server', async () => {
    const user = userEvent.setup();
    const fake = await renderApp(createFakeBridge(snapshot({ status: RUNNING })));
    const group = screen.getByRole('group', { name: 'Quick commands' });
    await user.click(within(group).getByRole('button', { name: 'QUOTE' }));
    expect(fake.requests('client:send')).toEqual([
      { host: '127.0.0.1', port: 31310, line: 'QUOTE', lineEnding: 'crlf' },
    ]);
    fake.emit('commands:state', {
      table: { commands: [{ name: 'PING', reply: 'PONG' }], builtins: { quit: false } },
      presets: [],
      inbox: [],
    });
    expect(
      within(group)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['PING', 'HELP']);
  });
});
