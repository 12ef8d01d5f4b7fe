/**
 * The API's HTTP plumbing on Node's http module: who may call (loopback
 * names in Host, loopback or no Origin, JSON bodies only), bounded bodies,
 * and JSON answers.
 */
import type http from 'node:http';
import net from 'node:net';

/** The largest request body read; a longer one is refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** `host:port` of a Host header, the host in lowercase (brackets kept for IPv6). */
function splitHost(value: string): { host: string; port: string } | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d+))?$/i.exec(value.trim());
  if (!m?.[1]) return null;
  return { host: m[1].toLowerCase(), port: m[2] ?? '80' };
}

/**
 * Why a request is refused before it is read, or null. The Host must be a
 * loopback name (or the host the API was bound to on purpose; any IP
 * address when bound to every interface) with this port, so no DNS
 * rebinding reaches it; an Origin, when present, must be loopback, so no web
 * page can drive it.
 */
export function refusal(req: http.IncomingMessage, boundHost: string, port: number): string | null {
  const host = splitHost(req.headers.host ?? '');
  if (!host || host.port !== String(port))
    return 'refused: the Host header must name this API (a loopback name and its port)';
  const bare = host.host.replace(/^\[|\]$/g, '');
  const wildcard = boundHost === '0.0.0.0' || boundHost === '::';
  const allowed =
    LOOPBACK_NAMES.has(host.host) || bare === boundHost.toLowerCase() || (wildcard && net.isIP(bare) !== 0);
  if (!allowed) return 'refused: the Host header must name this API (a loopback name and its port)';
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let hostname = '';
    try {
      hostname = new URL(origin).hostname.toLowerCase();
    } catch {
      // "null" and other non-URLs are foreign.
    }
    if (!LOOPBACK_NAMES.has(hostname))
      return 'refused: requests from web pages are not accepted (foreign Origin)';
  }
  return null;
}

/** The request body as JSON (undefined when empty); refuses non-JSON and oversized bodies. */
export async function readJsonBody(req: http.IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  // A form or text body (what a web page can send without asking) is refused even when empty.
  const notJson = (): HttpError =>
    new HttpError(415, 'a request body must be JSON (Content-Type: application/json)');
  if (type !== '' && type !== 'application/json') throw notJson();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  if (type !== 'application/json') throw notJson();
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, `bad request body: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function sendJson(res: http.ServerResponse, status: number, body?: unknown): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = `${JSON.stringify(body)}\n`;
  res
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
    .end(text);
}

export function sendError(
  res: http.ServerResponse,
  status: number,
  message: string,
  extra: Record<string, string> = {},
): void {
  const text = `${JSON.stringify({ error: message, status })}\n`;
  res
    .writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...extra,
    })
    .end(text);
}
