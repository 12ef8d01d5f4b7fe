/**
 * The preload: exposes one object with exactly `invoke` and `on`, lets only
 * the contract's channels through, and hands listeners the payload alone.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BRIDGE_KEY,
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  type Bridge,
  type EventChannel,
  type InvokeChannel,
} from '../../electron/shared/ipc/ipc-contract.js';
import { EMPTY_STATS } from '../../electron/shared/ipc/models.js';
import { DEFAULT_SETTINGS } from '../../electron/shared/protocol/settings.js';
import { FakeEvent } from '../helpers/electron-stub.js';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/electron-stub.js')).createElectronStub(),
);
vi.mock('electron', () => electron.module);

await import('../../electron/preload/index.js');

const exposeCalls = [...electron.contextBridge.exposeInMainWorld.mock.calls];
const bridge = electron.contextBridge.exposed.get(BRIDGE_KEY) as Bridge;
const { ipcRenderer } = electron;

/** The page is plain JavaScript: it may call the bridge with anything. */
const untyped = bridge as unknown as {
  invoke(channel: unknown, ...args: unknown[]): Promise<unknown>;
  on(channel: unknown, listener: (...args: unknown[]) => void): () => void;
};

beforeEach(() => {
  ipcRenderer.invoke.mockClear();
  ipcRenderer.removeAllListeners();
});

describe('what the page gets', () => {
  it('is one object, exposed once under the bridge key, with exactly invoke and on', () => {
    expect(exposeCalls).toHaveLength(1);
    expect(exposeCalls[0]?.[0]).toBe(BRIDGE_KEY);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(typeof bridge.invoke).toBe('function');
    expect(typeof bridge.on).toBe('function');
  });
});

describe('invoke', () => {
  it.each(INVOKE_CHANNELS)('passes %s to main and returns main’s answer', async (channel: InvokeChannel) => {
    ipcRenderer.invoke.mockResolvedValueOnce({ answer: channel });
    await expect(untyped.invoke(channel, { some: 'payload' })).resolves.toEqual({ answer: channel });
    expect(ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(channel, { some: 'payload' });
  });

  it('sends a typed request as it is', async () => {
    const settings = { ...DEFAULT_SETTINGS, port: 4000 };
    await bridge.invoke('server:start', settings);
    expect(ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith('server:start', settings);
  });

  it('sends one payload at most', async () => {
    await untyped.invoke('server:stop', undefined, 'extra', 'args');
    expect(ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith('server:stop', undefined);
  });

  it.each(['fs:read', 'server:status', '__proto__', 'toString', 42, null])(
    'rejects the unknown channel %s without reaching ipcRenderer',
    async (channel) => {
      await expect(untyped.invoke(channel)).rejects.toThrow(/unknown channel/);
      expect(ipcRenderer.invoke).not.toHaveBeenCalled();
    },
  );

  it('passes main’s refusal on', async () => {
    ipcRenderer.invoke.mockRejectedValueOnce(new Error('refused: untrusted sender'));
    await expect(bridge.invoke('app:snapshot')).rejects.toThrow('refused: untrusted sender');
  });
});

describe('on', () => {
  it.each(EVENT_CHANNELS)('delivers %s payloads, and only the payload', (channel: EventChannel) => {
    const listener = vi.fn();
    untyped.on(channel, listener);
    const payload = { entries: [], stats: { ...EMPTY_STATS } };
    ipcRenderer.emit(channel, new FakeEvent(), payload);
    expect(listener).toHaveBeenCalledExactlyOnceWith(payload);
  });

  it('delivers nothing from other channels', () => {
    const listener = vi.fn();
    bridge.on('server:status', listener);
    ipcRenderer.emit('log:batch', new FakeEvent(), { entries: [], stats: EMPTY_STATS });
    expect(listener).not.toHaveBeenCalled();
  });

  it('stops delivering after unsubscribing, and leaves no listener behind', () => {
    const listener = vi.fn();
    const other = vi.fn();
    const unsubscribe = bridge.on('server:status', listener);
    bridge.on('server:status', other);
    expect(ipcRenderer.listenerCount('server:status')).toBe(2);
    unsubscribe();
    unsubscribe(); // twice is harmless
    expect(ipcRenderer.listenerCount('server:status')).toBe(1);
    ipcRenderer.emit('server:status', new FakeEvent(), {
      state: 'stopped',
      host: '',
      port: 0,
      text: 'Stopped',
    });
    expect(listener).not.toHaveBeenCalled();
    expect(other).toHaveBeenCalledTimes(1);
  });

  it.each(['server:start', 'ipc-internal', 'constructor', 7])(
    'throws for the unknown event channel %s and subscribes nothing',
    (channel) => {
      expect(() => untyped.on(channel, vi.fn())).toThrow(/unknown event channel/);
      expect(ipcRenderer.eventNames()).toEqual([]);
    },
  );
});
