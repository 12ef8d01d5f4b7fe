import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CLASSIC_TABLE, type CommandTable } from '../../../electron/shared/protocol/command-table';
import type { ClientSendOutcome, ClientSendRequest } from '../../../electron/shared/ipc/ipc-contract';
import type {
  ClientEvent,
  ClientState,
  ClientTarget,
  ServerStatus,
} from '../../../electron/shared/ipc/models';
import { ClientPane } from '../../../renderer/src/components/client-pane';
import { RUNNING, STOPPED, clientEvent, clientState } from '../fake-bridge';

const DISCONNECTED: ClientState = clientState();

function renderPane(
  options: {
    client?: ClientState;
    transcript?: ClientEvent[];
    outcome?: ClientSendOutcome;
    connectOutcome?: ClientSendOutcome;
    status?: ServerStatus;
    table?: CommandTable | null;
  } = {},
) {
  const sent: ClientSendRequest[] = [];
  const onSend = vi.fn((request: ClientSendRequest): Promise<ClientSendOutcome> => {
    sent.push(request);
    return Promise.resolve(options.outcome ?? { ok: true, state: DISCONNECTED });
  });
  const onConnect = vi.fn((target: ClientTarget): Promise<ClientSendOutcome> =>
    Promise.resolve(options.connectOutcome ?? { ok: true, state: clientState({ connected: true, target }) }),
  );
  const onDisconnect = vi.fn();
  const onClear = vi.fn();
  const view = render(
    <ClientPane
      defaultTarget={{ host: '127.0.0.1', port: '31310' }}
      client={options.client ?? DISCONNECTED}
      transcript={options.transcript ?? []}
      serverStatus={options.status ?? STOPPED}
      commandTable={options.table === undefined ? CLASSIC_TABLE : options.table}
      onSend={onSend}
      onConnect={onConnect}
      onDisconnect={onDisconnect}
      onClear={onClear}
    />,
  );
  return { ...view, sent, onSend, onConnect, onDisconnect, onClear, user: userEvent.setup() };
}

const quickButtons = (): string[] =>
  within(screen.getByRole('group', { name: 'Quick commands' }))
    .getAllByRole('button')
    .map((b) => b.textContent);

const command = (): HTMLInputElement => screen.getByRole('textbox', { name: 'Command' });

