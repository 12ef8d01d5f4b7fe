/**
 * The control API (docs/api.md): Toxiproxy's HTTP API over forwarding
 * listeners, so its clients and CLI drive Switchboard unchanged, and
 * Switchboard's own routes under `/switchboard/` (listeners, journals,
 * verification, reset). Node's http module, no framework.
 */
import http from 'node:http';
import type net from 'node:net';
import { z } from 'zod';
import { checkListenAddress, describeListenError, type StartFailure } from '../../core/start-errors.js';
import { compilePattern } from '../../shared/protocol/command-table.js';
import { HttpError, readJsonBody, refusal, sendError, sendJson } from './http.js';
import { JOURNAL_KINDS, type JournalKind } from './journal.js';
import { forwarderListener, type ApiListener } from './listeners.js';
import { MAX_PROXIES, ProxyRegistry, type Outcome } from './proxies.js';

/** The Toxiproxy API version this one speaks (its clients read it from /version). */
export const TOXIPROXY_API_VERSION = '2.12.0';

const proxyName = z
  .string({ error: 'name must be text' })
  .min(1, 'name cannot be empty')
  .max(200, 'name is too long')
  .regex(/^[^/?#%\s]+$/, 'name cannot hold spaces, "/", "?", "#" or "%"');
const address = z.string({ error: 'must be HOST:PORT text' }).max(300);
const proxyBody = z.object({
  name: proxyName.optional(),
  listen: address.optional(),
  upstream: address.optional(),
  enabled: z.boolean({ error: 'enabled must be true or false' }).optional(),
});
const populateBody = z.array(proxyBody).max(MAX_PROXIES, `at most ${MAX_PROXIES} proxies`);
const verifyBody = z
  .object({
    line: z.string().max(65_536).optional(),
    pattern: z.string().min(1).max(1000).optional(),
    times: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((v) => (v.line === undefined) !== (v.pattern === undefined), {
    error: 'give exactly one of line or pattern',
  });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new HttpError(400, `bad request body: ${where}${issue?.message ?? 'invalid'}`);
}

export type ApiStartResult = { ok: true; host: string; port: number } | StartFailure;

interface Route {
  pattern: RegExp;
  methods: Record<
    string,
    (params: string[], req: http.IncomingMessage, url: URL) => Promise<Outcome> | Outcome
  >;
}

export class ControlApi {
  readonly proxies: ProxyRegistry;
  readonly #listeners = new Map<string, ApiListener>();
  #server: http.Server | null = null;
  #host = '127.0.0.1';
  #port = 0;
  readonly #sockets = new Set<net.Socket>();
  /** State changes run one at a time, in the order they came. */
  #queue: Promise<unknown> = Promise.resolve();
  readonly #routes: Route[];

  constructor() {
    this.proxies = new ProxyRegistry({
      created: (entry) => this.addListener(forwarderListener(entry.name, entry.forwarder)),
      removed: (entry) => this.#listeners.delete(entry.name),
    });
    this.#routes = this.#makeRoutes();
  }

  /** Makes a listener (the command line's mock server or forwarder) visible under /switchboard/. */
  addListener(listener: ApiListener): void {
    this.#listeners.set(listener.name, listener);
  }

  get address(): { host: string; port: number } | null {
    return this.#server ? { host: this.#host, port: this.#port } : null;
  }

  async start(host = '127.0.0.1', port = 0): Promise<ApiStartResult> {
    const invalid = checkListenAddress(host, port);
    if (invalid) return invalid;
    const server = http.createServer({ maxHeaderSize: 16 * 1024 }, (req, res) => void this.#handle(req, res));
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    return new Promise((resolve) => {
      server.once('error', (error) => resolve(describeListenError(error, host, port)));
      server.listen({ host, port }, () => {
        server.removeAllListeners('error');
        server.on('error', () => undefined);
        this.#server = server;
        this.#host = host;
        this.#port = (server.address() as net.AddressInfo).port;
        resolve({ ok: true, host, port: this.#port });
      });
    });
  }

  /** Closes the API and every proxy it made. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of this.#sockets) socket.destroy();
      await closed;
    }
    await this.proxies.stopAll();
  }

  #serial<T>(task: () => Promise<T> | T): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const refused = refusal(req, this.#host, this.#port);
      if (refused) {
        req.resume();
        sendError(res, 403, refused);
        return;
      }
      const url = new URL(req.url ?? '/', 'http://api.invalid');
      const route = this.#routes.find((r) => r.pattern.test(url.pathname));
      const match = route?.pattern.exec(url.pathname);
      if (!route || !match) {
        req.resume();
        sendError(res, 404, `no such route: ${url.pathname}`);
        return;
      }
      const method = req.method === 'PATCH' ? 'POST' : (req.method ?? 'GET');
      const handler = route.methods[method];
      if (!handler) {
        req.resume();
        sendError(res, 405, `${req.method ?? ''} is not allowed here`, {
          allow: Object.keys(route.methods).join(', '),
        });
        return;
      }
      const params = match.slice(1).map((p) => decodeURIComponent(p));
      const outcome =
        method === 'GET'
          ? await handler(params, req, url)
          : await this.#serial(() => handler(params, req, url));
      sendJson(res, outcome.status, outcome.body);
    } catch (error) {
      if (error instanceof HttpError) {
        // Drain what is left of a refused body so the client reads the answer, then close.
        req.resume();
        sendError(res, error.status, error.message, error.status === 413 ? { connection: 'close' } : {});
      } else sendError(res, 500, error instanceof Error ? error.message : String(error));
    }
  }

  #listener(name: string): ApiListener {
    const listener = this.#listeners.get(name);
    if (!listener) throw new HttpError(404, 'listener not found');
    return listener;
  }

  #makeRoutes(): Route[] {
    const p = this.proxies;
    const body = async (req: http.IncomingMessage): Promise<unknown> => readJsonBody(req);
    return [
      {
        pattern: /^\/version$/,
        methods: { GET: () => ({ status: 200, body: { version: TOXIPROXY_API_VERSION } }) },
      },
      {
        pattern: /^\/reset$/,
        methods: { POST: async (_, req) => (await body(req), p.reset()) },
      },
      {
        pattern: /^\/proxies$/,
        methods: {
          GET: () => p.list(),
          POST: async (_, req) => p.create(parse(proxyBody, (await body(req)) ?? {})),
        },
      },
      {
        pattern: /^\/populate$/,
        methods: { POST: async (_, req) => p.populate(parse(populateBody, (await body(req)) ?? [])) },
      },
      {
        pattern: /^\/proxies\/([^/]+)$/,
        methods: {
          GET: ([name]) => p.show(name ?? ''),
          POST: async ([name], req) => {
            const input = parse(proxyBody, (await body(req)) ?? {});
            return p.update(name ?? '', input);
          },
          DELETE: async ([name], req) => (await body(req), p.remove(name ?? '')),
        },
      },
      {
        pattern: /^\/proxies\/([^/]+)\/toxics$/,
        methods: {
          GET: ([name]) => p.toxics(name ?? ''),
          POST: async ([name], req) => p.addToxic(name ?? '', (await body(req)) ?? {}),
        },
      },
      {
        pattern: /^\/proxies\/([^/]+)\/toxics\/([^/]+)$/,
        methods: {
          GET: ([name, toxic]) => p.toxic(name ?? '', toxic ?? ''),
          POST: async ([name, toxic], req) => p.updateToxic(name ?? '', toxic ?? '', (await body(req)) ?? {}),
          DELETE: async ([name, toxic], req) => (await body(req), p.removeToxic(name ?? '', toxic ?? '')),
        },
      },
      {
        pattern: /^\/switchboard\/listeners$/,
        methods: {
          GET: () => ({ status: 200, body: [...this.#listeners.values()].map((l) => l.describe()) }),
        },
      },
      {
        pattern: /^\/switchboard\/listeners\/([^/]+)$/,
        methods: { GET: ([name]) => ({ status: 200, body: this.#listener(name ?? '').describe() }) },
      },
      {
        pattern: /^\/switchboard\/listeners\/([^/]+)\/journal$/,
        methods: {
          GET: ([name], _, url) => {
            const listener = this.#listener(name ?? '');
            const conn = url.searchParams.get('conn');
            const kind = url.searchParams.get('kind');
            if (conn !== null && !/^\d+$/.test(conn))
              throw new HttpError(400, 'conn must be a connection number');
            if (kind !== null && !JOURNAL_KINDS.includes(kind as JournalKind)) {
              throw new HttpError(400, `kind must be one of ${JOURNAL_KINDS.join(', ')}`);
            }
            const entries = listener.journal.list({
              ...(conn !== null ? { conn: Number(conn) } : {}),
              ...(kind !== null ? { kind: kind as JournalKind } : {}),
            });
            return { status: 200, body: { entries } };
          },
          DELETE: async ([name], req) => {
            await body(req);
            this.#listener(name ?? '').journal.clear();
            return { status: 204 };
          },
        },
      },
      {
        pattern: /^\/switchboard\/listeners\/([^/]+)\/verify$/,
        methods: {
          POST: async ([name], req) => {
            const listener = this.#listener(name ?? '');
            const ask = parse(verifyBody, (await body(req)) ?? {});
            let count: number;
            if (ask.pattern !== undefined) {
              const compiled = compilePattern(ask.pattern);
              if (typeof compiled === 'string')
                throw new HttpError(400, `bad request body: pattern: ${compiled}`);
              count = listener.journal.countLines({ pattern: compiled });
            } else {
              count = listener.journal.countLines({ line: ask.line ?? '' });
            }
            return {
              status: 200,
              body: {
                count,
                ...(ask.times !== undefined
                  ? { times: ask.times, ok: count === ask.times }
                  : { ok: count > 0 }),
              },
            };
          },
        },
      },
      {
        pattern: /^\/switchboard\/reset$/,
        methods: {
          POST: async (_, req) => {
            await body(req);
            for (const listener of this.#listeners.values()) listener.journal.clear();
            return p.reset();
          },
        },
      },
    ];
  }
}
