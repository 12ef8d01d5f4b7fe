/**
 * One listener of a workspace (docs/listeners.md), whatever it is: a mock
 * or a forwarder, over TCP, TLS or UDP. It makes its core on first start,
 * turns the core's events into log rows and journal entries, and can be
 * started, stopped, given a new table or new toxics on its own, so the
 * workspace runner and the control API drive every kind the same way.
 */
import { Forwarder, type HostPort, type UpstreamTls } from '../core/forwarder.js';
import { displayFramerFor } from '../core/framing-display.js';
import { framingConfigOf } from '../core/framing/index.js';
import { LineServer, type ServerEvents } from '../core/server.js';
import { TlsListener } from '../core/tls-listener.js';
import { TypedEmitter } from '../core/typed-emitter.js';
import { UdpForwarder } from '../core/udp-forwarder.js';
import { UdpListener, type UdpSettings } from '../core/udp-listener.js';
import { formatAddress } from '../shared/protocol/address.js';
import { resolveFraming } from '../shared/protocol/table-framing.js';
import type { CommandTable } from '../shared/protocol/command-table.js';
import { resolveToxic, type Toxic } from '../shared/protocol/toxics.js';
import type { Transport } from '../shared/protocol/workspace.js';
import type { LogEntry } from '../shared/ipc/models.js';
import type { TlsIdentity } from './certificates.js';
import { Journal } from './control-api/journal.js';
import { journalForwardEvents, journalMockEvents } from './control-api/listeners.js';
import { forwardEntries } from './forward-entries.js';
import { LogEntryMaker, type EntryDraft } from './log-entries.js';
import { exposureWarning } from './server-controller.js';

/** Where a forwarding listener sends its connections, and how. */
export interface ForwardPlan {
  readonly upstream: HostPort;
  /** Reach it over TLS. */
  readonly tls?: UpstreamTls;
}

/** A listener with every file it names read and checked. */
export interface ListenerPlan {
  readonly name: string;
  readonly transport: Transport;
  readonly settings: UdpSettings;
  readonly table: CommandTable;
  /** The user's certificate (tls); without it a self-signed one is used. */
  readonly identity?: TlsIdentity;
  /** Forward mode: the table then sets only the framing the log uses (and the toxics). */
  readonly forward?: ForwardPlan;
  /** The listener's own toxics; without them, the table's. */
  readonly toxics?: readonly Toxic[];
}

/** How one listener's start went. */
export type ListenerOutcome =
  | {
      ok: true;
      name: string;
      transport: Transport;
      host: string;
      port: number;
      /** SHA-256 fingerprint of the certificate a TLS listener presents. */
      fingerprint?: string;
      /** Listening beyond this machine; fewer connections than asked for (the descriptor limit). */
      warnings: string[];
    }
  | { ok: false; name: string; transport: Transport; error: string };

/** The certificate a TLS listener without its own presents (made once, shared). */
export type SelfSignedSource = () => Promise<
  { ok: true; identity: TlsIdentity } | { ok: false; message: string }
>;

export interface WorkspaceListenerEvents {
  /** A log row of this listener, numbered by whoever shows it. */
  entry: LogEntry & { seq: 0 };
}

type Core = LineServer | UdpListener | Forwarder | UdpForwarder;

/** What the line server and the UDP listener both report. */
interface MockSource {
  on<K extends keyof ServerEvents>(event: K, listener: (payload: ServerEvents[K]) => void): () => void;
}

export class WorkspaceListener extends TypedEmitter<WorkspaceListenerEvents> {
  #plan: ListenerPlan;
  #core: Core | null = null;
  #fingerprint: string | undefined;
  #toxics: readonly Toxic[];
  readonly journal = new Journal();

  constructor(
    plan: ListenerPlan,
    private readonly selfSigned: SelfSignedSource,
  ) {
    super();
    this.#plan = plan;
    this.#toxics = plan.toxics ?? (plan.table.toxics ?? []).map(resolveToxic);
  }

  /** A log row failed to print: nothing to crash for. */
  protected override listenerFailed(): void {}

  get name(): string {
    return this.#plan.name;
  }

  get plan(): ListenerPlan {
    return this.#plan;
  }

  get kind(): 'mock' | 'forward' {
    return this.#plan.forward ? 'forward' : 'mock';
  }

  get state(): string {
    return this.#core?.state ?? 'stopped';
  }

  get address(): { host: string; port: number } | null {
    return this.#core?.address ?? null;
  }

  get activeConnections(): number {
    return this.#core?.activeConnections ?? 0;
  }

  get table(): CommandTable {
    return this.#plan.table;
  }

  get toxics(): readonly Toxic[] {
    return this.#toxics;
  }

  /** Whether toxics can act on it (TCP and TLS; not UDP). */
  get takesToxics(): boolean {
    return this.#plan.transport !== 'udp';
  }

