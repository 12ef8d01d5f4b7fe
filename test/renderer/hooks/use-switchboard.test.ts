import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../electron/shared/protocol/settings';
import { useSwitchboard } from '../../../renderer/src/hooks/use-switchboard';
import { RUNNING, createFakeBridge, logEntry, snapshot, stats } from '../fake-bridge';

describe('useSwitchboard', () => {
  it('listens to every event channel before it asks for the snapshot', async () => {
    const fake = createFakeBridge();
    const { result } = renderHook(() => useSwitchboard(fake.bridge));
    await waitFor(() => expect(result.current.settings).not.toBeNull());
    const firstInvoke = fake.calls.indexOf('invoke:app:snapshot');
    for (const channel of ['server:status', 'log:batch', 'client:batch']) {
      const on = fake.calls.indexOf(`on:${channel}`);
      expect(on).toBeGreaterThanOrEqual(0);
      expect(on).toBeLessThan(firstInvoke);
    }
  });

  it('keeps rows pushed while the snapshot was on its way, without doubles', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fake = createFakeBridge(snapshot(), {
      'app:snapshot': async () => {
        await gate;
        return snapshot({ status: RUNNING, recent: [logEntry(1), logEntry(2)], stats: stats({ total: 2 }) });
      },
    });
    const { result } = renderHook(() => useSwitchboard(fake.bridge));
    fake.emit('log:batch', { entries: [logEntry(2), logEntry(3)], stats: stats({ total: 3 }) });
    await act(async () => {
      release();
      await gate;
    });
    await waitFor(() => expect(result.current.settings).not.toBeNull());
    expect(result.current.log.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(result.current.status).toEqual(RUNNING);
  });

  it('stops listening when unmounted', async () => {
    const fake = createFakeBridge();
    const { result, unmount } = renderHook(() => useSwitchboard(fake.bridge));
    await waitFor(() => expect(result.current.settings).not.toBeNull());
    expect(fake.listenerCount('log:batch')).toBe(1);
    unmount();
    expect(fake.listenerCount('log:batch')).toBe(0);
    expect(fake.listenerCount('server:status')).toBe(0);
    expect(fake.listenerCount('client:batch')).toBe(0);
  });

  it('reports a snapshot that fails and loads on retry', async () => {
    let fail = true;
    const fake = createFakeBridge(snapshot(), {
      'app:snapshot': () => {
        if (fail) throw new Error('main is not there');
        return snapshot();
      },
    });
    const { result } = renderHook(() => useSwitchboard(fake.bridge));
    await waitFor(() => expect(result.current.loadError).toBe('main is not there'));
    fail = false;
    act(() => result.current.retry());
    await waitFor(() => expect(result.current.settings).not.toBeNull());
    expect(result.current.loadError).toBeNull();
  });

  it('shows a refused start as the status and turns a lost bridge into an error message', async () => {
    const failed = {
      state: 'failed' as const,
      host: '127.0.0.1',
      port: 31310,
      text: 'port 31310 on 127.0.0.1 is already in use',
    };
    const fake = createFakeBridge(snapshot(), {
      'server:start': () => ({ ok: false, status: failed, error: failed.text }),
      'server:stop': () => {
        throw new Error('the connection to Switchboard was closed; reload the page');
      },
      'client:send': () => {
        throw new Error('gone');
      },
    });
    const { result } = renderHook(() => useSwitchboard(fake.bridge));
    await waitFor(() => expect(result.current.settings).not.toBeNull());

    await act(() => result.current.start({ ...DEFAULT_SETTINGS }));
    expect(result.current.status).toEqual(failed);
    expect(result.current.pending).toBeNull();

    await act(() => result.current.stop());
    expect(result.current.bridgeError).toMatch(/connection to Switchboard was closed/);

    let outcome: Awaited<ReturnType<typeof result.current.send>> | undefined;
    await act(async () => {
      outcome = await result.current.send({ host: '127.0.0.1', port: 1, line: 'x', lineEnding: 'crlf' });
    });
    expect(outcome).toMatchObject({ ok: false, error: 'gone' });
  });

  it('connects the client, reads the previous run and clears the log', async () => {
    const previous = { files: ['/logs/previous.jsonl'], entries: [logEntry(1)], truncated: 0 };
    const fake = createFakeBridge(snapshot({ recent: [logEntry(1), logEntry(2)] }), {
      'client:connect': (target) => ({
        ok: true,
        state: { connected: true, target },
      }),
      'log:previous': () => previous,
    });
    const { result } = renderHook(() => useSwitchboard(fake.bridge));
    await waitFor(() => expect(result.current.settings).not.toBeNull());

    await act(async () => {
      await result.current.connect({ host: '127.0.0.1', port: 7 });
    });
    expect(fake.requests('client:connect')).toEqual([{ host: '127.0.0.1', port: 7 }]);
    expect(result.current.client.connected).toBe(true);

    expect(await result.current.loadPreviousLog()).toBe(previous);

    expect(result.current.log).toHaveLength(2);
    act(() => result.current.clearLog());
    expect(result.current.log).toEqual([]);
  });

  it('follows the chart’s series and the command table as main pushes them', async () => {
    const fake = createFakeBridge();
    const { result } = renderHook(() => useSwitchboard(fake.bridge));
    await waitFor(() => expect(result.current.settings).not.toBeNull());
    fake.emit('stats:update', {
      stats: stats({ active: 3 }),
      series: { end: 9, connections: [1], commands: [2] },
    });
    expect(result.current.series).toEqual({ end: 9, connections: [1], commands: [2] });
    expect(result.current.stats.active).toBe(3);
    const table = { commands: [{ name: 'PING', reply: 'PONG' }] };
    fake.emit('commands:state', { table, presets: [], inbox: [] });
    expect(result.current.commands?.table).toBe(table);
  });

  it('hands on the app menu’s actions', async () => {
    const fake = createFakeBridge();
    const { result } = renderHook(() => useSwitchboard(fake.bridge));
    await waitFor(() => expect(result.current.settings).not.toBeNull());
    const seen: string[] = [];
    const off = result.current.onAppAction((action) => seen.push(action));
    fake.emit('app:action', 'focus-command');
    off();
    fake.emit('app:action', 'start');
    expect(seen).toEqual(['focus-command']);
  });

  it('takes one Start at a time, however fast they come', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fake = createFakeBridge(snapshot(), {
      'server:start': async (settings) => {
        await gate;
        return { ok: true, status: { ...RUNNING, port: settings.port } };
      },
    });
    const { result } = renderHook(() => useSwitchboard(fake.bridge));
    await waitFor(() => expect(result.current.settings).not.toBeNull());
    let both: Promise<unknown> = Promise.resolve();
    act(() => {
      both = Promise.all([result.current.start(DEFAULT_SETTINGS), result.current.start(DEFAULT_SETTINGS)]);
    });
    await act(async () => {
      release();
      await both;
    });
    expect(fake.requests('server:start')).toHaveLength(1);
  });
});
