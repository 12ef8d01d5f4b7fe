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
import { parseHostPort, type UpstreamTls } from '../core/forwarder.js';
import { DEFAULT_UDP_SETTINGS, type UdpSettings } from '../core/udp-listener.js';
import { TypedEmitter } from '../core/typed-emitter.js';
import {
  CLASSIC_TABLE,
  describeTableIssue,
  parseTableFile,
  type CommandTable,
} from '../shared/protocol/command-table.js';
import type { LogEntry } from '../shared/ipc/models.js';
import { DEFAULT_SETTINGS, serverSettingsSchema, describeIssues } from '../shared/protocol/settings.js';
import { resolveToxic, toxicsSchema, type Toxic } from '../shared/protocol/toxics.js';
import {
  describeWorkspaceIssue,
  parseWorkspaceFile,
  type ListenerSpec,
  type Transport,
  type WorkspaceIssue,
} from '../shared/protocol/workspace.js';
import { ensureSelfSignedIdentity, loadUserIdentity, type TlsIdentity } from './certificates.js';
import {
  WorkspaceListener,
  type ForwardPlan,
  type ListenerOutcome,
  type ListenerPlan,
  type SelfSignedSource,
} from './workspace-listener.js';

export type { ForwardPlan, ListenerOutcome, ListenerPlan } from './workspace-listener.js';

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

/**
 * Reads and checks what one listener of a workspace names (its table file,
 * certificate, CA file), relative to `folder`; the problems, each placed.
 */
export async function planListener(
  spec: ListenerSpec,
  index: number,
  folder: string,
): Promise<ListenerPlan | WorkspaceIssue[]> {
  const at = { listener: index, name: spec.name };
  const issues: WorkspaceIssue[] = [];
  let forward: ForwardPlan | undefined;
  if (spec.forward !== undefined) {
    const upstream = parseHostPort(spec.forward);
    if (typeof upstream === 'string') issues.push({ ...at, field: 'forward', message: upstream });
    else {
      const tls = await upstreamTls(spec.forwardTls, folder);
      if (typeof tls === 'string') issues.push({ ...at, field: 'forwardTls.ca', message: tls });
      else forward = { upstream, ...(tls ? { tls } : {}) };
    }
  }
  // Checked by checkWorkspace.
  const toxics: Toxic[] | undefined =
    spec.toxics === undefined ? undefined : toxicsSchema.parse(spec.toxics).map(resolveToxic);
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
  return {
    name,
    transport,
    settings,
    table,
    ...(identity ? { identity } : {}),
    ...(forward ? { forward } : {}),
    ...(toxics ? { toxics } : {}),
  };
}

/** How a forward target is reached over TLS (docs/listeners.md); a CA file that cannot be read is the message. */
async function upstreamTls(
  given: ListenerSpec['forwardTls'],
  folder: string,
): Promise<UpstreamTls | undefined | string> {
  if (given === undefined || given === false) return undefined;
  if (given === true) return { verify: true };
  let ca: string | undefined;
  if (given.ca !== undefined) {
    const file = path.resolve(folder, given.ca);
    try {
      ca = await fs.readFile(file, 'utf8');
    } catch (error) {
      return `cannot read the CA file ${given.ca} (${file}): ${reason(error)}`;
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      return `the CA file ${given.ca} holds no PEM certificate`;
  }
  return {
    verify: given.verify ?? true,
    ...(ca ? { ca } : {}),
    ...(given.servername ? { servername: given.servername } : {}),
  };
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
      // As the command line's listener is named everywhere (the control API's `default`).
      name: 'default',
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

export interface WorkspaceEvents {
  /** A log row, with the name of the listener it belongs to (in the row too). */
  entry: { listener: string; entry: LogEntry };
}

/** The listeners of a workspace, started and stopped as one; each can also be driven alone. */
export class WorkspaceRunner extends TypedEmitter<WorkspaceEvents> {
  readonly #listeners: WorkspaceListener[] = [];
  readonly #selfSigned: SelfSignedSource;
  #seq = 0;

  /** `dataDir` keeps the self-signed certificate; without one, a TLS listener needs its own. */
  constructor(plans: readonly ListenerPlan[], options: { dataDir: string | null }) {
    super();
    // One self-signed certificate serves every TLS listener without its own.
    let made: ReturnType<SelfSignedSource> | null = null;
    const dataDir = options.dataDir;
    this.#selfSigned = () =>
      dataDir === null
        ? Promise.resolve({ ok: false, message: 'a tls listener without cert and key needs a data folder' })
        : (made ??= ensureSelfSignedIdentity(dataDir));
    for (const plan of plans) this.adopt(this.make(plan));
  }

  /** A listener's log row failed to print: nothing to crash for. */
  protected override listenerFailed(): void {}

  /** The certificate TLS listeners without their own share. */
  get selfSigned(): SelfSignedSource {
    return this.#selfSigned;
  }

  get listeners(): readonly WorkspaceListener[] {
    return this.#listeners;
  }

  /** A listener for `plan`, sharing the self-signed certificate; not yet one of the workspace's. */
  make(plan: ListenerPlan): WorkspaceListener {
    return new WorkspaceListener(plan, this.#selfSigned);
  }

  /** Makes `listener` one of the workspace's: its rows come out of `entry`, Stop stops it. */
  adopt(listener: WorkspaceListener): void {
    this.#listeners.push(listener);
    listener.on('entry', (row) => {
      const entry: LogEntry = { ...row, seq: ++this.#seq, listener: listener.name };
      this.emit('entry', { listener: listener.name, entry });
    });
  }

  /** Stops `listener` and lets it go. */
  async remove(listener: WorkspaceListener): Promise<void> {
    const index = this.#listeners.indexOf(listener);
    if (index !== -1) this.#listeners.splice(index, 1);
    await listener.stop();
  }

  /** Starts every listener; each outcome in the order of the workspace. */
  async start(): Promise<ListenerOutcome[]> {
    return Promise.all(this.#listeners.map((l) => l.start()));
  }

  /** Stops every listener at once; the connections closed, all listeners together. */
  async stop(): Promise<{ closed: number }> {
    const reports = await Promise.all(this.#listeners.map((l) => l.stop()));
    return { closed: reports.reduce((sum, r) => sum + r.closed, 0) };
  }

  /** Active connections per listener, by name. */
  get activeConnections(): Record<string, number> {
    return Object.fromEntries(this.#listeners.map((l) => [l.name, l.activeConnections]));
  }
}
