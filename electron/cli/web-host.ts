/**
 * Browser mode's host (CONTRACT §4): serves the window's files and carries
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

export interface WebHostOptions {
  /** 0 picks any free port. */
  port: number;
  /** The built window (out/renderer). */
  staticDir: string;
  services: AppServices;
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

/** A tab that stops reading is cut off past this much unsent data. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = randomBytes(32).toString('base64url');
  const root = path.resolve(options.staticDir);
  const dispatch = createDispatcher(options.services.handlers);
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

  const wss = new WebSocketServer({ noServer: true, maxPayload: 2 * 1024 * 1024 });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = checkUpgrade(req, token, allowedHosts(), allowedOrigins());
    if (refusal) {
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nrefused: ${refusal}\n`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, options.services, dispatch));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only, whatever the caller asks: browser mode drives a server.
    server.listen({ host: '127.0.0.1', port: options.port }, () => {
      server.off('error', reject);
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

function serveSocket(
  ws: WebSocket,
  services: AppServices,
  dispatch: ReturnType<typeof createDispatcher>,
): void {
  const send = (message: SocketMessage): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify(message));
  };
  const unsubscribe = services.subscribe((channel, payload) => send({ event: channel, payload }));
  ws.on('close', unsubscribe);
  ws.on('message', (data, isBinary) => {
    const request = parseRequest(isBinary ? null : textOf(data));
    if (!request) {
      send({
        id: -1,
        ok: false,
        error: 'refused: a request is {"id": number, "channel": string, "payload"?: any}',
      });
      return;
    }
    dispatch(request.channel, request.payload).then(
      (value) => send({ id: request.id, ok: true, value }),
      (error: unknown) =>
        send({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  });
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
