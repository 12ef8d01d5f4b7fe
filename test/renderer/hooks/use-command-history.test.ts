import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, useCommandHistory } from '../../../renderer/src/hooks/use-command-history';

describe('useCommandHistory', () => {
  it('walks back with older, forward with newer, and restores the line being typed', () => {
    const { result } = renderHook(() => useCommandHistory());
    act(() => result.current.commit('SONG'));
    act(() => result.current.commit('HAIKU'));
    act(() => result.current.edit('QU'));

    act(() => result.current.older());
    expect(result.current.value).toBe('HAIKU');
    act(() => result.current.older());
    expect(result.current.value).toBe('SONG');
    act(() => result.current.older());
    expect(result.current.value).toBe('SONG');

    act(() => result.current.newer());
    expect(result.current.value).toBe('HAIKU');
    act(() => result.current.newer());
    expect(result.current.value).toBe('QU');
    act(() => result.current.newer());
    expect(result.current.value).toBe('QU');
  });

  it('does nothing on older with no history', () => {
    const { result } = renderHook(() => useCommandHistory());
    act(() => result.current.edit('x'));
    act(() => result.current.older());
    expect(result.current.value).toBe('x');
  });

  it('empties the input on commit and skips an immediate repeat', () => {
    const { result } = renderHook(() => useCommandHistory());
    act(() => result.current.commit('SONG'));
    act(() => result.current.commit('SONG'));
    expect(result.current.value).toBe('');
    expect(result.current.entries).toEqual(['SONG']);
  });

  it('forgets the oldest lines past the limit', () => {
    const { result } = renderHook(() => useCommandHistory());
    act(() => {
      for (let i = 0; i < HISTORY_LIMIT + 5; i++) result.current.commit(`L${i}`);
    });
    expect(result.current.entries).toHaveLength(HISTORY_LIMIT);
    expect(result.current.entries[0]).toBe('L5');
  });

  it('remembers a line sent another way without touching what is typed', () => {
    const { result } = renderHook(() => useCommandHistory(['SONG']));
    act(() => result.current.edit('half a li'));
    act(() => result.current.remember('QUOTE'));
    act(() => result.current.remember('QUOTE'));
    expect(result.current.value).toBe('half a li');
    expect(result.current.entries).toEqual(['SONG', 'QUOTE']);
    act(() => result.current.older());
    expect(result.current.value).toBe('QUOTE');
  });

  it('keeps the entry being shown when a remembered line pushes the oldest out', () => {
    const full = Array.from({ length: HISTORY_LIMIT }, (_, i) => `L${i}`);
    const { result } = renderHook(() => useCommandHistory(full));
    act(() => result.current.older());
    act(() => result.current.older());
    expect(result.current.value).toBe(`L${HISTORY_LIMIT - 2}`);
    act(() => result.current.remember('NEW'));
    act(() => result.current.newer());
    expect(result.current.value).toBe(`L${HISTORY_LIMIT - 1}`);
  });
});
