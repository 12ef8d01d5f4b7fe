/**
 * The Server menu's shortcuts as the window's tooltips show them.
 */
import { describe, expect, it } from 'vitest';
import { describeShortcut, SHORTCUTS } from '../../../electron/shared/ipc/shortcuts.js';

describe('describeShortcut', () => {
  it.each([
    [SHORTCUTS.start, '⌘↩', 'Ctrl+Enter'],
    [SHORTCUTS.stop, '⇧⌘↩', 'Ctrl+Shift+Enter'],
    [SHORTCUTS['focus-command'], '⌘L', 'Ctrl+L'],
    ['CmdOrCtrl+Alt+Shift+K', '⌥⇧⌘K', 'Ctrl+Alt+Shift+K'],
  ])('%s reads %s on macOS and %s elsewhere', (accelerator, mac, other) => {
    expect(describeShortcut(accelerator, true)).toBe(mac);
    expect(describeShortcut(accelerator, false)).toBe(other);
  });
});
