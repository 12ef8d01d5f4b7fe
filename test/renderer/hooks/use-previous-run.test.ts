import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PreviousLog } from '../../../electron/shared/ipc/models';
import { usePreviousRun } from '../../../renderer/src/hooks/use-previous-run';
import { logEntry } from '../fake-bridge';

const LOG: PreviousLog = { files: ['/data/logs/previous.jsonl'], entries: [logEntry(1)], truncated: 0 };

describe('usePreviousRun', () => {
  it('loads the previous run on request and goes back', async () => {
    const { result } = renderHook(() => usePreviousRun(() => Promise.resolve(LOG)));
    expect(result.current.run).toEqual({ state: 'closed' });
    act(() => result.current.open());
    expect(result.current.run).toEqual({ state: 'loading' });
    await waitFor(() => expect(result.current.run).toEqual({ state: 'shown', log: LOG }));
    act(() => result.current.close());
    expect(result.current.run).toEqual({ state: 'closed' });
  });

  it('reports a failure', async () => {
    const { result } = renderHook(() => usePreviousRun(() => Promise.reject(new Error('main went away'))));
    act(() => result.current.open());
    await waitFor(() => expect(result.current.run).toEqual({ state: 'failed', error: 'main went away' }));
  });

  it('does not reopen a view the user left before the answer came', async () => {
    let answer: (log: PreviousLog) => void = () => undefined;
    const pending = new Promise<PreviousLog>((resolve) => (answer = resolve));
    const { result } = renderHook(() => usePreviousRun(() => pending));
    act(() => result.current.open());
    act(() => result.current.close());
    await act(async () => {
      answer(LOG);
      await pending;
    });
    expect(result.current.run).toEqual({ state: 'closed' });
  });
});
