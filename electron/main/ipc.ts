/**
 * The one module that touches ipcMain: connects the window to the services.
 *
 * Requests: one `ipcMain.handle` per channel of the contract. Each refuses
 * an untrusted sender first, then lets the shared dispatcher check the
 * payload and call the service, exactly as browser mode's socket does.
 * Events: the window's webContents becomes one more sink of the services.
 */
import { ipcMain, type IpcMain, type WebContents } from 'electron';
import { INVOKE_CHANNELS, type EventSink } from '../shared/ipc/ipc-contract.js';
import type { AppServices } from '../services/app-services.js';
import { createDispatcher, IpcRequestError } from '../services/dispatcher.js';
import type { SenderCheck } from './sender-trust.js';

/** What registering needs from ipcMain; tests pass a fake with the same types. */
export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;

export const UNTRUSTED_SENDER = 'refused: untrusted sender';

/**
 * Registers a handler for every invoke channel of the contract, and no
 * other; returns the function that removes them again.
 */
export function registerIpc(
  ipc: IpcMainLike,
  services: Pick<AppServices, 'handlers'>,
  isTrusted: SenderCheck,
): () => void {
  const dispatch = createDispatcher(services.handlers);
  for (const channel of INVOKE_CHANNELS) {
    ipc.handle(channel, (event, payload: unknown) => {
      if (!isTrusted(event)) {
        console.warn(`ipc: refused ${channel} from ${event.senderFrame?.url ?? 'a frame that is gone'}`);
        return Promise.reject(new IpcRequestError(UNTRUSTED_SENDER));
      }
      return dispatch(channel, payload);
    });
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipc.removeHandler(channel);
  };
}

/** registerIpc on Electron's own ipcMain. */
export function setupIpc(services: Pick<AppServices, 'handlers'>, isTrusted: SenderCheck): () => void {
  return registerIpc(ipcMain, services, isTrusted);
}

/** The window as an event sink needs it. */
export interface SinkWindow {
  isDestroyed(): boolean;
  readonly webContents: Pick<WebContents, 'send' | 'isDestroyed'>;
}

/** Pushes events to one window; a window that is gone is skipped, not an error. */
export function windowSink(win: SinkWindow): EventSink {
  return (channel, payload) => {
    if (win.isDestroyed() || win.webContents.isDestroyed()) return;
    win.webContents.send(channel, payload);
  };
}

/** Subscribes the window to the services' events until it closes. */
export function connectWindowEvents(
  win: SinkWindow & { once(event: 'closed', listener: () => void): unknown },
  services: Pick<AppServices, 'subscribe'>,
): () => void {
  const unsubscribe = services.subscribe(windowSink(win));
  win.once('closed', unsubscribe);
  return unsubscribe;
}
