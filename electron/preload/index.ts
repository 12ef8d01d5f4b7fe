/**
 * The preload: the one module that touches ipcRenderer, and the window's
 * only way to reach main.
 *
 * It exposes one object, typed from the contract, with two methods. Only
 * channels of the contract pass; the page never gets ipcRenderer itself, nor
 * an IpcRendererEvent (whose `sender` would hand it ipcRenderer back).
 * It is bundled into one CommonJS file, because a sandboxed preload can
 * require nothing but electron.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BRIDGE_KEY,
  isEventChannel,
  isInvokeChannel,
  type Bridge,
  type EventChannel,
  type EventMap,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeResult,
} from '../shared/ipc/ipc-contract.js';

const bridge: Bridge = {
  invoke<K extends InvokeChannel>(channel: K, ...args: InvokeArgs<K>): Promise<InvokeResult<K>> {
    // The page is not trusted to respect the types: check at run time too.
    if (!isInvokeChannel(channel)) {
      return Promise.reject(new Error(`unknown channel ${describe(channel)}`));
    }
    // One payload at most; main's schemas check its shape.
    const payload: unknown = args[0];
    return ipcRenderer.invoke(channel, payload) as Promise<InvokeResult<K>>;
  },

  on<K extends EventChannel>(channel: K, listener: (payload: EventMap[K]) => void): () => void {
    if (!isEventChannel(channel)) throw new Error(`unknown event channel ${describe(channel)}`);
    const forward = (_event: IpcRendererEvent, payload: EventMap[K]): void => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
};

function describe(channel: unknown): string {
  return JSON.stringify(String(channel)).slice(0, 80);
}

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
