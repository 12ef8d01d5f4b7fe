import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../../renderer/src/app';
import { DEFAULT_SETTINGS } from '../../../electron/shared/protocol/settings';
import type { RecordingReady } from '../../../electron/shared/ipc/listener-tools';
import { createFakeBridge, snapshot, TOOLS_STATE, type FakeBridge } from '../fake-bridge';

async function renderApp(fake: FakeBridge = createFakeBridge()): Promise<FakeBridge> {
  render(<App bridge={fake.bridge} />);
  await screen.findByRole('status', { name: 'Server status' });
  return fake;
}

const RECORDING: RecordingReady = {
  table: {
    name: 'Recorded from 127.0.0.1:6379',
    builtins: { help: false, quit: false },
    unknown: '',
    commands: [{ pattern: '^PING$', reply: ['+PONG'] }],
  },
  rules: 1,
  requests: 3,
  upstream: '127.0.0.1:6379',
};

describe('the window in forward mode', () => {
  it('starts forwarding with the upstream typed, checked before anything is sent', async () => {
    const user = userEvent.setup();
    const fake = await renderApp();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Listener' }), 'forward');
    const target = screen.getByRole('textbox', { name: 'Forward to' });
    await user.type(target, 'redis');
    await user.click(screen.getByRole('button', { name: 'Start' }));
    // Not HOST:PORT: the field says so and has focus; main is not asked.
    expect(screen.getByText('forward to must be HOST:PORT, such as 127.0.0.1:6379')).toBeTruthy();
    expect(document.activeElement).toBe(target);
    expect(fake.requests('server:start')).toEqual([]);
    await user.type(target, ':6379');
    await user.click(screen.getByRole('button', { name: 'Start' }));
    expect(fake.requests('server:start')).toEqual([
      { ...DEFAULT_SETTINGS, kind: 'forward', forward: 'redis:6379' },
    ]);
    // Forward mode shows its Record card.
    expect(screen.getByRole('button', { name: 'Record' })).toBeTruthy();
  });

  it('opens a recording in the Commands editor when one arrives', async () => {
    const fake = await renderApp(
      createFakeBridge(
        snapshot({
          settings: { settings: { ...DEFAULT_SETTINGS, kind: 'forward', forward: '127.0.0.1:6379' } },
        }),
      ),
    );
    fake.emit('recording:ready', RECORDING);
    expect(screen.getByRole('button', { name: 'Commands' }).getAttribute('aria-current')).toBe('page');
    expect(
      screen.getByText(
        'Recorded from 127.0.0.1:6379: 1 rule from 3 requests. It is in the Commands editor: Apply to serve it.',
      ),
    ).toBeTruthy();
    expect(screen.getByDisplayValue('^PING$')).toBeTruthy();
    expect(screen.getByDisplayValue('+PONG')).toBeTruthy();
  });

  it('follows the tools’ state as main pushes it', async () => {
    const fake = await renderApp();
    expect(screen.getByText(/No faults/)).toBeTruthy();
    fake.emit('tools:state', {
      ...TOOLS_STATE,
      faults: {
        ...TOOLS_STATE.faults,
        toxics: [
          {
            name: 'slow',
            type: 'latency',
            stream: 'downstream',
            toxicity: 1,
            attributes: { latency: 5, jitter: 0 },
          },
        ],
      },
      api: { on: true, host: '127.0.0.1', port: 8474, address: 'http://127.0.0.1:8474' },
    });
    const fault = screen.getByRole('listitem', { name: 'Fault slow' });
    // The listener is stopped: the fault waits for Start.
    expect(within(fault).getByRole('status').textContent).toBe('Waiting for Start');
    expect(screen.getByRole('switch', { name: 'Control API' }).getAttribute('aria-checked')).toBe('true');
  });
});