  /** Replaces the toxics; open connections take them at once. */
  setToxics(toxics: readonly Toxic[]): void {
    if (!this.takesToxics) throw new Error('udp listeners take no toxics');
    this.#toxics = [...toxics];
    const core = this.#core;
    if (core instanceof LineServer || core instanceof Forwarder) core.setToxics(this.#toxics);
  }

  /**
   * Replaces the command table (checked by the caller). A mock answers by it
   * at once; a forwarder's log uses its framing from the next start. Its
   * toxics, when they differ from the last table's, become the listener's.
   */
  setTable(table: CommandTable): void {
    const core = this.#core;
    if (core instanceof LineServer || core instanceof UdpListener) core.setTable(table);
    const before = JSON.stringify(this.#plan.table.toxics ?? []);
    this.#plan = { ...this.#plan, table };
    if (this.takesToxics && JSON.stringify(table.toxics ?? []) !== before) {
      this.setToxics((table.toxics ?? []).map(resolveToxic));
    }
  }

  /** What the control API lists. */
  describe(): {
    name: string;
    kind: 'mock' | 'forward';
    transport: Transport;
    state: string;
    listen: string | null;
    upstream?: string;
    connections: number;
  } {
    const address = this.address;
    const forward = this.#plan.forward;
    return {
      name: this.name,
      kind: this.kind,
      transport: this.#plan.transport,
      state: this.state,
      listen: address ? formatAddress(address.host, address.port) : null,
      ...(forward ? { upstream: formatAddress(forward.upstream.host, forward.upstream.port) } : {}),
      connections: this.activeConnections,
    };
  }

  async start(): Promise<ListenerOutcome> {
    const plan = this.#plan;
    const fail = (error: string): ListenerOutcome => ({
      ok: false,
      name: plan.name,
      transport: plan.transport,
      error,
    });
    if (!this.#core) {
      const made = await this.#make();
      if (typeof made === 'string') return fail(made);
      this.#core = made;
    }
    const core = this.#core;
    const { settings } = plan;
    const started =
      core instanceof Forwarder
        ? await core.start({
            host: settings.host,
            port: settings.port,
            upstream: plan.forward?.upstream ?? { host: '127.0.0.1', port: 0 },
            ...(plan.forward?.tls ? { upstreamTls: plan.forward.tls } : {}),
          })
        : core instanceof UdpForwarder
          ? await core.start({
              host: settings.host,
              port: settings.port,
              upstream: plan.forward?.upstream ?? { host: '127.0.0.1', port: 0 },
              idleTimeoutSec: settings.idleTimeoutSec,
              maxConnections: settings.maxConnections,
              maxDatagramBytes: settings.maxDatagramBytes,
            })
          : await core.start(settings);
    if (!started.ok) return fail(started.message);
    // Any free port was asked for: keep the one given, so a restart gets it again.
    if (settings.port === 0) this.#plan = { ...plan, settings: { ...settings, port: started.port } };
    const warnings = [
      exposureWarning(started.host),
      core instanceof LineServer ? core.capacity.warning : undefined,
    ];
    return {
      ok: true,
      name: plan.name,
      transport: plan.transport,
      host: started.host,
      port: started.port,
      ...(this.#fingerprint ? { fingerprint: this.#fingerprint } : {}),
      warnings: warnings.filter((w): w is string => w !== undefined),
    };
  }

  async stop(): Promise<{ closed: number }> {
    const core = this.#core;
    if (!core || core.state === 'stopped') return { closed: 0 };
    const report = await core.stop();
    return { closed: report.closed };
  }

  async #make(): Promise<Core | string> {
    const plan = this.#plan;
    let tls: TlsListener | null = null;
    if (plan.transport === 'tls') {
      const identity = plan.identity
        ? { ok: true as const, identity: plan.identity }
        : await this.selfSigned();
      if (!identity.ok) return identity.message;
      tls = new TlsListener({ cert: identity.identity.cert, key: identity.identity.key });
      this.#fingerprint = identity.identity.fingerprint256;
      tls.on('tlsClientError', (e) =>
        this.#push({
          at: e.at,
          conn: 0,
          remote: formatAddress(e.remoteAddress, e.remotePort),
          kind: 'rejected',
          detail: e.message,
        }),
      );
    }
    if (plan.forward) {
      const framer = displayFramerFor(framingConfigOf(resolveFraming(plan.table.framing)));
      const forwarder =
        plan.transport === 'udp'
          ? new UdpForwarder({ framer })
          : new Forwarder({ framer, toxics: this.#toxics, ...(tls ? { transport: tls.factory } : {}) });
      // Numbered again by whoever shows the rows, as a mock's are.
      forwardEntries(forwarder, (entry) => this.emit('entry', { ...entry, seq: 0 }));
      journalForwardEvents(this.journal, forwarder);
      return forwarder;
    }
    let core: LineServer | UdpListener;
    if (plan.transport === 'udp') {
      const udp = new UdpListener(plan.table);
      udp.on('dropped', (e) =>
        this.#push({
          at: e.at,
          conn: e.conn,
          remote: formatAddress(e.remoteAddress, e.remotePort),
          kind: 'rejected',
          detail: `dropped a datagram of ${e.bytes} bytes (the limit is ${plan.settings.maxDatagramBytes})`,
        }),
      );
      core = udp;
    } else {
      const server = new LineServer(plan.table, tls ? { transport: tls.factory } : {});
      server.setToxics(this.#toxics);
      core = server;
    }
    this.#wireMock(core);
    journalMockEvents(this.journal, core);
    return core;
  }

  #wireMock(core: MockSource): void {
    const m = new LogEntryMaker();
    const push = (draft: EntryDraft): void => this.#push(draft);
    core.on('listening', (e) => push(m.listening(e)));
    core.on('open', (e) => {
      const row = m.open(e);
      push(e.tls ? { ...row, detail: `${row.detail} over ${e.tls.protocol}, ${e.tls.cipher}` } : row);
    });
    core.on('line', (e) => push(m.line(e)));
    core.on('reply', (e) => push(m.reply(e)));
    core.on('close', (e) => push(m.close(e)));
    core.on('rejected', (e) => push(m.rejected(e)));
    core.on('error', (e) => push(m.error(e)));
    core.on('stopped', (e) => push(m.stopped(e)));
  }

  #push(draft: EntryDraft): void {
    this.emit('entry', { ...draft, seq: 0 });
  }
}
