import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ClientSendOutcome, ClientSendRequest } from '../../../electron/shared/ipc-contract';
import type { ClientEvent, ClientState } from '../../../electron/shared/models';
import { ClientPane } from '../../../renderer/src/components/client-pane';
import { clientEvent, clientState } from '../fake-bridge';

const DISCONNECTED: ClientState = clientState();

function renderPane(
  options: {
    client?: ClientState;
    transcript?: ClientEvent[];
    outcome?: ClientSendOutcome;
  } = {},
) {
  const sent: ClientSendRequest[] = [];
  const onSend = vi.fn((request: ClientSendRequest): Promise<ClientSendOutcome> => {
    sent.push(request);
    return Promise.resolve(options.outcome ?? { ok: true, state: DISCONNECTED });
  });
  const onDisconnect = vi.fn();
  const onClear = vi.fn();
  const view = render(
    <ClientPane
      defaultTarget={{ host: '127.0.0.1', port: '31310' }}
      client={options.client ?? DISCONNECTED}
      transcript={options.transcript ?? []}
      onSend={onSend}
      onDisconnect={onDisconnect}
      onClear={onClear}
    />,
  );
  return { ...view, sent, onSend, onDisconnect, onClear, user: userEvent.setup() };
}

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
    expect(screen.getByText('Connected to [::1]:31310')).toBeTruthy();
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
});
