import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import {
  ListenersPanel,
  type ListenersActions,
  type MainListener,
} from '../../../renderer/src/components/listeners-panel';
import type { ListenerRow, ListenersState } from '../../../electron/shared/ipc/window-listeners';
import { CLASSIC_TABLE } from '../../../electron/shared/protocol/command-table';
import { DEFAULT_SETTINGS } from '../../../electron/shared/protocol/settings';
import type { CommandPreset } from '../../../electron/shared/ipc/models';

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase())
  .join(':')
  .slice(0, 95);

const MAIN: MainListener = {
  state: 'running',
  host: '127.0.0.1',
  port: 31310,
  connections: 2,
  canStart: false,
  canStop: true,
  onStart: vi.fn(),
  onStop: vi.fn(),
};

const TLS: ListenerRow = {
  name: 'secure',
  transport: 'tls',
  host: '127.0.0.1',
  port: 31311,
  kind: 'mock',
  tableLabel: 'applied table',
  state: 'running',
  connections: 1,
  toxics: 0,
  fingerprint: FINGERPRINT,
};
const RELAY: ListenerRow = {
  name: 'relay',
  transport: 'tcp',
  host: '127.0.0.1',
  port: 31313,
  kind: 'forward',
  forward: 'db.example:6380',
  forwardTls: 'unchecked',
  tableLabel: '',
  state: 'stopped',
  connections: 0,
  toxics: 0,
};
const UDP: ListenerRow = {
  name: 'events',
  transport: 'udp',
  host: '127.0.0.1',
  port: 31312,
  kind: 'forward',
  forward: '10.0.0.5:9000',
  tableLabel: '',
  state: 'failed',
  connections: 0,
  toxics: 0,
  error: 'port 31312 is in use',
};

function state(listeners: ListenerRow[]): ListenersState {
  return { listeners, file: '/data/workspace.json' };
}

function actions(overrides: Partial<ListenersActions> = {}): ListenersActions {
  const ok = () => Promise.resolve({ ok: true as const });
  return {
    add: vi.fn(ok),
    remove: vi.fn(ok),
    start: vi.fn(ok),
    stop: vi.fn(ok),
    startAll: vi.fn(ok),
    stopAll: vi.fn(ok),
    exportWorkspace: vi.fn(() => Promise.resolve({ text: '{}', fileName: 'w.json' })),
    importWorkspace: vi.fn(ok),
    ...overrides,
  };
}

const PRESETS: CommandPreset[] = [{ name: 'Classic', builtIn: true, table: CLASSIC_TABLE }];

