/**
 * How a line server gets its client sockets: over plain TCP, or over TLS
 * (tls-listener.ts). The server answers lines the same way whatever carries
 * them; only the listener and what the open event says about the
 * connection differ.
 */
import net from 'node:net';

/** What the transport learnt about a connection before handing it out. */
export interface ConnectionInfo {
  /** The TLS version and cipher agreed with the client, for a TLS listener. */
  tls?: { protocol: string; cipher: string };
}

/** A listening server made by a transport, not yet bound. */
export interface TransportListener {
  readonly server: net.Server;
  /**
   * Called by Stop: destroys the sockets not handed out yet (TLS handshakes
   * in progress), which the line server does not know of and so cannot close.
   */
  destroyPending(): void;
}

/** Makes a listener that calls `onSocket` with each client socket ready to carry lines. */
export type ListenFactory = (
  onSocket: (socket: net.Socket, info: ConnectionInfo) => void,
) => TransportListener;

const NO_INFO: ConnectionInfo = Object.freeze({});

/** Plain TCP: every accepted socket is handed out at once. */
export const tcpTransport: ListenFactory = (onSocket) => {
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) =>
    onSocket(socket, NO_INFO),
  );
  return { server, destroyPending: () => undefined };
};
