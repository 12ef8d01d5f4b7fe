import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiSwitch } from '../../../renderer/src/components/api-switch';
import { ConnectionSend } from '../../../renderer/src/components/connection-send';
import { RecordCard } from '../../../renderer/src/components/record-card';
import type { ConnectionOutcome } from '../../../electron/shared/ipc/listener-tools';
import { STOPPED, TOOLS_STATE } from '../fake-bridge';

describe('RecordCard', () => {
  it('toggles Record and says what happens at Stop', async () => {
    const user = userEvent.setup();
    const onRecord = vi.fn();
    const { rerender } = render(
      <RecordCard status={STOPPED} target="127.0.0.1:6379" record={TOOLS_STATE.record} onRecord={onRecord} />,
    );
    expect(screen.getByText('At Start, every connection is relayed to 127.0.0.1:6379.')).toBeTruthy();
    const button = screen.getByRole('button', { name: 'Record' });
    expect(button.getAttribute('aria-pressed')).toBe('false');
    await user.click(button);
    expect(onRecord).toHaveBeenCalledWith(true);
    const running = {
      state: 'running' as const,
      host: '127.0.0.1',
      port: 6380,
      text: 'Running',
      forward: '127.0.0.1:6379',
    };
    rerender(
      <RecordCard
        status={running}
        target="127.0.0.1:6379"
        record={{ on: true, requests: 3 }}
        onRecord={onRecord}
      />,
    );
    expect(screen.getByRole('button', { name: 'Record' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('status').textContent).toBe(
      'Recording: 3 requests so far. Stop opens it in the editor.',
    );
  });
});

describe('ApiSwitch', () => {
  it('turns the API on at the address typed and shows where it serves', async () => {
    const user = userEvent.setup();
    const onSet = vi.fn(() => Promise.resolve(null));
    const { rerender } = render(<ApiSwitch api={TOOLS_STATE.api} onSet={onSet} />);
    const api = screen.getByRole('switch', { name: 'Control API' });
    expect(api.getAttribute('aria-checked')).toBe('false');
    await user.clear(screen.getByLabelText('API port'));
    await user.type(screen.getByLabelText('API port'), '9000');
    await user.click(api);
    expect(onSet).toHaveBeenCalledWith(true, '127.0.0.1', 9000);
    rerender(
      <ApiSwitch
        api={{ on: true, host: '127.0.0.1', port: 9000, address: 'http://127.0.0.1:9000' }}
        onSet={onSet}
      />,
    );
    expect(screen.getByRole('status', { name: 'Control API address' }).textContent).toContain(
      'http://127.0.0.1:9000',
    );
    expect(screen.getByLabelText<HTMLInputElement>('API port').disabled).toBe(true);
  });

  it('refuses a bad port before asking, and shows main’s error', async () => {
    const user = userEvent.setup();
    const onSet = vi.fn(() => Promise.resolve(null));
    const { rerender } = render(<ApiSwitch api={TOOLS_STATE.api} onSet={onSet} />);
    await user.clear(screen.getByLabelText('API port'));
    await user.type(screen.getByLabelText('API port'), '70000');
    expect(screen.getByText('port must be 0 to 65535')).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('switch', { name: 'Control API' }).disabled).toBe(true);
    rerender(
      <ApiSwitch
        api={{
          ...TOOLS_STATE.api,
          error: 'the control API cannot start: port 8474 on 127.0.0.1 is already in use',
        }}
        onSet={onSet}
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain('already in use');
    expect(onSet).not.toHaveBeenCalled();
  });
});

describe('ConnectionSend', () => {
  it('sends a line with CRLF to one connection, or hex bytes exactly', async () => {
    const user = userEvent.setup();
    const onSend = vi.fn((): Promise<ConnectionOutcome> => Promise.resolve({ ok: true, sent: 1 }));
    render(<ConnectionSend target={3} unavailable={null} onSend={onSend} />);
    const form = screen.getByRole('form', { name: 'Send to #3' });
    await user.type(within(form).getByRole('textbox'), 'hello{Enter}');
    expect(onSend).toHaveBeenLastCalledWith({ conn: 3, line: 'hello', lineEnding: 'crlf' });
    expect(await within(form).findByText('Sent.')).toBeTruthy();
    await user.selectOptions(within(form).getByRole('combobox'), 'hex');
    await user.type(within(form).getByRole('textbox'), '41 zz');
    expect(within(form).getByRole('alert').textContent).toMatch(/hex/i);
    expect(within(form).getByRole<HTMLButtonElement>('button', { name: 'Send' }).disabled).toBe(true);
    await user.clear(within(form).getByRole('textbox'));
    await user.type(within(form).getByRole('textbox'), '41 42{Enter}');
    expect(onSend).toHaveBeenLastCalledWith({ conn: 3, line: '41 42', lineEnding: 'none', inputMode: 'hex' });
  });

  it('says how many got it when sent to all, and why it cannot send', async () => {
    const user = userEvent.setup();
    const onSend = vi.fn((): Promise<ConnectionOutcome> => Promise.resolve({ ok: true, sent: 4 }));
    const { rerender } = render(<ConnectionSend target="all" unavailable={null} onSend={onSend} />);
    const form = screen.getByRole('form', { name: 'Send to all connections' });
    await user.type(within(form).getByRole('textbox'), 'ping');
    await user.click(within(form).getByRole('button', { name: 'Send to all' }));
    expect(await within(form).findByText('Sent to 4 connections.')).toBeTruthy();
    rerender(
      <ConnectionSend
        target="all"
        unavailable="Start the server to send to its connections."
        onSend={onSend}
      />,
    );
    expect(within(form).getByRole('textbox').hasAttribute('disabled')).toBe(true);
    expect(within(form).getByRole('status').textContent).toBe('Start the server to send to its connections.');
  });
});
