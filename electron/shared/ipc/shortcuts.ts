/**
 * The keyboard shortcuts of the Server menu, in Electron's accelerator
 * syntax. The app menu binds them (electron/main/app-menu.ts); the window
 * shows them in its tooltips with describeShortcut, so the two cannot
 * disagree.
 *
 * Chosen so that none of them means anything while typing in a text field
 * on any platform: Enter alone sends a command, so Start and Stop take a
 * modifier; Stop is Start with Shift, rather than CmdOrCtrl+., which is the
 * system's "cancel" on macOS (it dismisses sheets and dialogs) and an input
 * method toggle on some Windows and Linux keyboards.
 */
import type { AppAction } from './ipc-contract.js';

export const SHORTCUTS: Readonly<Record<AppAction, string>> = {
  start: 'CmdOrCtrl+Enter',
  stop: 'CmdOrCtrl+Shift+Enter',
  'focus-command': 'CmdOrCtrl+L',
};

const MAC_KEYS: Readonly<Record<string, string>> = {
  CmdOrCtrl: '⌘',
  Shift: '⇧',
  Alt: '⌥',
  Enter: '↩',
};

/** An accelerator as people read it: `⇧⌘↩` on macOS, `Ctrl+Shift+Enter` elsewhere. */
export function describeShortcut(accelerator: string, mac: boolean): string {
  const keys = accelerator.split('+');
  if (!mac) return keys.map((key) => (key === 'CmdOrCtrl' ? 'Ctrl' : key)).join('+');
  // macOS lists modifiers in a fixed order (⌃⌥⇧⌘), then the key.
  const order = ['Alt', 'Shift', 'CmdOrCtrl'];
  const modifiers = keys.slice(0, -1).sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return [...modifiers, keys.at(-1) ?? ''].map((key) => MAC_KEYS[key] ?? key).join('');
}
