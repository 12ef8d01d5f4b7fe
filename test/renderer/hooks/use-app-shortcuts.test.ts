import { fireEvent, renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { AppAction } from '../../../electron/shared/ipc/ipc-contract';
import { useAppShortcuts } from '../../../renderer/src/hooks/use-app-shortcuts';

function setup() {
  const handlers = { start: vi.fn(), stop: vi.fn(), 'focus-command': vi.fn() };
  let listener: ((action: AppAction) => void) | null = null;
  const unsubscribe = vi.fn();
  const subscribe = vi.fn((l: (action: AppAction) => void) => {
    listener = l;
    return unsubscribe;
  });
  const view = renderHook(() => useAppShortcuts(handlers, subscribe));
  return { ...view, handlers, subscribe, unsubscribe, menu: (action: AppAction) => listener?.(action) };
}

describe('useAppShortcuts', () => {
  it('runs the app menu’s actions', () => {
    const { handlers, menu } = setup();
    menu('start');
    menu('stop');
    menu('focus-command');
    expect(handlers.start).toHaveBeenCalledTimes(1);
    expect(handlers.stop).toHaveBeenCalledTimes(1);
    expect(handlers['focus-command']).toHaveBeenCalledTimes(1);
  });

  it('runs the same actions from the keyboard and keeps the keys from doing anything else', () => {
    const { handlers } = setup();
    const input = document.body.appendChild(document.createElement('input'));
    const keys = [
      { key: 'Enter', ctrlKey: true },
      { key: 'Enter', ctrlKey: true, shiftKey: true },
      { key: 'l', ctrlKey: true },
    ];
    const defaults = keys.map((init) => fireEvent.keyDown(input, init));
    expect(defaults).toEqual([false, false, false]);
    expect(handlers.start).toHaveBeenCalledTimes(1);
    expect(handlers.stop).toHaveBeenCalledTimes(1);
    expect(handlers['focus-command']).toHaveBeenCalledTimes(1);
    input.remove();
  });

  it('leaves other keys alone, and runs a held key once', () => {
    const { handlers } = setup();
    expect(fireEvent.keyDown(window, { key: 'Enter' })).toBe(true);
    expect(fireEvent.keyDown(window, { key: 'l' })).toBe(true);
    expect(fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true, repeat: true })).toBe(false);
    expect(handlers.start).not.toHaveBeenCalled();
  });

  it('stops listening when unmounted', () => {
    const { handlers, unmount, unsubscribe } = setup();
    unmount();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true });
    expect(handlers.start).not.toHaveBeenCalled();
  });
});
