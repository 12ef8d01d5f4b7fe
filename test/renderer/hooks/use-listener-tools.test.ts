import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useListenerTools } from '../../../renderer/src/hooks/use-listener-tools';
import type { ToolsState } from '../../../electron/shared/ipc/listener-tools';
import { createFakeBridge, TOOLS_STATE } from '../fake-bridge';

const ON: ToolsState = { ...TOOLS_STATE, record: { on: true, requests: 2 } };

describe('useListenerTools', () => {
  it('listens before it asks, follows pushes, and hands recordings on', async () => {
    const fake = createFakeBridge();
    const onRecording = vi.fn();
    const { result } = renderHook(() => useListenerTools(fake.bridge, onRecording));
    await waitFor(() => expect(result.current.state).toEqual(TOOLS_STATE));
    expect(fake.calls.indexOf('on:tools:state')).toBeLessThan(fake.calls.indexOf('invoke:tools:state'));
    fake.emit('tools:state', ON);
    expect(result.current.state).toEqual(ON);
    const recording = { table: { commands: [] }, rules: 0, requests: 0, upstream: '127.0.0.1:1' };
    fake.emit('recording:ready', recording);
    expect(onRecording).toHaveBeenCalledWith(recording);
  });

  it('keeps a state pushed while its question was on its way, and asks again after a reconnect', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fake = createFakeBridge(undefined, {
      'tools:state': async () => {
        await gate;
        return TOOLS_STATE;
      },
    });
    const { result, rerender } = renderHook(({ key }) => useListenerTools(fake.bridge, vi.fn(), key), {
      initialProps: { key: null as string | null },
    });
    fake.emit('tools:state', ON);
    // The answer lands: every promise it settles runs before the next task.
    await act(async () => {
      release();
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(fake.requests('tools:state')).toHaveLength(1);
    expect(result.current.state).toEqual(ON);
    rerender({ key: 'the host went away' });
    rerender({ key: null });
    await waitFor(() => expect(result.current.state).toEqual(TOOLS_STATE));
    expect(fake.requests('tools:state').length).toBeGreaterThanOrEqual(2);
  });

  it('answers a failed send with the reason instead of throwing', async () => {
    const fake = createFakeBridge(undefined, {
      'connection:send': () => {
        throw new Error('link down');
      },
    });
    const { result } = renderHook(() => useListenerTools(fake.bridge, vi.fn()));
    expect(await result.current.send({ conn: 'all', line: 'x', lineEnding: 'crlf' })).toEqual({
      ok: false,
      error: 'link down',
    });
  });
});
