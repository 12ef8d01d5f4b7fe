/**
 * The IPC module: only our window's page is heard, malformed requests are
 * refused with a message naming the field, every channel reaches its
 * handler, and events reach the window.
 */
import { beforeEach, describe, expect, expectTypeOf, it, vi, type MockInstance } from 'vitest';
import { resolveAppPage, type AppPage } from '../../electron/main/app-page.js';
import {
  connectWindowEvents,
  registerIpc,
  setupIpc,
  UNTRUSTED_SENDER,
  windowSink,
} from '../../electron/main/ipc.js';
import { createSenderCheck } from '../../electron/main/sender-trust.js';
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  type EventChannel,
  type EventMap,
  type EventSink,
  type Handlers,
  type InvokeChannel,
} from '../../electron/shared/ipc/ipc-contract.js';
import type { ServerStatus } from '../../electron/shared/ipc/models.js';
import { DEFAULT_SETTINGS } from '../../electron/shared/protocol/settings.js';
import { SAMPLE_REQUESTS } from '../helpers/ipc-requests.js';
import {
  FakeBrowserWindow,
  FakeIpcMain,
  FakeWebContents,
  FakeSession,
  invokeEventFrom,
  type FakeInvokeEvent,
} from '../helpers/electron-stub.js';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/electron-stub.js')).createElectronStub(),
);
vi.mock('electron', () => electron.module);

const PAGE: AppPage = resolveAppPage({ rendererHtml: '/app/out/renderer/index.html', packaged: true });
const STATUS: ServerStatus = { state: 'stopped', host: '', port: 0, text: 'Stopped' };

const REQUESTS = SAMPLE_REQUESTS;

/**
 * A token for every event channel, which the window's sink must pass on
 * untouched; like the answers below, it stands in for the real payload.
 */
const EVENTS: { [K in EventChannel]: { event: K } } = {
  'server:status': { event: 'server:status' },
  'log:batch': { event: 'log:batch' },
  'client:batch': { event: 'client:batch' },
  'stats:update': { event: 'stats:update' },
  'commands:state': { event: 'commands:state' },
  'app:action': { event: 'app:action' },
  'tools:state': { event: 'tools:state' },
  'recording:ready': { event: 'recording:ready' },
  'listeners:state': { event: 'listeners:state' },
};

/**
 * Handlers that record what reached them and answer with a token naming
 * their channel. IPC never looks inside an answer, so the token stands in
 * for the real result types (and spares this test every model change).
 */
function recordingHandlers(): { handlers: Handlers; calls: Array<{ channel: InvokeChannel; req: unknown }> } {
  const calls: Array<{ channel: InvokeChannel; req: unknown }> = [];
  const entries = INVOKE_CHANNELS.map((channel) => {
    const handler = (req: unknown): Promise<unknown> => {
      calls.push({ channel, req });
      return Promise.resolve(answerOf(channel));
    };
    return [channel, handler] as const;
  });
  return { handlers: Object.fromEntries(entries) as unknown as Handlers, calls };
}

function answerOf(channel: InvokeChannel): { answeredBy: InvokeChannel } {
  return { answeredBy: channel };
}

let ipc: FakeIpcMain;
let win: FakeBrowserWindow;
let calls: Array<{ channel: InvokeChannel; req: unknown }>;
let trusted: FakeInvokeEvent;

beforeEach(async () => {
  ipc = new FakeIpcMain();
  win = new FakeBrowserWindow();
  await win.webContents.loadFile('/app/out/renderer/index.html');
  const recording = recordingHandlers();
  calls = recording.calls;
  registerIpc(
    ipc,
    { handlers: recording.handlers },
    createSenderCheck(PAGE, () => win.webContents),
  );
  trusted = invokeEventFrom(win.webContents);
});

