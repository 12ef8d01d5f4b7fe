/**
 * A workspace of listeners run together (docs/listeners.md): TCP, TLS and
 * UDP, each with its own table and limits, started and stopped as one.
 *
 * Loading reads the workspace file and every file it names (command tables,
 * certificates) before anything listens, so a missing file refuses the
 * whole workspace with its place named. Starting is per listener: one that
 * cannot listen (port in use) is reported and the others serve on.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LineServer, type ServerEvents } from '../core/server.js';
import { TlsListener } from '../core/tls-listener.js';
import { DEFAULT_UDP_SETTINGS, UdpListener, type UdpSettings } from '../core/udp-listener.js';
import { TypedEmitter } from '../core/typed-emitter.js';
import { formatAddress } from '../shared/protocol/address.js';
import {
  CLASSIC_TABLE,
  describeTableIssue,
  parseTableFile,
  type CommandTable,
} from '../shared/protocol/command-table.js';
import type { LogEntry } from '../shared/ipc/models.js';
import { DEFAULT_SETTINGS, serverSettingsSchema, describeIssues } from '../shared/protocol/settings.js';
import {
  describeWorkspaceIssue,
  parseWorkspaceFile,
  type ListenerSpec,
  type Transport,
  type WorkspaceIssue,
} from '../shared/protocol/workspace.js';
import { ensureSelfSignedIdentity, loadUserIdentity, type TlsIdentity } from './certificates.js';
import { LogEntryMaker, type EntryDraft } from './log-entries.js';
import { exposureWarning } from './server-controller.js';

/** A listener with every file it names read and checked. */
export interface ListenerPlan {
  readonly name: string;
  readonly transport: Transport;
  readonly settings: UdpSettings;
  readonly table: CommandTable;
  /** The user's certificate (tls); without it a self-signed one is used. */
  readonly identity?: TlsIdentity;
}

/** A refusal's `message` is ready to print: the file, then each problem on its own indented line. */
export type WorkspaceLoad =
  { ok: true; listeners: ListenerPlan[] } | { ok: false; message: string; problems: string[] };

function reason(error: unknown): string {
  if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return 'no such file';
  return error instanceof Error ? error.message : String(error);
}

/** Reads and checks a workspace file and every file it names (relative to its folder). */
export async function loadWorkspaceFile(file: string): Promise<WorkspaceLoad> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const message = `cannot read the workspace file ${file}: ${reason(error)}`;
    return { ok: false, message, problems: [message] };
  }
  const check = parseWorkspaceFile(text);
  if (!check.ok) return refused(file, check.issues.map(describeWorkspaceIssue));
  const folder = path.dirname(path.resolve(file));
  const planned = await Promise.all(
    check.workspace.listeners.map((spec, index) => planListener(spec, index, folder)),
  );
  const problems = planned.flatMap((p) => (Array.isArray(p) ? p.map(describeWorkspaceIssue) : []));
  if (problems.length > 0) return refused(file, problems);
  return { ok: true, listeners: planned.filter((p): p is ListenerPlan => !Array.isArray(p)) };
}

function refused(file: string, problems: string[]): WorkspaceLoad {
  const lines = problems.map((p) => `\n  ${p}`).join('');
  return { ok: false, message: `the workspace file ${file} was refused:${lines}`, problems };
}

async function planListener(
  spec: ListenerSpec,
  index: number,
  folder: string,
): Promise<ListenerPlan | WorkspaceIssue[]> {
  const at = { listener: index, name: spec.name };
  const issues: WorkspaceIssue[] = [];
  for (const field of ['forward', 'toxics'] as const) {
    if (spec[field] !== undefined) {
      issues.push({ ...at, field, message: `${field} is not supported in a workspace yet` });
    }
  }
  let table: CommandTable = CLASSIC_TABLE;
  if (typeof spec.commands === 'string') {
    const read = await readTable(path.resolve(folder, spec.commands), spec.commands);
    if (typeof read === 'string') issues.push({ ...at, field: 'commands', message: read });
    else table = read;
  } else if (spec.commands !== undefined) {
    table = spec.commands as CommandTable; // checked by checkWorkspace
  }
  let identity: TlsIdentity | undefined;
  if (spec.cert !== undefined && spec.key !== undefined) {
    const loaded = await loadUserIdentity(path.resolve(folder, spec.cert), path.resolve(folder, spec.key));
    if (loaded.ok) identity = loaded.identity;
    else issues.push({ ...at, field: 'cert', message: loaded.message });
  }
  if (issues.length > 0) return issues;
  // The server settings and limits, under the same names as in the settings file.
  const limits = Object.fromEntries(
    Object.keys(DEFAULT_UDP_SETTINGS).flatMap((key) => {
      const value: unknown = spec[key as keyof ListenerSpec];
      return value === undefined ? [] : [[key, value]];
    }),
  ) as Partial<UdpSettings>;
  const settings: UdpSettings = { ...DEFAULT_UDP_SETTINGS, ...limits };
  const { name, transport } = spec;
  return { name, transport, settings, table, ...(identity ? { identity } : {}) };
}

async function readTable(file: string, given: string): Promise<CommandTable | string> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const where = given === file ? file : `${given} (${file})`;
    return `cannot read the table file ${where}: ${reason(error)}`;
  }
  const check = parseTableFile(text);
  if (check.ok) return check.table;
  return `the table file ${given} was refused: ${check.issues.map(describeTableIssue).join('; ')}`;
}

