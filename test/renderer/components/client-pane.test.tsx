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

  it('shows sent and reply lines as their bytes in hex, and back', async () => {
    const sent = { ...clientEvent(1, 'sent', 'SONG'), hex: '53 4F 4E 47 0D 0A' };
    const reply = { ...clientEvent(2, 'reply', 'Hi'), hex: '48 69 0D 0A' };
    const { user } = renderPane({
      transcript: [sent, reply, clientEvent(3, 'closed', 'closed by the server')],
    });
    const hex = screen.getByRole('button', { name: 'Hex' });
    const texts = (): string[] =>
      within(screen.getByRole('log', { name: 'Client transcript' }))
        .getAllByRole('listitem')
        .map((l) => l.querySelector('.t-text')?.textContent ?? '');
    expect(hex.getAttribute('aria-pressed')).toBe('false');
    expect(texts()).toEqual(['SONG', 'Hi', 'closed by the server']);
    await user.click(hex);
    expect(hex.getAttribute('aria-pressed')).toBe('true');
    expect(texts()).toEqual(['53 4F 4E 47 0D 0A', '48 69 0D 0A', 'closed by the server']);
    await user.click(hex);
    expect(texts()).toEqual(['SONG', 'Hi', 'closed by the server']);
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
