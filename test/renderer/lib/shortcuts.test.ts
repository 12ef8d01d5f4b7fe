import { describe, expect, it } from 'vitest';
import {
  actionForKey,
  isMacPlatform,
  matchesAccelerator,
  withShortcut,
} from '../../../renderer/src/lib/shortcuts';

const key = (
  k: string,
  mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('shortcuts in the window', () => {
  it('maps the menu’s accelerators to actions, with Ctrl off macOS and ⌘ on it', () => {
    expect(actionForKey(key('Enter', { ctrlKey: true }), false)).toBe('start');
    expect(actionForKey(key('Enter', { ctrlKey: true, shiftKey: true }), false)).toBe('stop');
    expect(actionForKey(key('l', { ctrlKey: true }), false)).toBe('focus-command');
    expect(actionForKey(key('L', { ctrlKey: true }), false)).toBe('focus-command');
    expect(actionForKey(key('Enter', { metaKey: true }), true)).toBe('start');
    expect(actionForKey(key('Enter', { metaKey: true, shiftKey: true }), true)).toBe('stop');
  });

  it('ignores other keys and other modifiers', () => {
    expect(actionForKey(key('Enter'), false)).toBeNull();
    expect(actionForKey(key('Enter', { metaKey: true }), false)).toBeNull();
    expect(actionForKey(key('Enter', { ctrlKey: true }), true)).toBeNull();
    expect(actionForKey(key('Enter', { ctrlKey: true, metaKey: true }), false)).toBeNull();
    expect(actionForKey(key('Enter', { ctrlKey: true, altKey: true }), false)).toBeNull();
    expect(actionForKey(key('l', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(matchesAccelerator(key('k', { ctrlKey: true }), 'CmdOrCtrl+L', false)).toBe(false);
  });

  it('names the shortcut in a tooltip as the menu does', () => {
    expect(withShortcut('Start', 'start', false)).toBe('Start (Ctrl+Enter)');
    expect(withShortcut('Stop', 'stop', false)).toBe('Stop (Ctrl+Shift+Enter)');
    expect(withShortcut('Start', 'start', true)).toBe('Start (⌘↩)');
    expect(withShortcut('Stop', 'stop', true)).toBe('Stop (⇧⌘↩)');
  });

  it('tells macOS by its user agent', () => {
    expect(isMacPlatform('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)')).toBe(true);
    expect(isMacPlatform('Mozilla/5.0 (X11; Linux x86_64)')).toBe(false);
    expect(isMacPlatform('Mozilla/5.0 (Windows NT 10.0; Win64; x64)')).toBe(false);
  });
});
