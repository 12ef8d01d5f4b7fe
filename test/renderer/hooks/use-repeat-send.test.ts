/**
 * The repeat timer: N sends, N ms apart, timed from the end of the one
 * before; Stop ends it at once; a failed send ends it too.
 */
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { parseRepeat, useRepeatSend } from '../../../renderer/src/hooks/use-repeat-send';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

it('sends at once, then every N ms, N times in all', async () => {
  const sendOnce = vi.fn(() => Promise.resolve(true));
  const { result } = renderHook(() => useRepeatSend());
  act(() => result.current.start({ everyMs: 100, times: 3 }, sendOnce));
  await act(() => vi.advanceTimersByTimeAsync(0));
  expect(sendOnce).toHaveBeenCalledTimes(1);
  await act(() => vi.advanceTimersByTimeAsync(99));
  expect(sendOnce).toHaveBeenCalledTimes(1);
  await act(() => vi.advanceTimersByTimeAsync(1));
  expect(sendOnce).toHaveBeenCalledTimes(2);
  await act(() => vi.advanceTimersByTimeAsync(1000));
  expect(sendOnce).toHaveBeenCalledTimes(3);
  expect(result.current.progress).toEqual({ running: false, sent: 3, times: 3 });
});

it('Stop ends it: no send after it, however long one waits', async () => {
  const sendOnce = vi.fn(() => Promise.resolve(true));
  const { result } = renderHook(() => useRepeatSend());
  act(() => result.current.start({ everyMs: 100, times: 10 }, sendOnce));
  await act(() => vi.advanceTimersByTimeAsync(150));
  expect(sendOnce).toHaveBeenCalledTimes(2);
  act(() => result.current.stop());
  await act(() => vi.advanceTimersByTimeAsync(10_000));
  expect(sendOnce).toHaveBeenCalledTimes(2);
  expect(result.current.progress).toEqual({ running: false, sent: 2, times: 10 });
});

it('a failed send ends it', async () => {
  const sendOnce = vi.fn().mockResolvedValueOnce(true).mockResolvedValue(false);
  const { result } = renderHook(() => useRepeatSend());
  act(() => result.current.start({ everyMs: 10, times: 5 }, sendOnce));
  await act(() => vi.advanceTimersByTimeAsync(1000));
  expect(sendOnce).toHaveBeenCalledTimes(2);
  expect(result.current.progress).toEqual({ running: false, sent: 1, times: 5 });
});

it('a pane that goes away stops its timer', async () => {
  const sendOnce = vi.fn(() => Promise.resolve(true));
  const { result, unmount } = renderHook(() => useRepeatSend());
  act(() => result.current.start({ everyMs: 100, times: 10 }, sendOnce));
  await act(() => vi.advanceTimersByTimeAsync(0));
  unmount();
  await vi.advanceTimersByTimeAsync(10_000);
  expect(sendOnce).toHaveBeenCalledTimes(1);
});

it.each([
  ['1000', '10', { ok: true, plan: { everyMs: 1000, times: 10 } }],
  ['9', '10', { ok: false }],
  ['3600001', '10', { ok: false }],
  ['100', '100001', { ok: false }],
  ['1e3', '10', { ok: false }],
  [' 50 ', ' 2 ', { ok: true, plan: { everyMs: 50, times: 2 } }],
])('reads every %j ms, %j times', (every, times, expected) => {
  expect(parseRepeat(every, times)).toMatchObject(expected);
});
