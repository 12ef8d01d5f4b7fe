/**
 * Picks the bridge at start: the preload's in the desktop app, the
 * WebSocket one in browser mode. Nothing else in the window knows which.
 */
import { BRIDGE_KEY, type Bridge } from '../../../electron/shared/ipc/ipc-contract';
import { createWebSocketBridge, socketUrlFromLocation } from './websocket-bridge';

declare global {
  interface Window {
    [BRIDGE_KEY]?: Bridge;
  }
}

export function pickBridge(): Bridge {
  const fromPreload = window[BRIDGE_KEY];
  if (fromPreload) return fromPreload;
  const url = socketUrlFromLocation(window.location);
  if (!url) {
    throw new Error(
      'Switchboard could not reach its main process: open the address printed by npm run web, token included.',
    );
  }
  return createWebSocketBridge(url);
}