/** A listener from the command line's own options (`--tls`, `--udp`, `--cert`, `--key`). */
export async function planSingleListener(options: {
  settings: Record<string, unknown>;
  transport: Transport;
  table: CommandTable;
  certFile: string | null;
  keyFile: string | null;
  maxDatagramBytes?: number;
}): Promise<{ ok: true; plan: ListenerPlan } | { ok: false; message: string }> {
  const settings = serverSettingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...options.settings });
  if (!settings.success) return { ok: false, message: describeIssues(settings.error) };
  let identity: TlsIdentity | undefined;
  if (options.certFile !== null && options.keyFile !== null) {
    const loaded = await loadUserIdentity(options.certFile, options.keyFile);
    if (!loaded.ok) return { ok: false, message: loaded.message };
    identity = loaded.identity;
  }
  return {
    ok: true,
    plan: {
      name: options.transport,
      transport: options.transport,
      settings: { ...DEFAULT_UDP_SETTINGS, ...settings.data, ...pick(options.maxDatagramBytes) },
      table: options.table,
      ...(identity ? { identity } : {}),
    },
  };
}

function pick(maxDatagramBytes: number | undefined): Partial<UdpSettings> {
  return maxDatagramBytes === undefined ? {} : { maxDatagramBytes };
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

export interface WorkspaceEvents {
  /** A log row, with the name of the listener it belongs to. */
  entry: { listener: string; entry: LogEntry };
}

/** What the line server and the UDP listener both report. */
interface EventSource {
  on<K extends keyof ServerEvents>(event: K, listener: (payload: ServerEvents[K]) => void): () => void;
}

interface Running {
  readonly plan: ListenerPlan;
  readonly core: LineServer | UdpListener;
}

export class WorkspaceRunner extends TypedEmitter<WorkspaceEvents> {
  readonly #plans: readonly ListenerPlan[];
  readonly #dataDir: string;
  #running: Running[] = [];
  #seq = 0;

  constructor(plans: readonly ListenerPlan[], options: { dataDir: string }) {
    super();
    this.#plans = plans;
    this.#dataDir = options.dataDir;
  }

  /** A listener's log row failed to print: nothing to crash for. */
  protected override listenerFailed(): void {}

  /** Starts every listener; each outcome in the order of the workspace. */
  async start(): Promise<ListenerOutcome[]> {
    // One self-signed certificate serves every TLS listener without its own.
    let selfSigned: Promise<{ ok: true; identity: TlsIdentity } | { ok: false; message: string }> | null =
      null;
    const identityFor = (plan: ListenerPlan): typeof selfSigned =>
      plan.identity
        ? Promise.resolve({ ok: true, identity: plan.identity })
        : (selfSigned ??= ensureSelfSignedIdentity(this.#dataDir));
    return Promise.all(
      this.#plans.map(async (plan): Promise<ListenerOutcome> => {
        const fail = (error: string): ListenerOutcome => ({
          ok: false,
          name: plan.name,
          transport: plan.transport,
          error,
        });
        let core: LineServer | UdpListener;
        let fingerprint: string | undefined;
        const maker = new LogEntryMaker();
        if (plan.transport === 'udp') {
          core = new UdpListener(plan.table);
          core.on('dropped', (e) =>
            this.#push(plan.name, {
              at: e.at,
              conn: e.conn,
              remote: formatAddress(e.remoteAddress, e.remotePort),
              kind: 'rejected',
              detail: `dropped a datagram of ${e.bytes} bytes (the limit is ${plan.settings.maxDatagramBytes})`,
            }),
          );
        } else if (plan.transport === 'tls') {
          const identity = await identityFor(plan);
          if (!identity?.ok) return fail(identity?.message ?? 'no certificate');
          const tls = new TlsListener({ cert: identity.identity.cert, key: identity.identity.key });
          fingerprint = identity.identity.fingerprint256;
          tls.on('tlsClientError', (e) =>
            this.#push(plan.name, {
              at: e.at,
              conn: 0,
              remote: formatAddress(e.remoteAddress, e.remotePort),
              kind: 'rejected',
              detail: e.message,
            }),
          );
          core = new LineServer(plan.table, { transport: tls.factory });
        } else {
          core = new LineServer(plan.table);
        }
        this.#wire(plan.name, core, maker);
        const started = await core.start(plan.settings);
        if (!started.ok) return fail(started.message);
        this.#running.push({ plan, core });
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
          ...(fingerprint ? { fingerprint } : {}),
          warnings: warnings.filter((w): w is string => w !== undefined),
        };
      }),
    );
  }

  /** Stops every listener at once; the connections closed, all listeners together. */
  async stop(): Promise<{ closed: number }> {
    const running = this.#running;
    this.#running = [];
    const reports = await Promise.all(running.map((r) => r.core.stop()));
    return { closed: reports.reduce((sum, r) => sum + r.closed, 0) };
  }

  /** Active connections per listener, by name. */
  get activeConnections(): Record<string, number> {
    return Object.fromEntries(this.#running.map((r) => [r.plan.name, r.core.activeConnections]));
  }

  #wire(name: string, core: EventSource, m: LogEntryMaker): void {
    const push = (draft: EntryDraft): void => this.#push(name, draft);
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

  #push(listener: string, draft: EntryDraft): void {
    this.emit('entry', { listener, entry: { seq: ++this.#seq, ...draft } });
  }
}
