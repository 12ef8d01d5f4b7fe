/**
 * The Server menu's keyboard shortcuts inside the window, so they work in
 * browser mode too (where there is no app menu) and read the same in the
 * buttons' tooltips as in the menu.
 */
import type { AppAction } from '../../../electron/shared/ipc/ipc-contract';
import { SHORTCUTS, describeShortcut } from '../../../electron/shared/ipc/shortcuts';

/** macOS (and iPadOS, whose keyboards have ⌘ too); the user agent is the one hint every engine still gives. */
export function isMacPlatform(userAgent: string = navigator.userAgent): boolean {
  return /Mac|iPhone|iPad/.test(userAgent);
}

/** `Start (Ctrl+Enter)`, `Start (⌘↩)`: the button's tooltip. */
export function withShortcut(label: string, action: AppAction, mac = isMacPlatform()): string {
  return `${label} (${describeShortcut(SHORTCUTS[action], mac)})`;
}

type KeyLike = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

/** Whether a key press is an Electron accelerator such as `CmdOrCtrl+Shift+Enter`. */
export function matchesAccelerator(event: KeyLike, accelerator: string, mac: boolean): boolean {
  const parts = accelerator.split('+');
  const key = parts[parts.length - 1] ?? '';
  const mods = new Set(parts.slice(0, -1));
  const primary = mods.has('CmdOrCtrl');
  // Cmd on macOS, Ctrl elsewhere; the other one must not be held (Ctrl+Enter on a Mac is not ⌘↩).
  const [wanted, other] = mac ? [event.metaKey, event.ctrlKey] : [event.ctrlKey, event.metaKey];
  if (wanted !== primary || other) return false;
  if (event.shiftKey !== mods.has('Shift') || event.altKey !== mods.has('Alt')) return false;
  return event.key.toLowerCase() === key.toLowerCase();
}

const ACTIONS = Object.keys(SHORTCUTS) as AppAction[];

/** The action a key press asks for, if any. */
export function actionForKey(event: KeyLike, mac: boolean): AppAction | null {
  return ACTIONS.find((action) => matchesAccelerator(event, SHORTCUTS[action], mac)) ?? null;
}
