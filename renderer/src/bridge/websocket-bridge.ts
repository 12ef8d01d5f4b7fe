/**
 * The bridge in browser mode: the same channels as the desktop app's
 * preload, carried over a loopback WebSocket that needs the page's token.
 */
import {
  isEventChannel,
  type Bridge,
  type EventChannel,
  type EventMap,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeResult,
  type SocketMessage,
  type SocketRequest,
} from '../../../electron/shared/ipc/ipc-contract';
import { SOCKET_MESSAGE_LIMIT } from '../../../electron/shared/ipc/socket-limits';

type Listener = (payload: never) => void;

export function createWebSocketBridge(url: string): Bridge {
  const listeners = new Map<EventChannel, Set<Listener>>();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const disconnectListeners = new Set<(reason: string) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;

  const connect = (): Promise<WebSocket> => {
    if (opened) return opened;
    opened = new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      let wasOpen = false;
      ws.addEventListener('open', () => {
        wasOpen = true;
        socket = ws;
        resolve(ws);
      });
      ws.addEventListener('message', (event: MessageEvent<string>) => receive(event.data));
      ws.addEventListener('close', (event: CloseEvent) => {
        // A tab dropped for falling behind is told why (browser mode's host gives a reason).
        const why = event.reason
          ? `it closed the connection (${event.reason})`
          : 'its process has exited or restarted';
        const error = new Error(`disconnected from Switchboard: ${why}`);
        for (const p of pending.values()) p.reject(error);
        pending.clear();
        socket = null;
        opened = null;
        reject(error);
        // Said at once, so the page never shows a server state it can no longer know.
        if (wasOpen) for (const l of disconnectListeners) l(why);
      });
    });
    return opened;
  };

  const receive = (data: string): void => {
    const message = JSON.parse(data) as SocketMessage;
    if ('event' in message) {
      if (!isEventChannel(message.event)) return;
      for (const l of listeners.get(message.event) ?? []) l(message.payload as never);
      return;
    }
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    if (message.ok) p.resolve(message.value);
    else p.reject(new Error(message.error));
  };

  // Connect at once so that pushed events start flowing before the first request.
  void connect().catch(() => undefined);

  return {
    async invoke<K extends InvokeChannel>(channel: K, ...args: InvokeArgs<K>): Promise<InvokeResult<K>> {
      const ws = socket ?? (await connect());
      const id = nextId++;
      const request: SocketRequest = { id, channel, payload: args[0] };
      const text = JSON.stringify(request);
      const bytes = utf8Length(text);
      if (bytes > SOCKET_MESSAGE_LIMIT) {
        // Refused here, with a reason: sent, it would cost this tab its connection.
        throw new Error(
          `too big to send: ${(bytes / 1048576).toFixed(1)} MiB, more than the ${SOCKET_MESSAGE_LIMIT / 1048576} MiB browser mode carries`,
        );
      }
      return new Promise<InvokeResult<K>>((resolve, reject) => {
        pending.set(id, { resolve: (v) => resolve(v as InvokeResult<K>), reject });
        ws.send(text);
      });
    },
    on<K extends EventChannel>(channel: K, listener: (payload: EventMap[K]) => void): () => void {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    onDisconnect(listener) {
      disconnectListeners.add(listener);
      return () => disconnectListeners.delete(listener);
    },
    async reconnect() {
      await connect();
    },
  };
}

/** Bytes of `text` in UTF-8, counted only when it could be over the limit (a unit takes at most 3). */
function utf8Length(text: string): number {
  return text.length * 3 <= SOCKET_MESSAGE_LIMIT ? text.length : new TextEncoder().encode(text).length;
}

/** The socket URL for this page: same host, the token from the URL fragment. */
export function socketUrlFromLocation(location: Location): string | null {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (!token) return null;
  return `ws://${location.host}/ipc?token=${encodeURIComponent(token)}`;
}