describe('ListenersPanel', () => {
  it('lists the window listener first, then each extra one with transport, address, mode, state and connections', () => {
    render(
      <ListenersPanel
        main={MAIN}
        state={state([TLS, UDP])}
        applied={CLASSIC_TABLE}
        presets={PRESETS}
        actions={actions()}
      />,
    );
    const items = within(screen.getByRole('list', { name: 'Listeners' })).getAllByRole('listitem');
    expect(items.map((i) => i.getAttribute('aria-label'))).toEqual([
      'Listener default',
      'Listener secure',
      'Listener events',
    ]);
    const main = screen.getByRole('listitem', { name: 'Listener default' });
    expect(main.textContent).toContain('127.0.0.1:31310 · mock, applied table · 2 connections');
    expect(within(main).queryByRole('button', { name: /Remove/ })).toBeNull();
    const secure = screen.getByRole('listitem', { name: 'Listener secure' });
    expect(secure.textContent).toContain('TLS'.toLowerCase());
    expect(within(secure).getByRole('status').textContent).toBe('Running');
    expect(secure.textContent).toContain('1 connection');
    expect(within(secure).getByTitle(FINGERPRINT).textContent).toBe(FINGERPRINT);
    const events = screen.getByRole('listitem', { name: 'Listener events' });
    expect(events.textContent).toContain('127.0.0.1:31312 · → 10.0.0.5:9000 · 0 remotes');
    expect(within(events).getByRole('status').textContent).toBe('Failed');
    expect(within(events).getByRole('alert').textContent).toBe('port 31312 is in use');
  });

  it('copies the TLS fingerprint', async () => {
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText');
    render(
      <ListenersPanel main={MAIN} state={state([TLS])} applied={null} presets={[]} actions={actions()} />,
    );
    await user.click(screen.getByRole('button', { name: 'Copy the certificate fingerprint of secure' }));
    expect(writeText).toHaveBeenCalledWith(FINGERPRINT);
    expect(await screen.findByText('Copied')).toBeTruthy();
  });

  it('starts and stops one listener, removes one, and Start all / Stop all take the window listener too', async () => {
    const user = userEvent.setup();
    const a = actions();
    const main = { ...MAIN, state: 'stopped' as const, canStart: true, canStop: false, onStart: vi.fn() };
    const { rerender } = render(
      <ListenersPanel main={main} state={state([TLS, UDP])} applied={null} presets={[]} actions={a} />,
    );
    await user.click(screen.getByRole('button', { name: 'Stop secure' }));
    expect(a.stop).toHaveBeenCalledWith('secure');
    await user.click(screen.getByRole('button', { name: 'Start events' }));
    expect(a.start).toHaveBeenCalledWith('events');
    await user.click(screen.getByRole('button', { name: 'Remove events' }));
    expect(a.remove).toHaveBeenCalledWith('events');
    await user.click(screen.getByRole('button', { name: 'Start all' }));
    expect(main.onStart).toHaveBeenCalledTimes(1);
    expect(a.startAll).toHaveBeenCalledTimes(1);
    const running = { ...MAIN, onStop: vi.fn() };
    rerender(<ListenersPanel main={running} state={state([TLS])} applied={null} presets={[]} actions={a} />);
    await user.click(screen.getByRole('button', { name: 'Stop all' }));
    expect(running.onStop).toHaveBeenCalledTimes(1);
    expect(a.stopAll).toHaveBeenCalledTimes(1);
  });

  it('says so when Start all could not reach main', async () => {
    const user = userEvent.setup();
    const a = actions({
      startAll: vi.fn(() => Promise.resolve({ ok: false as const, error: 'the link to main is closed' })),
    });
    render(<ListenersPanel main={MAIN} state={state([UDP])} applied={null} presets={[]} actions={a} />);
    await user.click(screen.getByRole('button', { name: 'Start all' }));
    expect((await screen.findByText('the link to main is closed')).closest('[role="alert"]')).not.toBeNull();
  });

  it('adds a mock listener with a preset, or a forwarder, from the New listener form', async () => {
    const user = userEvent.setup();
    const a = actions();
    render(
      <ListenersPanel main={MAIN} state={state([])} applied={CLASSIC_TABLE} presets={PRESETS} actions={a} />,
    );
    await user.click(screen.getByRole('button', { name: 'New listener' }));
    const form = screen.getByRole('form', { name: 'New listener' });
    expect(within(form).getByLabelText<HTMLInputElement>('Name').value).toBe('listener-2');
    await user.selectOptions(within(form).getByLabelText('Transport'), 'udp');
    await user.selectOptions(within(form).getByLabelText('Answers with'), 'preset:Classic');
    await user.click(within(form).getByRole('button', { name: 'Add listener' }));
    expect(a.add).toHaveBeenCalledWith({
      name: 'listener-2',
      transport: 'udp',
      host: '127.0.0.1',
      commands: CLASSIC_TABLE,
      tableLabel: 'Classic',
    });
    // Added: the form closes.
    expect(screen.queryByRole('form', { name: 'New listener' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'New listener' }));
    const again = screen.getByRole('form', { name: 'New listener' });
    await user.clear(within(again).getByLabelText('Port'));
    await user.type(within(again).getByLabelText('Port'), '4000');
    await user.selectOptions(within(again).getByLabelText('Answers with'), 'forward');
    await user.type(within(again).getByLabelText('Forward to'), '10.0.0.5:9000');
    await user.click(within(again).getByRole('button', { name: 'Add listener' }));
    expect(a.add).toHaveBeenLastCalledWith({
      name: 'listener-2',
      transport: 'tcp',
      host: '127.0.0.1',
      port: 4000,
      forward: '10.0.0.5:9000',
    });
  });

  it('gives a new listener its own limits, and a forwarder TLS to its target with or without checks', async () => {
    const user = userEvent.setup();
    const a = actions();
    render(<ListenersPanel main={MAIN} state={state([])} applied={CLASSIC_TABLE} presets={[]} actions={a} />);
    await user.click(screen.getByRole('button', { name: 'New listener' }));
    const form = screen.getByRole('form', { name: 'New listener' });
    const limits = within(form).getByRole('group', { name: 'Limits' });
    // A bad limit says why (the settings' own words) and holds the form back.
    await user.type(within(limits).getByLabelText('Max connections'), '0');
    expect(within(limits).getByText('max connections must be at least 1')).toBeTruthy();
    expect(within(form).getByRole<HTMLButtonElement>('button', { name: 'Add listener' }).disabled).toBe(true);
    await user.clear(within(limits).getByLabelText('Max connections'));
    await user.type(within(limits).getByLabelText('Max connections'), '5');
    await user.type(within(limits).getByLabelText('Line timeout (s)'), '2.5');
    // TLS to the target is offered for forwarders only.
    expect(within(form).queryByLabelText('Forward over TLS')).toBeNull();
    await user.selectOptions(within(form).getByLabelText('Answers with'), 'forward');
    await user.type(within(form).getByLabelText('Forward to'), 'db.example:6380');
    expect(within(form).queryByLabelText('Check certificate')).toBeNull();
    await user.click(within(form).getByLabelText('Forward over TLS'));
    expect(within(form).getByLabelText<HTMLInputElement>('Check certificate').checked).toBe(true);
    await user.click(within(form).getByLabelText('Check certificate'));
    await user.click(within(form).getByRole('button', { name: 'Add listener' }));
    expect(a.add).toHaveBeenCalledWith({
      name: 'listener-2',
      transport: 'tcp',
      host: '127.0.0.1',
      maxConnections: 5,
      lineTimeoutSec: 2.5,
      forward: 'db.example:6380',
      forwardTls: { verify: false },
    });

    await user.click(screen.getByRole('button', { name: 'New listener' }));
    const again = screen.getByRole('form', { name: 'New listener' });
    await user.selectOptions(within(again).getByLabelText('Answers with'), 'forward');
    await user.type(within(again).getByLabelText('Forward to'), 'db.example:6380');
    await user.click(within(again).getByLabelText('Forward over TLS'));
    await user.click(within(again).getByRole('button', { name: 'Add listener' }));
    expect(a.add).toHaveBeenLastCalledWith(expect.objectContaining({ forwardTls: true }));
    // A server name other than the target's host, certificate checked.
    await user.click(screen.getByRole('button', { name: 'New listener' }));
    const named = screen.getByRole('form', { name: 'New listener' });
    await user.selectOptions(within(named).getByLabelText('Answers with'), 'forward');
    await user.type(within(named).getByLabelText('Forward to'), '10.0.0.5:6380');
    await user.click(within(named).getByLabelText('Forward over TLS'));
    await user.type(within(named).getByLabelText('TLS server name'), 'db.example');
    await user.click(within(named).getByRole('button', { name: 'Add listener' }));
    expect(a.add).toHaveBeenLastCalledWith(
      expect.objectContaining({ forwardTls: { servername: 'db.example' } }),
    );
    // UDP forwards datagrams: no TLS to offer.
    await user.click(screen.getByRole('button', { name: 'New listener' }));
    const udp = screen.getByRole('form', { name: 'New listener' });
    await user.selectOptions(within(udp).getByLabelText('Transport'), 'udp');
    await user.selectOptions(within(udp).getByLabelText('Answers with'), 'forward');
    expect(within(udp).queryByLabelText('Forward over TLS')).toBeNull();
  });

  it('keeps the form open with main’s refusal, and refuses a taken name or a bad port before asking', async () => {
    const user = userEvent.setup();
    const a = actions({
      add: vi.fn(() => Promise.resolve({ ok: false as const, error: 'TCP port 127.0.0.1:31310 is taken' })),
    });
    render(
      <ListenersPanel main={MAIN} state={state([TLS])} applied={CLASSIC_TABLE} presets={[]} actions={a} />,
    );
    await user.click(screen.getByRole('button', { name: 'New listener' }));
    const form = screen.getByRole('form', { name: 'New listener' });
    const name = within(form).getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'secure');
    expect(within(form).getByText('secure is taken')).toBeTruthy();
    expect(within(form).getByRole<HTMLButtonElement>('button', { name: 'Add listener' }).disabled).toBe(true);
    await user.clear(name);
    await user.type(name, 'other');
    await user.type(within(form).getByLabelText('Port'), 'abc');
    expect(within(form).getByRole<HTMLButtonElement>('button', { name: 'Add listener' }).disabled).toBe(true);
    await user.clear(within(form).getByLabelText('Port'));
    await user.click(within(form).getByRole('button', { name: 'Add listener' }));
    expect(await screen.findByText('TCP port 127.0.0.1:31310 is taken')).toBeTruthy();
    expect(screen.getByRole('form', { name: 'New listener' })).toBeTruthy();
  });

  it('gives a new TCP or TLS listener the faults of the window listener when asked', async () => {
    const user = userEvent.setup();
    const a = actions();
    const slow = {
      name: 'slow',
      type: 'latency' as const,
      stream: 'downstream' as const,
      toxicity: 1,
      attributes: { latency: 300, jitter: 0 },
    };
    render(
      <ListenersPanel
        main={MAIN}
        state={state([])}
        applied={CLASSIC_TABLE}
        presets={[]}
        actions={a}
        faults={[slow]}
      />,
    );
    await user.click(screen.getByRole('button', { name: 'New listener' }));
    const form = screen.getByRole('form', { name: 'New listener' });
    await user.selectOptions(within(form).getByLabelText('Transport'), 'udp');
    expect(within(form).queryByRole('checkbox')).toBeNull();
    await user.selectOptions(within(form).getByLabelText('Transport'), 'tls');
    await user.click(within(form).getByRole('checkbox', { name: 'With the faults of default (slow)' }));
    await user.click(within(form).getByRole('button', { name: 'Add listener' }));
    expect(a.add).toHaveBeenCalledWith(expect.objectContaining({ transport: 'tls', toxics: [slow] }));
  });

  it('imports a workspace file, listing the problems of a refused one', async () => {
    const user = userEvent.setup();
    const a = actions({
      importWorkspace: vi.fn(() =>
        Promise.resolve({
          ok: false as const,
          error: 'refused',
          problems: ['listener 2 "b", port: TCP port 127.0.0.1:41000 is already taken by listener 1 "a"'],
        }),
      ),
    });
    render(<ListenersPanel main={MAIN} state={state([])} applied={null} presets={[]} actions={a} />);
    const file = new File(['{"listeners":[]}'], 'mine.json', { type: 'application/json' });
    // jsdom's File has no text(); the browser's has, and the card reads files with it.
    Object.defineProperty(file, 'text', { value: () => Promise.resolve('{"listeners":[]}') });
    await user.upload(screen.getByLabelText('Workspace file to import'), file);
    const alert = await screen.findByRole('alert');
    expect(a.importWorkspace).toHaveBeenCalledWith('{"listeners":[]}');
    expect(alert.textContent).toContain('Not imported: mine.json has problems.');
    expect(alert.textContent).toContain('listener 2 "b", port: TCP port 127.0.0.1:41000 is already taken');
  });

  it("hands an imported default's settings to the settings form and shows main's note", async () => {
    const user = userEvent.setup();
    const settings = { ...DEFAULT_SETTINGS, port: 41_300, maxConnections: 3 };
    const note =
      "The window's own listener (default) is running: its table applies now, its settings at its next Start.";
    const a = actions({
      importWorkspace: vi.fn(() => Promise.resolve({ ok: true as const, settings, note })),
    });
    const onOwnSettings = vi.fn();
    render(
      <ListenersPanel
        main={MAIN}
        state={state([])}
        applied={null}
        presets={[]}
        actions={a}
        onOwnSettings={onOwnSettings}
      />,
    );
    const file = new File(['{}'], 'all.json', { type: 'application/json' });
    Object.defineProperty(file, 'text', { value: () => Promise.resolve('{}') });
    await user.upload(screen.getByLabelText('Workspace file to import'), file);
    await screen.findByText('Imported all.json.');
    const report = screen.getAllByRole('status').find((el) => el.textContent.includes('Imported all.json.'));
    expect(report?.textContent).toContain(note);
    expect(onOwnSettings).toHaveBeenCalledWith(settings);
  });

  it('says when a forwarder reaches its target over TLS, and whether the certificate is checked', () => {
    render(
      <ListenersPanel
        main={MAIN}
        state={state([RELAY, { ...RELAY, name: 'strict', forwardTls: 'checked' }])}
        applied={null}
        presets={[]}
        actions={actions()}
      />,
    );
    expect(screen.getByRole('listitem', { name: 'Listener relay' }).textContent).toContain(
      '→ db.example:6380 over TLS (certificate not checked)',
    );
    const strict = screen.getByRole('listitem', { name: 'Listener strict' }).textContent;
    expect(strict).toContain('→ db.example:6380 over TLS ·');
  });
});
