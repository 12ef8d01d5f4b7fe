/**
 * Toxiproxy's model over forwarding listeners: named proxies, each a
 * {@link Forwarder} with a listen address, an upstream, an enabled switch
 * and its toxics. Every operation answers with Toxiproxy's status code and
 * body (docs/api.md), so the HTTP layer only translates.
 */
import { Forwarder, parseHostPort, type HostPort } from '../../core/forwarder.js';
import { formatAddress } from '../../shared/protocol/address.js';
import { checkToxic, MAX_TOXICS, updateToxic, type Toxic } from '../../shared/protocol/toxics.js';

export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: Toxic[];
}

export interface ProxyInput {
  name?: string;
  listen?: string;
  upstream?: string;
  enabled?: boolean;
}

/** An answer: a status and a body (none for 204). */
export type Outcome<T = unknown> = { status: number; body?: T };

export const MAX_PROXIES = 200;

export function apiError(status: number, message: string): Outcome<{ error: string; status: number }> {
  return { status, body: { error: message, status } };
}

export interface ProxyEntry {
  name: string;
  /** As asked: its port may be 0 until it first listens. */
  listen: HostPort;
  upstream: HostPort;
  upstreamText: string;
  enabled: boolean;
  readonly forwarder: Forwarder;
}

export class ProxyRegistry {
  readonly #proxies = new Map<string, ProxyEntry>();
  /** Told of every proxy made and removed, so its events reach a journal. */
  constructor(
    private readonly hooks: {
      created?: (entry: ProxyEntry) => void;
      removed?: (entry: ProxyEntry) => void;
    } = {},
  ) {}

