import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { CommandTable } from '../../../electron/shared/protocol/command-table';
import type { ClientSendOutcome, ClientSendRequest } from '../../../electron/shared/ipc/ipc-contract';
import { ClientPane } from '../../../renderer/src/components/client-pane';
import { STOPPED, clientState } from '../fake-bridge';

function renderPane(table: CommandTable) {
  const sent: ClientSendRequest[] = [];
  const connects: unknown[] = [];
  render(
    <ClientPane
      defaultTarget={{ host: '127.0.0.1', port: '31310' }}
      client={clientState()}
      transcript={[]}
      serverStatus={STOPPED}
      commandTable={table}
      onSend={(request): Promise<ClientSendOutcome> => {
        sent.push(request);
        return Promise.resolve({ ok: true, state: clientState() });
      }}
      onConnect={(target): Promise<ClientSendOutcome> => {
        connects.push(target);
        return Promise.resolve({ ok: true, state: clientState() });
      }}
      onDisconnect={vi.fn()}
      onClear={vi.fn()}
    />,
  );
  return { sent, connects, user: userEvent.setup() };
}

const command = (): HTMLInputElement => screen.getByRole('textbox', { name: 'Command' });

describe('the client pane’s framing and line ending', () => {
  it('cuts replies as the served table frames them, unless a framing is chosen', async () => {
    const { user, sent, connects } = renderPane({ commands: [], framing: { delimiter: '|' } });
    await user.type(command(), 'ab{Enter}');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Client framing' }), 'cr');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Line ending' }), 'cr');
    await user.type(command(), 'ATI{Enter}');
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(sent).toEqual([
      { host: '127.0.0.1', port: 31310, line: 'ab', lineEnding: 'crlf', framing: { delimiter: '|' } },
      { host: '127.0.0.1', port: 31310, line: 'ATI', lineEnding: 'cr', framing: 'cr' },
    ]);
    expect(connects).toEqual([{ host: '127.0.0.1', port: 31310, framing: 'cr' }]);
  });
});