describe('ClientPane', () => {
  it('sends with Enter and with Send, with the chosen line ending', async () => {
    const { user, sent } = renderPane();
    await user.type(command(), 'SONG{Enter}');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Line ending' }), 'lf');
    await user.type(command(), '  quote ');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(sent).toEqual([
      { host: '127.0.0.1', port: 31310, line: 'SONG', lineEnding: 'crlf' },
      { host: '127.0.0.1', port: 31310, line: '  quote ', lineEnding: 'lf' },
    ]);
  });

  it('does not send an empty line', async () => {
    const { user, onSend } = renderPane();
    await user.type(command(), '{Enter}');
    expect(onSend).not.toHaveBeenCalled();
  });

  it('walks the history with the arrow keys', async () => {
    const { user } = renderPane();
    await user.type(command(), 'SONG{Enter}');
    await user.type(command(), 'HAIKU{Enter}');
    await user.type(command(), 'he');
    await user.keyboard('{ArrowUp}');
    expect(command().value).toBe('HAIKU');
    await user.keyboard('{ArrowUp}');
    expect(command().value).toBe('SONG');
    await user.keyboard('{ArrowDown}');
    expect(command().value).toBe('HAIKU');
    await user.keyboard('{ArrowDown}');
    expect(command().value).toBe('he');
  });

  it('refuses a bad client address, says why and sends nothing', async () => {
    const { user, onSend } = renderPane();
    const port = screen.getByRole('textbox', { name: 'Client port' });
    await user.clear(port);
    await user.type(port, '0');
    expect(port.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('port must be 1 to 65535')).toBeTruthy();
    await user.type(command(), 'SONG{Enter}');
    expect(onSend).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(port);
  });

  it('shows a refused send in the transcript area', async () => {
    const { user } = renderPane({
      outcome: { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:31310', state: DISCONNECTED },
    });
    await user.type(command(), 'SONG{Enter}');
    const transcript = screen.getByRole('log', { name: 'Client transcript' });
    expect((await within(transcript).findByRole('alert')).textContent).toBe(
      'connect ECONNREFUSED 127.0.0.1:31310',
    );
  });

  it('enables Disconnect only while connected', async () => {
    const connected = renderPane({
      client: clientState({ connected: true, target: { host: '::1', port: 31310 } }),
    });
    expect(document.querySelector('.client-state')?.textContent).toBe('Connected to [::1]:31310');
    const disconnect = screen.getByRole<HTMLButtonElement>('button', { name: 'Disconnect' });
    expect(disconnect.disabled).toBe(false);
    await connected.user.click(disconnect);
    expect(connected.onDisconnect).toHaveBeenCalledTimes(1);
    connected.unmount();

    renderPane();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Disconnect' }).disabled).toBe(true);
    expect(screen.getByText('Not connected')).toBeTruthy();
  });

  it('clears the transcript', async () => {
    const { user, onClear } = renderPane({ transcript: [clientEvent(1, 'sent', 'SONG')] });
    await user.click(screen.getByRole('button', { name: 'Clear' }));
    expect(onClear).toHaveBeenCalledTimes(1);
  });

  it('connects to the address shown without sending anything', async () => {
    const { user, onConnect, onSend } = renderPane();
    const port = screen.getByRole('textbox', { name: 'Client port' });
    await user.clear(port);
    await user.type(port, '7000');
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(onConnect).toHaveBeenCalledWith({ host: '127.0.0.1', port: 7000 });
    expect(onSend).not.toHaveBeenCalled();
  });

  it('shows a refused connect, and connects nowhere with a bad address', async () => {
    const { user, onConnect } = renderPane({
      connectOutcome: { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:31310', state: DISCONNECTED },
    });
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByRole('alert')).textContent).toBe('connect ECONNREFUSED 127.0.0.1:31310');
    await user.clear(screen.getByRole('textbox', { name: 'Client host' }));
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(onConnect).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Client host' }));
  });

  it('offers Connect again once disconnected, and not while connected to that address', () => {
    const target = { host: '127.0.0.1', port: 31310 };
    const { rerender } = renderPane({ client: clientState({ connected: true, target }) });
    const connect = (): HTMLButtonElement => screen.getByRole('button', { name: 'Connect' });
    expect(connect().disabled).toBe(true);
    rerender(
      <ClientPane
        defaultTarget={{ host: '127.0.0.1', port: '31310' }}
        client={clientState({ connected: false, target })}
        transcript={[]}
        serverStatus={STOPPED}
        commandTable={CLASSIC_TABLE}
        onSend={vi.fn()}
        onConnect={vi.fn()}
        onDisconnect={vi.fn()}
        onClear={vi.fn()}
      />,
    );
    expect(connect().disabled).toBe(false);
  });

  it('shows each row’s bytes in hex beside its text, and hides them again', async () => {
    const sent = { ...clientEvent(1, 'sent', 'SONG'), hex: '53 4F 4E 47 0D 0A' };
    const reply = { ...clientEvent(2, 'reply', 'Hi'), hex: '48 69 0D 0A' };
    const { user } = renderPane({
      transcript: [sent, reply, clientEvent(3, 'closed', 'closed by the server')],
    });
    const hex = screen.getByRole('button', { name: 'Hex' });
    const rows = (): [string, string | null][] =>
      within(screen.getByRole('log', { name: 'Client transcript' }))
        .getAllByRole('listitem')
        .map((l) => [
          l.querySelector('.t-text')?.textContent ?? '',
          l.querySelector('.t-hex')?.textContent ?? null,
        ]);
    expect(hex.getAttribute('aria-pressed')).toBe('false');
    expect(rows()).toEqual([
      ['SONG', null],
      ['Hi', null],
      ['closed by the server', null],
    ]);
    await user.click(hex);
    expect(hex.getAttribute('aria-pressed')).toBe('true');
    expect(rows()).toEqual([
      ['SONG', '53 4F 4E 47 0D 0A'],
      ['Hi', '48 69 0D 0A'],
      ['closed by the server', null],
    ]);
    await user.click(hex);
    expect(rows().map(([, h]) => h)).toEqual([null, null, null]);
  });

  it('shows each row’s time and direction, and says what the text alone would not', () => {
    const at = new Date(2025, 0, 2, 3, 4, 5, 67).getTime();
    renderPane({
      transcript: [
        { seq: 1, at, kind: 'reply', text: 'login: ', hex: '6C', bytes: 7, unterminated: true },
        { seq: 2, at, kind: 'sent', text: 'AB', hex: '41 42', bytes: 2, inputMode: 'hex' },
        { seq: 3, at, kind: 'reply', text: 'ok', hex: '6F 6B 0A', bytes: 3, rttMs: 1.25 },
        { seq: 4, at, kind: 'reply', text: 'x'.repeat(10), hex: '78', bytes: 20_000, omitted: 11_808 },
      ],
    });
    const items = within(screen.getByRole('log', { name: 'Client transcript' })).getAllByRole('listitem');
    expect(items.map((l) => l.textContent)).toEqual([
      '03:04:05.067←Receivedlogin: no line end',
      '03:04:05.067→SentABas hex',
      '03:04:05.067←ReceivedokRTT 1.3 ms',
      `03:04:05.067←Received${'x'.repeat(10)}11,808 more bytes not shown`,
    ]);
  });

  it('keeps a command that could not be sent in the input, with one message', async () => {
    const error = 'could not connect to 127.0.0.1:31310: connection refused (is a server listening there?)';
    const { user } = renderPane({ outcome: { ok: false, error, state: DISCONNECTED } });
    await user.type(command(), 'SONG{Enter}');
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual([error]);
    expect(command().value).toBe('SONG');
    // Not in the history either: ↑ has nothing to recall.
    await user.clear(command());
    await user.keyboard('{ArrowUp}');
    expect(command().value).toBe('');
  });

  it('says when a sent command was too long for the history', async () => {
    const { user } = renderPane({
      outcome: {
        ok: true,
        state: DISCONNECTED,
        notice: 'Sent, but not kept in the history: longer than 4 KiB.',
      },
    });
    await user.type(command(), 'SONG{Enter}');
    expect((await screen.findByText(/not kept in the history/)).getAttribute('role')).toBe('status');
  });

  it('sends hex or escapes as chosen under "Input as", with no line ending added to hex', async () => {
    const { user, sent } = renderPane();
    const mode = screen.getByRole('combobox', { name: 'Input as' });
    const ending = screen.getByRole('combobox', { name: 'Line ending' });
    await user.selectOptions(mode, 'hex');
    expect((ending as HTMLSelectElement).disabled).toBe(true);
    await user.type(command(), '41 42 43{Enter}');
    await user.selectOptions(mode, 'escapes');
    expect((ending as HTMLSelectElement).disabled).toBe(false);
    await user.type(command(), 'A\\x41{Enter}');
    expect(sent).toEqual([
      { host: '127.0.0.1', port: 31310, line: '41 42 43', lineEnding: 'crlf', inputMode: 'hex' },
      { host: '127.0.0.1', port: 31310, line: 'A\\x41', lineEnding: 'crlf', inputMode: 'escapes' },
    ]);
  });

  it('repeats the command every N ms, N times, and counts what went out', async () => {
    const { user, sent } = renderPane();
    await user.type(command(), 'PING');
    const every = screen.getByRole('textbox', { name: 'Repeat every (ms)' });
    const times = screen.getByRole('textbox', { name: 'Repeat count' });
    await user.clear(every);
    await user.type(every, '10');
    await user.clear(times);
    await user.type(times, '3');
    await user.click(screen.getByRole('button', { name: 'Repeat' }));
    const progress = screen.getByRole('status', { name: 'Repeat progress' });
    await vi.waitFor(() => expect(progress.textContent).toBe('3 of 3 sent'));
    expect(sent.map((r) => r.line)).toEqual(['PING', 'PING', 'PING']);
    expect(command().value).toBe('PING');
    expect(screen.getByRole('button', { name: 'Repeat' })).toBeTruthy();
  });

  it.each([
    ['5', '3', /Repeat every: a whole number of ms from 10/],
    ['100', '0', /Repeat count: a whole number from 1/],
    ['abc', '3', /Repeat every/],
  ])('refuses to repeat every %j ms, %j times, and says why', async (everyMs, count, error) => {
    const { user, onSend } = renderPane();
    await user.type(command(), 'PING');
    const every = screen.getByRole('textbox', { name: 'Repeat every (ms)' });
    const times = screen.getByRole('textbox', { name: 'Repeat count' });
    await user.clear(every);
    await user.type(every, everyMs);
    await user.clear(times);
    await user.type(times, count);
    await user.click(screen.getByRole('button', { name: 'Repeat' }));
    expect(screen.getByRole('alert').textContent).toMatch(error);
    expect(onSend).not.toHaveBeenCalled();
  });

  it('offers the server’s command table as quick commands, each sent as typed', async () => {
    const { user, sent } = renderPane({ status: RUNNING });
    expect(quickButtons()).toEqual(['SONG', 'QUOTE', 'HAIKU', 'POEM', 'HELP', 'QUIT']);
    await user.type(command(), 'half typed');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Line ending' }), 'none');
    await user.click(screen.getByRole('button', { name: 'HAIKU' }));
    expect(sent).toEqual([{ host: '127.0.0.1', port: 31310, line: 'HAIKU', lineEnding: 'none' }]);
    // What the user was typing stays; the quick command joins the history.
    expect(command().value).toBe('half typed');
    await user.clear(command());
    await user.keyboard('{ArrowUp}');
    expect(command().value).toBe('HAIKU');
  });

  it('leaves HELP and QUIT out when the table turns them off', () => {
    renderPane({
      status: RUNNING,
      table: { commands: [{ name: 'PING', reply: 'PONG' }], builtins: { help: false, quit: false } },
    });
    expect(quickButtons()).toEqual(['PING']);
  });

  it('offers another server’s commands from its answer to HELP', async () => {
    const transcript = [
      clientEvent(1, 'connected', 'connected to 127.0.0.1:7000'),
      clientEvent(2, 'sent', 'HELP'),
      clientEvent(3, 'reply', 'Commands: STATUS RESET'),
    ];
    const { user } = renderPane({ status: RUNNING, transcript });
    const port = screen.getByRole('textbox', { name: 'Client port' });
    await user.clear(port);
    await user.type(port, '7001');
    // Not our server and nothing heard from it: HELP asks.
    expect(quickButtons()).toEqual(['HELP']);
    await user.clear(port);
    await user.type(port, '7000');
    expect(quickButtons()).toEqual(['STATUS', 'RESET']);
  });
});