  get entries(): readonly ProxyEntry[] {
    return [...this.#proxies.values()];
  }

  json(entry: ProxyEntry): ProxyJson {
    const address = entry.forwarder.address;
    return {
      name: entry.name,
      listen: formatAddress(entry.listen.host, address?.port ?? entry.listen.port),
      upstream: entry.upstreamText,
      enabled: entry.enabled,
      toxics: [...entry.forwarder.toxics],
    };
  }

  list(): Outcome<Record<string, ProxyJson>> {
    const body: Record<string, ProxyJson> = {};
    for (const entry of this.#proxies.values()) body[entry.name] = this.json(entry);
    return { status: 200, body };
  }

  show(name: string): Outcome {
    const entry = this.#proxies.get(name);
    return entry ? { status: 200, body: this.json(entry) } : apiError(404, 'proxy not found');
  }

  /**
   * Makes a running forwarder (the command line's `--forward`) one of the
   * proxies, so the API can set its toxics, disable and enable it.
   */
  adopt(name: string, forwarder: Forwarder): void {
    const listen = forwarder.address ?? { host: '127.0.0.1', port: 0 };
    const upstream = forwarder.upstream ?? { host: '127.0.0.1', port: 0 };
    const entry: ProxyEntry = {
      name,
      listen,
      upstream,
      upstreamText: formatAddress(upstream.host, upstream.port),
      enabled: forwarder.state !== 'stopped',
      forwarder,
    };
    this.#proxies.set(name, entry);
    this.hooks.created?.(entry);
  }

  async create(input: ProxyInput): Promise<Outcome> {
    if (!input.name) return apiError(400, 'missing required field: name');
    if (!input.upstream) return apiError(400, 'missing required field: upstream');
    if (this.#proxies.has(input.name)) return apiError(409, 'proxy already exists');
    if (this.#proxies.size >= MAX_PROXIES) return apiError(400, `at most ${MAX_PROXIES} proxies`);
    const listen = parseHostPort(input.listen ?? '127.0.0.1:0');
    if (typeof listen === 'string') return apiError(400, `bad request body: listen ${listen}`);
    const upstream = parseHostPort(input.upstream);
    if (typeof upstream === 'string') return apiError(400, `bad request body: upstream ${upstream}`);
    const entry: ProxyEntry = {
      name: input.name,
      listen,
      upstream,
      upstreamText: input.upstream,
      enabled: input.enabled ?? true,
      forwarder: new Forwarder(),
    };
    if (entry.enabled) {
      const started = await this.#start(entry);
      if (started) return started;
    }
    // Checked again: another create may have finished while this one started.
    if (this.#proxies.has(entry.name)) {
      await entry.forwarder.stop();
      return apiError(409, 'proxy already exists');
    }
    this.#proxies.set(entry.name, entry);
    this.hooks.created?.(entry);
    return { status: 201, body: this.json(entry) };
  }

  /** Starts a proxy's listener; a failure is the answer to give. */
  async #start(entry: ProxyEntry): Promise<Outcome | null> {
    const started = await entry.forwarder.start({ ...entry.listen, upstream: entry.upstream });
    if (!started.ok) return apiError(500, started.message);
    // Port 0 asked for any port: keep the one given, so a restart gets it again.
    entry.listen = { host: entry.listen.host, port: started.port };
    return null;
  }

  async update(name: string, input: ProxyInput): Promise<Outcome> {
    const entry = this.#proxies.get(name);
    if (!entry) return apiError(404, 'proxy not found');
    const listen = input.listen === undefined ? entry.listen : parseHostPort(input.listen);
    if (typeof listen === 'string') return apiError(400, `bad request body: listen ${listen}`);
    const upstream = input.upstream === undefined ? entry.upstream : parseHostPort(input.upstream);
    if (typeof upstream === 'string') return apiError(400, `bad request body: upstream ${upstream}`);
    const enabled = input.enabled ?? entry.enabled;
    const moved =
      listen.host !== entry.listen.host ||
      (listen.port !== entry.listen.port && listen.port !== 0) ||
      upstream.host !== entry.upstream.host ||
      upstream.port !== entry.upstream.port;
    if (entry.forwarder.state !== 'stopped' && (moved || !enabled)) await entry.forwarder.stop();
    entry.listen = listen;
    entry.upstream = upstream;
    if (input.upstream !== undefined) entry.upstreamText = input.upstream;
    entry.enabled = enabled;
    if (enabled && entry.forwarder.state === 'stopped') {
      const started = await this.#start(entry);
      if (started) {
        entry.enabled = false;
        return started;
      }
    }
    return { status: 200, body: this.json(entry) };
  }

  async remove(name: string): Promise<Outcome> {
    const entry = this.#proxies.get(name);
    if (!entry) return apiError(404, 'proxy not found');
    this.#proxies.delete(name);
    this.hooks.removed?.(entry);
    await entry.forwarder.stop();
    return { status: 204 };
  }

  /** Creates or replaces each proxy in the list; one that is already as asked is left alone. */
  async populate(inputs: ProxyInput[]): Promise<Outcome> {
    const done: ProxyJson[] = [];
    for (const input of inputs) {
      if (!input.name)
        return {
          ...apiError(400, 'missing required field: name'),
          body: withProxies(400, 'missing required field: name', done),
        };
      const existing = this.#proxies.get(input.name);
      if (existing) {
        const same =
          existing.upstreamText === input.upstream &&
          (input.listen === undefined || this.json(existing).listen === input.listen) &&
          existing.enabled === (input.enabled ?? true);
        if (same) {
          done.push(this.json(existing));
          continue;
        }
        await this.remove(input.name);
      }
      const created = await this.create(input);
      if (created.status !== 201) {
        const error = (created.body as { error: string }).error;
        return { status: created.status, body: withProxies(created.status, error, done) };
      }
      done.push(created.body as ProxyJson);
    }
    return { status: 201, body: { proxies: done } };
  }

  /** Every proxy enabled again, every toxic removed. */
  async reset(): Promise<Outcome> {
    for (const entry of this.#proxies.values()) {
      entry.forwarder.setToxics([]);
      if (!entry.enabled || entry.forwarder.state === 'stopped') {
        entry.enabled = true;
        const started = await this.#start(entry);
        if (started) return started;
      }
    }
    return { status: 204 };
  }

  toxics(name: string): Outcome {
    const entry = this.#proxies.get(name);
    return entry ? { status: 200, body: [...entry.forwarder.toxics] } : apiError(404, 'proxy not found');
  }

  toxic(name: string, toxicName: string): Outcome {
    const entry = this.#proxies.get(name);
    return entry ? showToxic(entry.forwarder, toxicName) : apiError(404, 'proxy not found');
  }

  addToxic(name: string, body: unknown): Outcome {
    const entry = this.#proxies.get(name);
    return entry ? addToxic(entry.forwarder, body, 'proxy') : apiError(404, 'proxy not found');
  }

  updateToxic(name: string, toxicName: string, body: unknown): Outcome {
    const entry = this.#proxies.get(name);
    return entry ? changeToxic(entry.forwarder, toxicName, body) : apiError(404, 'proxy not found');
  }

  removeToxic(name: string, toxicName: string): Outcome {
    const entry = this.#proxies.get(name);
    return entry ? removeToxic(entry.forwarder, toxicName) : apiError(404, 'proxy not found');
  }

  /** Stops every proxy (the API is going away). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#proxies.values()].map((e) => e.forwarder.stop()));
  }
}

function withProxies(
  status: number,
  error: string,
  proxies: ProxyJson[],
): { error: string; status: number; proxies: ProxyJson[] } {
  return { error, status, proxies };
}

/** Whatever holds toxics for the API: a proxy's forwarder, or any listener (docs/api.md). */
export interface ToxicHolder {
  readonly toxics: readonly Toxic[];
  setToxics(toxics: readonly Toxic[]): void;
}

export function showToxic(holder: ToxicHolder, toxicName: string): Outcome {
  const toxic = holder.toxics.find((t) => t.name === toxicName);
  return toxic ? { status: 200, body: toxic } : apiError(404, 'toxic not found');
}

/** Toxiproxy's `POST …/toxics`: 200 the toxic, 409 a name taken, 400 a bad one. */
export function addToxic(holder: ToxicHolder, body: unknown, what: string): Outcome {
  const checked = checkToxic(body);
  if (!checked.ok) return apiError(400, `bad request body: ${checked.message}`);
  const toxics = holder.toxics;
  if (toxics.some((t) => t.name === checked.toxic.name)) return apiError(409, 'toxic already exists');
  if (toxics.length >= MAX_TOXICS) return apiError(400, `at most ${MAX_TOXICS} toxics per ${what}`);
  holder.setToxics([...toxics, checked.toxic]);
  return { status: 200, body: checked.toxic };
}

/** Toxiproxy's `POST …/toxics/{toxic}`: its toxicity and attributes changed (merged). */
export function changeToxic(holder: ToxicHolder, toxicName: string, body: unknown): Outcome {
  const toxics = holder.toxics;
  const current = toxics.find((t) => t.name === toxicName);
  if (!current) return apiError(404, 'toxic not found');
  const checked = updateToxic(current, body);
  if (!checked.ok) return apiError(400, `bad request body: ${checked.message}`);
  holder.setToxics(toxics.map((t) => (t === current ? checked.toxic : t)));
  return { status: 200, body: checked.toxic };
}

export function removeToxic(holder: ToxicHolder, toxicName: string): Outcome {
  const toxics = holder.toxics;
  if (!toxics.some((t) => t.name === toxicName)) return apiError(404, 'toxic not found');
  holder.setToxics(toxics.filter((t) => t.name !== toxicName));
  return { status: 204 };
}
