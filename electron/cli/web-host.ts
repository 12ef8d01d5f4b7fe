/**
 * Browser mode's host (docs/browser-mode.md): serves the window's files and carries
 * the IPC contract over a WebSocket, on loopback only.
 *
 * The socket is the window's only way in, so it is guarded three ways: the
 * URL must carry the per-start token, the Host header must name this
 * loopback port (no DNS rebinding), and the Origin must be this page (no
 * other site's script can open it).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { createDispatcher } from '../services/dispatcher.js';
import type { AppServices } from '../services/app-services.js';
import type { SocketMessage } from '../shared/ipc/ipc-contract.js';
import { CLOSE_TOO_SLOW, SOCKET_MESSAGE_LIMIT } from '../shared/ipc/socket-limits.js';

export interface WebHostOptions {
  /** 0 picks any free port. */
  port: number;
  /** The built window (out/renderer). */
  staticDir: string;
  services: AppServices;
  /** Told when something goes wrong that the user should hear of (a tab dropped); default: stderr. */
  warn?: (message: string) => void;
}

export interface WebHost {
  /** The address it listens on: always 127.0.0.1. */
  address: string;
  port: number;
  token: string;
  /** The address to open, token included (in the fragment, which never reaches a server). */
  url: string;
  close(): Promise<void>;
}

/** The CSP of every page served: the window's own files and its socket, nothing else. */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * What one tab may have waiting unread. A tab over it for longer than
 * {@link SLOW_TAB_GRACE_MS} (a big snapshot on its way is not slowness), or
 * over {@link TAB_HARD_BYTES} at any moment, is dropped and told why.
 */
