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
import { checkTable, compilePattern, describeTableIssue } from '../../shared/protocol/command-table.js';
import { checkWorkspace, describeWorkspaceIssue } from '../../shared/protocol/workspace.js';
import { planListener, WorkspaceRunner } from '../workspace.js';
import { HttpError, readJsonBody, refusal, sendError, sendJson } from './http.js';
import { JOURNAL_KINDS, type JournalKind } from './journal.js';
import {
  forwarderListener,
  workspaceApiListener,
  type ApiListener,
  type ListenerControl,
} from './listeners.js';
import {
  addToxic,
  apiError,
  changeToxic,
  MAX_PROXIES,
  ProxyRegistry,
  removeToxic,
  showToxic,
  type Outcome,
  type ToxicHolder,
} from './proxies.js';

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
  /** Where listeners made through `POST /switchboard/listeners` live (the workspace's, under --config). */
  readonly #runner: WorkspaceRunner;
  /** The runner is the API's own (not a workspace's): Stop stops its listeners. */
  readonly #ownsRunner: boolean;

  constructor(options: { runner?: WorkspaceRunner; dataDir?: string | null } = {}) {
    this.#runner = options.runner ?? new WorkspaceRunner([], { dataDir: options.dataDir ?? null });
    this.#ownsRunner = options.runner === undefined;
    for (const listener of this.#runner.listeners) {
      this.addListener(workspaceApiListener(listener, () => this.#runner.remove(listener)));
    }
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
    if (this.#ownsRunner) await this.#runner.stop();
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

  #control(name: string): ListenerControl {
    const control = this.#listener(name).control;
    if (!control) throw new HttpError(409, 'this listener cannot be changed through the API');
    return control;
  }

  /** `POST /switchboard/listeners`: a listener as a workspace file has it (docs/listeners.md), started. */
  async #create(value: unknown): Promise<Outcome> {
    const checked = checkWorkspace({ listeners: [value] });
    if (!checked.ok)
      return refusedWith('the listener was refused', checked.issues.map(describeWorkspaceIssue));
    const spec = checked.workspace.listeners[0];
    if (!spec) throw new HttpError(400, 'bad request body: no listener');
    if (this.#listeners.has(spec.name)) return apiError(409, 'listener already exists');
    if (this.#listeners.size >= MAX_PROXIES) return apiError(400, `at most ${MAX_PROXIES} listeners`);
    // Paths in it (a table file, a certificate) are relative to where Switchboard runs.
    const plan = await planListener(spec, 0, process.cwd());
    if (Array.isArray(plan)) return refusedWith('the listener was refused', plan.map(describeWorkspaceIssue));
    const listener = this.#runner.make(plan);
    const started = await listener.start();
    if (!started.ok) return apiError(500, started.error);
    if (this.#listeners.has(spec.name)) {
      await listener.stop();
      return apiError(409, 'listener already exists');
    }
    this.#runner.adopt(listener);
    const removed = async (): Promise<void> => this.#runner.remove(listener);
    this.addListener(workspaceApiListener(listener, removed));
    return { status: 201, body: listener.describe() };
  }

  #setTable(name: string, value: unknown): Outcome {
    const control = this.#control(name);
    if (!control.setTable) throw new HttpError(409, 'this listener has no command table');
    const checked = checkTable(value);
    if (!checked.ok)
      return refusedWith('the table was refused', checked.issues.map(describeTableIssue), checked.issues);
    try {
      control.setTable(checked.table);
    } catch (error) {
      return refusedWith('the table was refused', [error instanceof Error ? error.message : String(error)]);
    }
    return { status: 200, body: { ok: true, rules: checked.table.commands.length } };
  }

  /** Toxiproxy's reset: every proxy enabled, every toxic removed, the listeners' too. */
  #reset(): Promise<Outcome> {
    for (const listener of this.#listeners.values()) {
      const control = listener.control;
      if (control && control.toxics().length > 0) control.setToxics([]);
    }
    return this.proxies.reset();
  }

  /** A listener's toxics, for the toxic routes Toxiproxy's proxies have too. */
  #toxics(name: string): ToxicHolder {
    const control = this.#control(name);
    return {
      get toxics() {
        return control.toxics();
      },
      setToxics: (toxics) => {
        try {
          control.setToxics(toxics);
        } catch (error) {
          // A listener that takes no toxics (UDP) says so.
          throw new HttpError(400, error instanceof Error ? error.message : String(error));
        }
      },
    };
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
        methods: { POST: async (_, req) => (await body(req), this.#reset()) },
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
          POST: async (_, req) => this.#create((await body(req)) ?? {}),
        },
      },
      {
        pattern: /^\/switchboard\/listeners\/([^/]+)$/,
        methods: {
          GET: ([name]) => ({ status: 200, body: this.#listener(name ?? '').describe() }),
          DELETE: async ([name], req) => {
            await body(req);
            const control = this.#control(name ?? '');
            if (!control.remove)
              throw new HttpError(409, "the command line's own listener cannot be deleted");
            this.#listeners.delete(name ?? '');
            await control.remove();
            return { status: 204 };
          },
        },
      },
      {
        pattern: /^\/switchboard\/listeners\/([^/]+)\/(start|stop)$/,
        methods: {
          POST: async ([name, action], req) => {
            await body(req);
            const control = this.#control(name ?? '');
            if (!control.start || !control.stop) {
              throw new HttpError(409, `this listener is started and stopped through /proxies/${name ?? ''}`);
            }
            if (action === 'start') {
              const done = await control.start();
              if (!done.ok) return apiError(500, done.message);
            } else await control.stop();
            return { status: 200, body: this.#listener(name ?? '').describe() };
          },
        },
      },
      {
        pattern: /^\/switchboard\/listeners\/([^/]+)\/table$/,
        methods: {
          GET: ([name]) => {
            const control = this.#control(name ?? '');
            if (!control.table) throw new HttpError(409, 'this listener has no command table');
            return { status: 200, body: control.table() };
          },
          PUT: async ([name], req) => this.#setTable(name ?? '', await body(req)),
          POST: async ([name], req) => this.#setTable(name ?? '', await body(req)),
        },
      },
      {
        pattern: /^\/switchboard\/listeners\/([^/]+)\/toxics$/,
        methods: {
          GET: ([name]) => ({ status: 200, body: [...this.#toxics(name ?? '').toxics] }),
          POST: async ([name], req) =>
            addToxic(this.#toxics(name ?? ''), (await body(req)) ?? {}, 'listener'),
        },
      },
      {
        pattern: /^\/switchboard\/listeners\/([^/]+)\/toxics\/([^/]+)$/,
        methods: {
          GET: ([name, toxic]) => showToxic(this.#toxics(name ?? ''), toxic ?? ''),
          POST: async ([name, toxic], req) =>
            changeToxic(this.#toxics(name ?? ''), toxic ?? '', (await body(req)) ?? {}),
          DELETE: async ([name, toxic], req) => {
            await body(req);
            return removeToxic(this.#toxics(name ?? ''), toxic ?? '');
          },
        },
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
            return this.#reset();
          },
        },
      },
    ];
  }
}

/** A 400 whose body lists every problem, each naming its place. */
function refusedWith(error: string, issues: string[], located?: readonly object[]): Outcome {
  return {
    status: 400,
    body: {
      error: `${error}: ${issues.join('; ')}`,
      status: 400,
      issues: located ?? issues.map((message) => ({ message })),
    },
  };
}
