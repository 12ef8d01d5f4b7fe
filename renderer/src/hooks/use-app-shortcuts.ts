/**
 * Start, Stop and Focus command from the app menu ('app:action') and from
 * the same keys pressed in the window, which is all browser mode has.
 *
 * The keys are taken on the way down (capture), before the Command input
 * sees them: Ctrl+Enter there would otherwise also send the line. Taking a
 * key also keeps the desktop app from running the menu item a second time,
 * because Electron hands the menu only the keys a page did not take.
 */
import { useEffect, useRef } from 'react';
import type { AppAction } from '../../../electron/shared/ipc/ipc-contract';
import { actionForKey, isMacPlatform } from '../lib/shortcuts';

export type AppActionHandlers = Readonly<Record<AppAction, () => void>>;

export function useAppShortcuts(
  handlers: AppActionHandlers,
  subscribe: (listener: (action: AppAction) => void) => () => void,
): void {
  // The newest handlers, without listening again each render.
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => subscribe((action) => latest.current[action]()), [subscribe]);

  useEffect(() => {
    const mac = isMacPlatform();
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.isComposing) return;
      const action = actionForKey(event, mac);
      if (!action) return;
      event.preventDefault();
      event.stopPropagation();
      // A held key repeats; Start once is what was meant.
      if (!event.repeat) latest.current[action]();
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);
}