export const TAB_QUEUE_BYTES = 8 * 1024 * 1024;
export const SLOW_TAB_GRACE_MS = 2000;
export const TAB_HARD_BYTES = 2 * SOCKET_MESSAGE_LIMIT + TAB_QUEUE_BYTES;
/** All tabs together: past this the tab with the most waiting is dropped, however new its backlog. */
export const ALL_TABS_QUEUE_BYTES = 64 * 1024 * 1024;
/** A dropped tab's close frame waits behind its backlog this long before the socket is cut. */
const CLOSE_GRACE_MS = 3000;

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = randomBytes(32).toString('base64url');
  const root = path.resolve(options.staticDir);
  const dispatch = createDispatcher(options.services.handlers);
  const warn = options.warn ?? ((message: string) => process.stderr.write(`warning: ${message}\n`));
  const tabs = new Set<Tab>();
  let port = 0;
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`);

  const server = http.createServer((req, res) => {
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('refused: wrong Host header\n');
      return;
    }
    void serveStatic(root, req, res);
  });

  // Every socket and server object has its error handled: one tab's broken
  // connection or refused frame must never reach the process.
  server.on('clientError', (_error, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    socket.destroy();
  });
  server.on('connection', (socket) => socket.on('error', () => socket.destroy()));
  const wss = new WebSocketServer({ noServer: true, maxPayload: SOCKET_MESSAGE_LIMIT });
  wss.on('error', (error) => warn(`browser mode: ${error.message}`));
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refusal = checkUpgrade(req, token, allowedHosts(), allowedOrigins());
    if (refusal) {
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nrefused: ${refusal}\n`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const tab = serveSocket(ws, options.services, dispatch, tabs, warn);
      tabs.add(tab);
      ws.on('close', () => tabs.delete(tab));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only, whatever the caller asks: browser mode drives a server.
    server.listen({ host: '127.0.0.1', port: options.port }, () => {
      server.off('error', reject);
      server.on('error', (error) => warn(`browser mode: ${error.message}`));
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  port = bound.port;

  return {
    address: bound.address,
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Why an upgrade is refused, or null when it may proceed. */
export function checkUpgrade(
  req: http.IncomingMessage,
  token: string,
  allowedHosts: string[],
  allowedOrigins: string[],
): string | null {
  if (!allowedHosts.includes(req.headers.host ?? '')) return 'wrong Host header';
  if (!allowedOrigins.includes(req.headers.origin ?? '')) return 'wrong Origin';
  const url = new URL(req.url ?? '/', 'http://placeholder');
  if (url.pathname !== '/ipc') return 'unknown path';
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'wrong token';
  return null;
}

/** One connected tab, as the slow-tab rules see it. */
interface Tab {
  ws: WebSocket;
  /** When its backlog first went over {@link TAB_QUEUE_BYTES}; null while under. */
  overSince: number | null;
  drop(why: string): void;
}

function serveSocket(
  ws: WebSocket,
  services: AppServices,
  dispatch: ReturnType<typeof createDispatcher>,
  tabs: ReadonlySet<Tab>,
  warn: (message: string) => void,
): Tab {
  let dropped = false;
  const tab: Tab = {
    ws,
    overSince: null,
    drop(why) {
      if (dropped) return;
      dropped = true;
      unsubscribe();
      warn(`browser mode: a tab was dropped: ${why}`);
      // The close frame queues behind what the tab has not read; a tab that
      // never reads is cut off once the grace is over.
      ws.close(CLOSE_TOO_SLOW, `too slow: ${why}; reload the page`.slice(0, 120));
      setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
    },
  };
  const send = (text: string): void => {
    if (dropped || ws.readyState !== ws.OPEN) return;
    if (!keepsUp(tab, tabs)) return;
    ws.send(text);
  };
  const unsubscribe = services.subscribe((channel, payload) => send(encodeEvent(channel, payload)));
  // A frame ws refuses (too big, invalid UTF-8, a reserved opcode, unmasked)
  // ends with an error here and a close of this socket alone.
  ws.on('error', () => undefined);
  ws.on('close', unsubscribe);
  ws.on('message', (data, isBinary) => {
    const request = parseRequest(isBinary ? null : textOf(data));
    if (!request) {
      send(
        JSON.stringify({
          id: -1,
          ok: false,
          error: 'refused: a request is {"id": number, "channel": string, "payload"?: any}',
        } satisfies SocketMessage),
      );
      return;
    }
    dispatch(request.channel, request.payload).then(
      (value) => send(JSON.stringify({ id: request.id, ok: true, value } satisfies SocketMessage)),
      (error: unknown) =>
        send(
          JSON.stringify({
            id: request.id,
            ok: false,
            error: error instanceof Error ? error.message : String(error),
          } satisfies SocketMessage),
        ),
    );
  });
  return tab;
}

/**
 * Whether `tab` may be sent more: false once it is dropped for its backlog.
 * Also enforces the bound over all tabs, dropping the one with most waiting.
 */
function keepsUp(tab: Tab, tabs: ReadonlySet<Tab>): boolean {
  const waiting = tab.ws.bufferedAmount;
  if (waiting > TAB_HARD_BYTES) {
    tab.drop(`${mib(waiting)} MiB waited unread`);
    return false;
  }
  if (waiting <= TAB_QUEUE_BYTES) tab.overSince = null;
  else if (tab.overSince === null) tab.overSince = Date.now();
  else if (Date.now() - tab.overSince > SLOW_TAB_GRACE_MS) {
    tab.drop(`${mib(waiting)} MiB waited unread for over ${SLOW_TAB_GRACE_MS / 1000} s`);
    return false;
  }
  let total = 0;
  let most: Tab | null = null;
  for (const t of tabs) {
    const n = t.ws.bufferedAmount;
    total += n;
    if (!most || n > most.ws.bufferedAmount) most = t;
  }
  if (total > ALL_TABS_QUEUE_BYTES && most) {
    most.drop(`all tabs together had ${mib(total)} MiB waiting; this one the most`);
    if (most === tab) return false;
  }
  return true;
}

function mib(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

/**
 * One event's text, made once however many tabs get it: the hub hands every
 * sink the same payload in one synchronous loop, so the text is kept until
 * that loop is over and no longer (a payload object may be reused later).
 */
let lastEvent: { payload: unknown; text: string } | null = null;
function encodeEvent(channel: string, payload: unknown): string {
  if (lastEvent !== null && lastEvent.payload === payload) return lastEvent.text;
  const text = JSON.stringify({ event: channel, payload });
  if (lastEvent === null) queueMicrotask(() => (lastEvent = null));
  lastEvent = { payload, text };
  return text;
}

/** A text frame's content; ws hands it over as one buffer or as fragments. */
function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function parseRequest(text: string | null): { id: number; channel: unknown; payload: unknown } | null {
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null || !('id' in json) || !('channel' in json)) return null;
  if (typeof json.id !== 'number' || !Number.isSafeInteger(json.id)) return null;
  return { id: json.id, channel: json.channel, payload: 'payload' in json ? json.payload : undefined };
}

async function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const headers = {
    'content-security-policy': WEB_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://placeholder').pathname);
  } catch {
    res.writeHead(400, headers).end();
    return;
  }
  const file = path.resolve(root, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
  if (!file.startsWith(root + path.sep)) {
    res.writeHead(404, headers).end();
    return;
  }
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) {
    res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  res.writeHead(200, {
    ...headers,
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': stat.size,
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}
