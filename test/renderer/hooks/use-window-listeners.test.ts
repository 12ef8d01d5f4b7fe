import { renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useWindowListeners } from '../../../renderer/src/hooks/use-window-listeners';
import type { ListenerRow, ListenersState } from '../../../electron/shared/ipc/window-listeners';
import { createFakeBridge } from '../fake-bridge';

const ROW: ListenerRow = {
  name: 'events',
  transport: 'udp',
  host: '127.0.0.1',
  port: 31311,
  kind: 'mock',
  tableLabel: 'applied table',
  state: 'stopped',
  connections: 0,
  toxics: 0,
};
const EMPTY: ListenersState = { listeners: [], file: '/data/workspace.json' };
const ONE: ListenersState = { ...EMPTY, listeners: [ROW] };

describe('useWindowListeners', () => {
  it('asks for the list, follows listeners:state, and takes the list each action answers with', async () => {
    const running: ListenersState = { ...EMPTY, listeners: [{ ...ROW, state: 'failed', error: 'in use' }] };
    const fake = createFakeBridge(undefined, {
      'listeners:add': () => ({ ok: true, state: ONE }),
      'listeners:startAll': () => ({ state: running, failed: [{ name: 'events', error: 'in use' }] }),
      'listeners:import': () => ({ ok: false, error: 'refused', problems: ['listener 1: bad'], state: ONE }),
    });
    const { result } = renderHook(() => useWindowListeners(fake.bridge));
    await waitFor(() => expect(result.current.state).toEqual(EMPTY));
    fake.emit('listeners:state', ONE);
    expect(result.current.state).toEqual(ONE);
    const add = { name: 'events', transport: 'udp', host: '127.0.0.1' };
    expect(await result.current.add(add)).toEqual({ ok: true });
    expect(fake.requests('listeners:add')).toEqual([add]);
    // A listener that failed to start says so in the list, not twice.
    expect(await result.current.startAll()).toEqual({ ok: true });
    await waitFor(() => expect(result.current.state).toEqual(running));
    expect(await result.current.importWorkspace('{}')).toEqual({
      ok: false,
      error: 'refused',
      problems: ['listener 1: bad'],
    });
  });

  it('answers with the reason when main cannot be reached', async () => {
    const fake = createFakeBridge(undefined, {
      'listeners:stop': () => {
        throw new Error('the link to main is closed');
      },
    });
    const { result } = renderHook(() => useWindowListeners(fake.bridge));
    expect(await result.current.stop('events')).toEqual({ ok: false, error: 'the link to main is closed' });
    expect(await result.current.exportWorkspace()).toBeNull();
  });
});