describe('registering', () => {
  it('handles exactly the channels of the contract', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('removes every handler when disposed', () => {
    const other = new FakeIpcMain();
    const dispose = registerIpc(other, recordingHandlers(), () => true);
    dispose();
    expect(other.handlers.size).toBe(0);
    expect(other.removeHandler).toHaveBeenCalledTimes(INVOKE_CHANNELS.length);
  });

  it('setupIpc registers on Electron’s ipcMain', () => {
    const dispose = setupIpc(recordingHandlers(), () => true);
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    dispose();
    expect(electron.ipcMain.handlers.size).toBe(0);
  });
});

describe('a request from our window', () => {
  it.each(INVOKE_CHANNELS)(
    '%s reaches its handler with its payload and returns its answer',
    async (channel) => {
      const result = await ipc.invoke(trusted, channel, REQUESTS[channel]);
      expect(calls).toEqual([{ channel, req: REQUESTS[channel] }]);
      expect(result).toEqual(answerOf(channel));
    },
  );

  it('is trusted with a fragment or query on the page URL', async () => {
    const event = invokeEventFrom(win.webContents, 'file:///app/out/renderer/index.html#/log?x=1');
    await expect(ipc.invoke(event, 'app:snapshot')).resolves.toEqual(answerOf('app:snapshot'));
  });
});

describe('an untrusted sender is refused before its payload is read', () => {
  let warn: MockInstance<typeof console.warn>;
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    return () => warn.mockRestore();
  });

  const cases: Array<[string, () => FakeInvokeEvent]> = [
    ['a frame showing another page', () => invokeEventFrom(win.webContents, 'https://evil.example/')],
    ['another file', () => invokeEventFrom(win.webContents, 'file:///tmp/evil.html')],
    [
      'another webContents showing our page',
      () => invokeEventFrom(new FakeWebContents(new FakeSession()), PAGE.url),
    ],
    ['a frame that is gone', () => ({ sender: win.webContents, senderFrame: null })],
    [
      'an embedded frame of our page',
      () => ({
        sender: win.webContents,
        senderFrame: { url: PAGE.url, parent: { url: PAGE.url, parent: null } },
      }),
    ],
  ];

  it.each(cases)('%s', async (_name, event) => {
    await expect(ipc.invoke(event(), 'server:start', REQUESTS['server:start'])).rejects.toThrow(
      UNTRUSTED_SENDER,
    );
    expect(calls).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('refused server:start'));
  });

  it('when the window has closed', async () => {
    const ipc2 = new FakeIpcMain();
    registerIpc(
      ipc2,
      recordingHandlers(),
      createSenderCheck(PAGE, () => undefined),
    );
    await expect(ipc2.invoke(trusted, 'app:snapshot')).rejects.toThrow(UNTRUSTED_SENDER);
  });

  it('on the dev server, only its own origin is trusted', async () => {
    const dev = resolveAppPage({ rendererHtml: '', devServerUrl: 'http://localhost:5173', packaged: false });
    const ipc2 = new FakeIpcMain();
    const { handlers } = recordingHandlers();
    registerIpc(
      ipc2,
      { handlers },
      createSenderCheck(dev, () => win.webContents),
    );
    const from = (url: string): FakeInvokeEvent => invokeEventFrom(win.webContents, url);
    await expect(ipc2.invoke(from('http://localhost:5173/'), 'app:snapshot')).resolves.toBeDefined();
    await expect(ipc2.invoke(from('http://localhost:5174/'), 'app:snapshot')).rejects.toThrow(
      UNTRUSTED_SENDER,
    );
    await expect(ipc2.invoke(from(PAGE.url), 'app:snapshot')).rejects.toThrow(UNTRUSTED_SENDER);
  });
});

describe('a malformed request is refused with a clear message', () => {
  it('names the field: server:start with the port as a string', async () => {
    const bad = { ...DEFAULT_SETTINGS, port: '31310' };
    await expect(ipc.invoke(trusted, 'server:start', bad)).rejects.toThrow(/server:start.*port/);
    expect(calls).toEqual([]);
  });

  it('refuses unknown keys', async () => {
    const bad = { ...DEFAULT_SETTINGS, extra: true };
    await expect(ipc.invoke(trusted, 'settings:save', bad)).rejects.toThrow(/settings:save/);
    expect(calls).toEqual([]);
  });

  it('refuses a payload on a channel that takes none', async () => {
    await expect(ipc.invoke(trusted, 'server:stop', { force: true })).rejects.toThrow(/server:stop/);
    expect(calls).toEqual([]);
  });

  it('has no handler for a channel outside the contract', async () => {
    await expect(ipc.invoke(trusted, 'fs:read', '/etc/passwd')).rejects.toThrow(/No handler/);
  });
});

describe('events', () => {
  it('reach the window through webContents.send, payload untouched', () => {
    const sink = windowSink(win);
    const payload = { ...STATUS, text: 'Running on 127.0.0.1:1' };
    sink('server:status', payload);
    expect(win.webContents.send).toHaveBeenCalledWith('server:status', payload);
  });

  it('carry the menu’s app:action to the window, typed from the contract', () => {
    const sink = windowSink(win);
    // Checked by `npm run typecheck`: the sink takes exactly the contract's actions.
    expectTypeOf<Parameters<typeof sink<'app:action'>>[1]>().toEqualTypeOf<EventMap['app:action']>();
    expectTypeOf<EventMap['app:action']>().toEqualTypeOf<'start' | 'stop' | 'focus-command'>();
    for (const action of ['start', 'stop', 'focus-command'] as const) sink('app:action', action);
    expect(win.webContents.send.mock.calls).toEqual([
      ['app:action', 'start'],
      ['app:action', 'stop'],
      ['app:action', 'focus-command'],
    ]);
  });

  it('skip a window that is gone', () => {
    const sink = windowSink(win);
    win.close();
    sink('server:status', STATUS);
    expect(win.webContents.send).not.toHaveBeenCalled();
  });

  it('flow from the services to the window on every event channel until it closes', () => {
    let send: ((channel: EventChannel, payload: unknown) => void) | undefined;
    const unsubscribe = vi.fn();
    const subscribe = vi.fn((sink: EventSink) => {
      send = sink as (channel: EventChannel, payload: unknown) => void;
      return unsubscribe;
    });
    connectWindowEvents(win, { subscribe });
    expect(subscribe).toHaveBeenCalledTimes(1);
    for (const channel of EVENT_CHANNELS) send?.(channel, EVENTS[channel]);
    expect(win.webContents.send.mock.calls).toEqual(
      EVENT_CHANNELS.map((channel) => [channel, EVENTS[channel]]),
    );
    expect(unsubscribe).not.toHaveBeenCalled();
    win.close();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
  });
});
