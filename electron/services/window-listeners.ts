/**
 * The window's extra listeners (docs/window.md, "Listeners"): beside the
 * window's own listener (`default`, the ServerController), any number of
 * listeners over TCP, TLS or UDP, each a mock with its own table or a
 * forwarder, started and stopped alone or all together. They are a
 * workspace (docs/listeners.md): kept in the data folder as a workspace
 * file, exported and imported as one. Each runs as a WorkspaceListener, the
 * very code `npm run serve -- --config` runs; its log rows come out of
 * `entry` with their listener named.
 */
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import path from 'node:path';
import { TypedEmitter } from '../core/typed-emitter.js';
import { checkTable, describeTableIssue } from '../shared/protocol/command-table.js';
import { formatAddress } from '../shared/protocol/address.js';
import {
  checkWorkspace,
  describeWorkspaceIssue,
  parseWorkspaceFile,
  type ListenerSpec,
  type Transport,
  type WorkspaceIssue,
} from '../shared/protocol/workspace.js';
import {
  describeIssues,
  forwardIssue,
  serverSettingsSchema,
  type ServerSettings,
} from '../shared/protocol/settings.js';
import type { CommandTable } from '../shared/protocol/command-table.js';
import { EMPTY_STATS, type LogEntry, type ServerStats } from '../shared/ipc/models.js';
import type {
  ListenerAddRequest,
  ListenerRow,
  ListenersOutcome,
  ListenersStartOutcome,
  ListenersState,
  WorkspaceExport,
  WorkspaceImportOutcome,
} from '../shared/ipc/window-listeners.js';
import { JsonFileWriter, readJsonFile } from './json-file.js';
import { planListener, WorkspaceRunner } from './workspace.js';
import type { WorkspaceListener } from './workspace-listener.js';

/** The workspace file in the data folder. */
export const WORKSPACE_FILE = 'workspace.json';
/** The name of the window's own listener: no extra listener can take it. */
export const DEFAULT_LISTENER = 'default';
/** How many ports past the last one "the next free port" tries. */
const PORT_TRIES = 200;

interface Entry {
  spec: ListenerSpec;
  listener: WorkspaceListener;
  label: string;
  fingerprint?: string;
  error?: string;
  warnings?: string[];
  busy?: 'starting' | 'stopping';
  /** Its own counters, from its rows (docs/window.md, "The log and the counters"). */
  stats: ServerStats;
}

/** A field a row carries beside the LogEntry fields (a line's or reply's bytes, a close's reason). */
function rowField(row: LogEntry, field: 'bytes' | 'reason'): unknown {
  return field in row ? (row as unknown as Record<string, unknown>)[field] : undefined;
}

/** Counts one row of a listener as the window's own listener counts its events. */
function countRow(stats: ServerStats, row: LogEntry): void {
  const bytes = rowField(row, 'bytes');
  switch (row.kind) {
    case 'open':
      stats.active++;
      stats.total++;
      break;
    case 'close':
      stats.active = Math.max(0, stats.active - 1);
      if (rowField(row, 'reason') === 'error') stats.errors++;
      break;
    case 'line':
      stats.commands++;
      if (typeof bytes === 'number') stats.bytesIn += bytes;
      break;
    case 'reply':
      if (typeof bytes === 'number') stats.bytesOut += bytes;
      break;
    case 'rejected':
      stats.rejected++;
      break;
    case 'error':
      stats.errors++;
      break;
    default:
      break;
  }
}

export interface WindowListenersEvents {
  /** A log row of an extra listener, its `listener` set; numbered by whoever shows it. */
  entry: LogEntry;
  /** The list changed: a listener added, removed, started, stopped, a connection opened or closed. */
  changed: true;
}

/** Where the window's own listener is, so an extra one does not take its name or port. */
export type DefaultListener = () => { host: string; port: number };

/**
 * The window's own listener as a workspace file holds it (docs/listeners.md,
 * "In the window"): export and import read and write it through this.
 */
export interface OwnListener {
  /** Its saved settings (the form's, as the next Start uses them). */
  settings(): ServerSettings;
  /** The table it answers by. */
  table(): CommandTable;
  running(): boolean;
  /** Saves checked settings and applies a checked table (left out: the table stays); the reason when it could not. */
  apply(settings: ServerSettings, table: CommandTable | undefined): Promise<string | undefined>;
}

/** The settings fields a workspace listener shares with the window's own listener's settings. */
const OWN_FIELDS = [
  'host',
  'port',
  'mode',
  'maxConnections',
  'idleTimeoutSec',
  'maxLineBytes',
  'lineTimeoutSec',
  'maxPerRemote',
] as const;

/** The window's own listener as the workspace file's listener `default`. */
export function ownListenerSpec(settings: ServerSettings, table: CommandTable): ListenerSpec {
  const spec: ListenerSpec = { name: DEFAULT_LISTENER, transport: 'tcp' };
  for (const field of OWN_FIELDS) Object.assign(spec, { [field]: settings[field] });
  if (settings.kind === 'forward') spec.forward = settings.forward;
  spec.commands = table;
  return spec;
}

/**
 * The window's own listener's settings from a workspace's `default`: the
 * fields it leaves out keep their current values, `forward` makes it a
 * forwarder and its absence a mock. What the window's own listener cannot
 * be (TLS, UDP, toxics in the file) is an issue at `index`.
 */
export function ownSettingsFrom(
  spec: ListenerSpec,
  current: ServerSettings,
  index: number,
): { settings: ServerSettings; table: CommandTable | undefined } | WorkspaceIssue[] {
  const at = { listener: index, name: spec.name };
  const issues: WorkspaceIssue[] = [];
  if (spec.transport !== 'tcp')
    issues.push({ ...at, field: 'transport', message: "the window's own listener speaks plain TCP only" });
  if (spec.forwardTls !== undefined && spec.forwardTls !== false)
    issues.push({
      ...at,
      field: 'forwardTls',
      message: "the window's own listener forwards over plain TCP; add an extra listener to forward over TLS",
    });
  if (spec.toxics !== undefined && spec.toxics.length > 0)
    issues.push({
      ...at,
      field: 'toxics',
      message: "the window's own listener's toxics are set in Faults, not in a workspace file",
    });
  const raw: Record<string, unknown> = { ...current };
  for (const field of OWN_FIELDS) if (spec[field] !== undefined) raw[field] = spec[field];
  raw.kind = spec.forward !== undefined ? 'forward' : 'mock';
  if (spec.forward !== undefined) raw.forward = spec.forward;
  const parsed = serverSettingsSchema.safeParse(raw);
  if (!parsed.success) issues.push({ ...at, message: describeIssues(parsed.error) });
  else {
    const forward = forwardIssue(parsed.data);
    if (forward) issues.push({ ...at, field: 'forward', message: forward });
  }
  let table: CommandTable | undefined;
  if (spec.commands !== undefined && typeof spec.commands !== 'string') {
    const check = checkTable(spec.commands);
    if (check.ok) table = check.table;
    else
      issues.push(...check.issues.map((i) => ({ ...at, field: 'commands', message: describeTableIssue(i) })));
  }
  if (issues.length > 0 || !parsed.success) return issues;
  return { settings: parsed.data, table };
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

function overlaps(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase() || WILDCARDS.has(a) || WILDCARDS.has(b);
}

/**
 * What a workspace the window keeps cannot hold: files named by path (the
 * window has no folder to read them from), the window's own listener's name.
 */
function windowIssues(
  specs: readonly ListenerSpec[],
  main: { host: string; port: number } | null,
  ownAllowed = false,
): WorkspaceIssue[] {
  const issues: WorkspaceIssue[] = [];
  specs.forEach((spec, index) => {
    const at = { listener: index, name: spec.name };
    if (spec.name === DEFAULT_LISTENER && !ownAllowed)
      issues.push({ ...at, field: 'name', message: `"${DEFAULT_LISTENER}" is the window's own listener` });
    if (typeof spec.commands === 'string')
      issues.push({ ...at, field: 'commands', message: 'give the table itself, not a file name' });
    for (const field of ['cert', 'key'] as const)
      if (spec[field] !== undefined)
        issues.push({ ...at, field, message: `${field} files cannot be read from the window` });
    if (typeof spec.forwardTls === 'object' && spec.forwardTls.ca !== undefined)
      issues.push({ ...at, field: 'forwardTls.ca', message: 'a CA file cannot be read from the window' });
    const host = spec.host ?? '127.0.0.1';
    if (
      main &&
      spec.transport !== 'udp' &&
      spec.port === main.port &&
      spec.port !== 0 &&
      overlaps(host, main.host)
    )
      issues.push({
        ...at,
        field: 'port',
        message: `TCP port ${formatAddress(host, main.port)} is the window's own listener's`,
      });
  });
  return issues;
}

/** The limits a new listener was given (the rest take the defaults). */
function limitsOf(req: ListenerAddRequest): Partial<Pick<ServerSettings, (typeof ADD_LIMITS)[number]>> {
  const limits: Partial<Record<(typeof ADD_LIMITS)[number], number>> = {};
  for (const field of ADD_LIMITS) {
    const value = req[field];
    if (value !== undefined) limits[field] = value;
  }
  return limits;
}

const ADD_LIMITS = ['maxConnections', 'idleTimeoutSec', 'lineTimeoutSec', 'maxPerRemote'] as const;

/** Whether HOST:PORT can be listened on now (TCP or UDP). */
function portFree(transport: Transport, host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (transport === 'udp') {
      const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      socket.once('error', () => {
        socket.close();
        resolve(false);
      });
      socket.bind({ address: host, port, exclusive: true }, () => socket.close(() => resolve(true)));
      return;
    }
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export class WindowListeners extends TypedEmitter<WindowListenersEvents> {
  readonly #entries: Entry[] = [];
  readonly #runner: WorkspaceRunner;
  readonly #writer: JsonFileWriter;
  readonly #main: DefaultListener;
  readonly file: string;
  /** Counters moved since the state was last read: one `changed` says so, not one per row. */
  #counted = false;
  /** Why the saved workspace could not be used at start (the app went on without it). */
  problem: string | undefined;
  /** The window's own listener, for Export and Import to carry `default`; unset, they carry the extra ones only. */
  own: OwnListener | undefined;

  private constructor(dataDir: string, main: DefaultListener) {
    super();
    this.file = path.join(dataDir, WORKSPACE_FILE);
    this.#writer = new JsonFileWriter(this.file);
    this.#main = main;
    this.#runner = new WorkspaceRunner([], { dataDir });
  }

  /** A log row failed to reach a listener: nothing to crash for. */
  protected override listenerFailed(): void {}

  /** Reads the saved workspace; a bad one is moved aside and becomes `problem`. */
  static async open(dataDir: string, main: DefaultListener): Promise<WindowListeners> {
    const self = new WindowListeners(dataDir, main);
    const read = await readJsonFile<ListenerSpec[]>(
      self.file,
      (json) => self.#check(json),
      'starting without the extra listeners',
    );
    if (read.problem) self.problem = read.problem;
    for (const spec of read.value ?? []) {
      const made = await self.#make(spec, 'saved table');
      if (typeof made === 'string') {
        self.problem = `the listener ${spec.name} in ${self.file} was left out: ${made}`;
      }
    }
    return self;
  }

  /** The specs of a workspace the window can keep, or what is wrong, each problem placed. */
  #check(json: unknown): ListenerSpec[] | string {
    // No listeners left: the file the window writes then.
    if (typeof json === 'object' && json !== null && 'listeners' in json) {
      const list: unknown = json.listeners;
      if (Array.isArray(list) && list.length === 0) return [];
    }
    // The window's own port may have moved onto a saved listener's since: that one fails to start, with its error.
    return this.#problems(json, null);
  }

  #problems(
    json: unknown,
    main: { host: string; port: number } | null = this.#main(),
  ): ListenerSpec[] | string {
    const check = checkWorkspace(json);
    if (!check.ok) return check.issues.map(describeWorkspaceIssue).join('; ');
    const issues = windowIssues(check.workspace.listeners, main);
    if (issues.length > 0) return issues.map(describeWorkspaceIssue).join('; ');
    return check.workspace.listeners;
  }

  get state(): ListenersState {
    this.#counted = false;
    return { listeners: this.#entries.map((e) => this.#row(e)), file: this.file };
  }

  /** The listener named `name`'s WorkspaceListener, for tests and the control API. */
  listener(name: string): WorkspaceListener | undefined {
    return this.#find(name)?.listener;
  }

  #row(e: Entry): ListenerRow {
    const { spec, listener } = e;
    const address = listener.address;
    const settings = listener.plan.settings;
    const state = e.busy ?? (listener.state === 'running' ? 'running' : e.error ? 'failed' : 'stopped');
    return {
      name: spec.name,
      transport: spec.transport,
      host: address?.host ?? settings.host,
      port: address?.port ?? settings.port,
      kind: listener.kind,
      ...(spec.forward !== undefined ? { forward: spec.forward } : {}),
      ...(spec.forwardTls
        ? {
            forwardTls:
              typeof spec.forwardTls === 'object' && spec.forwardTls.verify === false
                ? ('unchecked' as const)
                : ('checked' as const),
          }
        : {}),
      tableLabel: e.label,
      state,
      connections: listener.activeConnections,
      toxics: listener.toxics.length,
      ...(e.fingerprint ? { fingerprint: e.fingerprint } : {}),
      ...(e.error ? { error: e.error } : {}),
      ...(e.warnings && e.warnings.length > 0 ? { warnings: e.warnings } : {}),
      stats: { ...e.stats },
    };
  }

  /** Every listener's counters from zero but the open connections (the Live card's Reset). */
  resetStats(): void {
    for (const e of this.#entries) e.stats = { ...EMPTY_STATS, active: e.stats.active };
    this.emit('changed', true);
  }

  #find(name: string): Entry | undefined {
    return this.#entries.find((e) => e.spec.name === name);
  }

  /** Makes and keeps the listener of a checked spec; a reason when it cannot be made. */
  async #make(spec: ListenerSpec, label: string): Promise<Entry | string> {
    const plan = await planListener(spec, this.#entries.length, path.dirname(this.file));
    if (Array.isArray(plan)) return plan.map((i) => i.message).join('; ');
    const listener = this.#runner.make(plan);
    const entry: Entry = { spec, listener, label, stats: { ...EMPTY_STATS } };
    listener.on('entry', (row) => {
      countRow(entry.stats, row);
      this.emit('entry', { ...row, listener: spec.name });
      if (row.kind !== 'line' && row.kind !== 'reply') this.emit('changed', true);
      else if (!this.#counted) {
        this.#counted = true;
        this.emit('changed', true);
      }
    });
    this.#entries.push(entry);
    if (spec.transport === 'tls') {
      const identity = await this.#runner.selfSigned();
      if (identity.ok) entry.fingerprint = identity.identity.fingerprint256;
    }
    return entry;
  }

  /** The first port past the others' that no listener of the window has and nothing else listens on. */
  async nextFreePort(transport: Transport, host: string): Promise<number> {
    const main = this.#main();
    const space = (t: Transport): string => (t === 'udp' ? 'udp' : 'tcp');
    const taken = new Set<number>(
      this.#entries
        .filter((e) => space(e.spec.transport) === space(transport))
        .map((e) => e.listener.plan.settings.port),
    );
    if (transport !== 'udp') taken.add(main.port);
    const from = Math.max(main.port, ...this.#entries.map((e) => e.listener.plan.settings.port)) + 1;
    for (let i = 0; i < PORT_TRIES; i++) {
      const port = from + i;
      if (port > 65_535) break;
      if (!taken.has(port) && (await portFree(transport, host, port))) return port;
    }
    return 0;
  }

  /** Adds a stopped listener; a refusal says what is wrong and changes nothing. */
  async add(req: ListenerAddRequest): Promise<ListenersOutcome> {
    const refuse = (error: string): ListenersOutcome => ({ ok: false, error, state: this.state });
    const transport = req.transport as Transport;
    if (req.commands !== undefined && req.forward !== undefined)
      return refuse('a listener is a mock (a table) or a forwarder (forward), not both');
    if (req.commands !== undefined) {
      const table = checkTable(req.commands);
      if (!table.ok)
        return refuse(`the table was refused: ${table.issues.map(describeTableIssue).join('; ')}`);
    }
    const host = req.host.trim() === '' ? '127.0.0.1' : req.host.trim();
    const port =
      req.port ?? (['tcp', 'tls', 'udp'].includes(transport) ? await this.nextFreePort(transport, host) : 0);
    const raw: Record<string, unknown> = {
      name: req.name.trim(),
      transport: req.transport,
      host,
      port,
      ...(req.forward !== undefined ? { forward: req.forward.trim() } : {}),
      ...(req.commands !== undefined ? { commands: req.commands } : {}),
      ...(req.toxics !== undefined && req.toxics.length > 0 ? { toxics: req.toxics } : {}),
      ...limitsOf(req),
      ...(req.forwardTls !== undefined && req.forwardTls !== false ? { forwardTls: req.forwardTls } : {}),
    };
    const specs = [...this.#entries.map((e) => e.spec), raw];
    const checked = this.#problems({ listeners: specs });
    if (typeof checked === 'string') return refuse(checked);
    const spec = checked[checked.length - 1];
    if (!spec) return refuse('no listener');
    const made = await this.#make(spec, req.forward !== undefined ? '' : (req.tableLabel ?? 'own table'));
    if (typeof made === 'string') return refuse(made);
    const saved = await this.#save();
    this.emit('changed', true);
    return saved ? { ok: false, error: saved, state: this.state } : { ok: true, state: this.state };
  }

  /** Stops and removes a listener. */
  async remove(name: string): Promise<ListenersOutcome> {
    const entry = this.#find(name);
    if (!entry) return { ok: false, error: `no listener is named ${name}`, state: this.state };
    this.#entries.splice(this.#entries.indexOf(entry), 1);
    await entry.listener.stop();
    const saved = await this.#save();
    this.emit('changed', true);
    return saved ? { ok: false, error: saved, state: this.state } : { ok: true, state: this.state };
  }

  /** Starts one listener (`name`) or every stopped one; one that fails does not hold up the others. */
  async start(name?: string): Promise<ListenersStartOutcome> {
    const chosen = name === undefined ? this.#entries : this.#entries.filter((e) => e.spec.name === name);
    if (name !== undefined && chosen.length === 0)
      return { state: this.state, failed: [{ name, error: `no listener is named ${name}` }] };
    const outcomes = await Promise.all(
      chosen
        .filter((e) => e.listener.state !== 'running' && e.busy === undefined)
        .map(async (e) => {
          e.busy = 'starting';
          this.emit('changed', true);
          const outcome = await e.listener.start();
          e.busy = undefined;
          if (outcome.ok) {
            delete e.error;
            e.warnings = outcome.warnings;
            if (outcome.fingerprint) e.fingerprint = outcome.fingerprint;
          } else {
            e.error = outcome.error;
            // The log says it too, as it does for the window's own listener.
            this.emit('entry', {
              seq: 0,
              at: Date.now(),
              conn: 0,
              remote: '',
              kind: 'error',
              detail: `could not start: ${outcome.error}`,
              listener: e.spec.name,
            });
          }
          this.emit('changed', true);
          return outcome;
        }),
    );
    const failed = outcomes.flatMap((o) => (o.ok ? [] : [{ name: o.name, error: o.error }]));
    return { state: this.state, failed };
  }

  /** Stops one listener (`name`) or all of them. */
  async stop(name?: string): Promise<ListenersOutcome> {
    const chosen = name === undefined ? this.#entries : this.#entries.filter((e) => e.spec.name === name);
    if (name !== undefined && chosen.length === 0)
      return { ok: false, error: `no listener is named ${name}`, state: this.state };
    await Promise.all(
      chosen.map(async (e) => {
        delete e.error;
        if (e.listener.state === 'stopped') return;
        e.busy = 'stopping';
        this.emit('changed', true);
        await e.listener.stop();
        e.busy = undefined;
      }),
    );
    this.emit('changed', true);
    return { ok: true, state: this.state };
  }

  /** The workspace file of the extra listeners (docs/listeners.md). */
  exportWorkspace(): WorkspaceExport {
    const own = this.own ? [ownListenerSpec(this.own.settings(), this.own.table())] : [];
    const listeners = [...own, ...this.#entries.map((e) => e.spec)];
    const text = `${JSON.stringify({ listeners }, null, 2)}\n`;
    return { text, fileName: 'switchboard-workspace.json' };
  }

  /**
   * Replaces the extra listeners with a workspace file's. A file with any
   * problem is refused whole, each problem placed, and nothing changes.
   */
  async importWorkspace(text: string): Promise<WorkspaceImportOutcome> {
    const refuse = (problems: string[]): WorkspaceImportOutcome => ({
      ok: false,
      error: `the workspace file was refused:${problems.map((p) => `\n  ${p}`).join('')}`,
      problems,
      state: this.state,
    });
    const parsed = parseWorkspaceFile(text);
    if (!parsed.ok) return refuse(parsed.issues.map(describeWorkspaceIssue));
    const all = parsed.workspace.listeners;
    const ownIndex = this.own ? all.findIndex((spec) => spec.name === DEFAULT_LISTENER) : -1;
    const ownSpec = all[ownIndex];
    // With `default` in the file, the file says where the window's own listener is (checked against the others).
    const issues = windowIssues(all, ownSpec ? null : this.#main(), ownSpec !== undefined);
    const ownCheck =
      this.own && ownSpec ? ownSettingsFrom(ownSpec, this.own.settings(), ownIndex) : undefined;
    if (Array.isArray(ownCheck)) issues.push(...ownCheck);
    const ownPart = Array.isArray(ownCheck) ? undefined : ownCheck;
    if (issues.length > 0) return refuse(issues.map(describeWorkspaceIssue));
    const problems: string[] = [];
    let note: string | undefined;
    if (this.own && ownPart) {
      const failed = await this.own.apply(ownPart.settings, ownPart.table);
      if (failed) return refuse([`listener ${ownIndex + 1} "${DEFAULT_LISTENER}": ${failed}`]);
      if (this.own.running())
        note = `The window's own listener (${DEFAULT_LISTENER}) is running: its table applies now, its settings at its next Start.`;
    }
    const old = this.#entries.splice(0);
    await Promise.all(old.map((e) => e.listener.stop()));
    for (const spec of all.filter((_, i) => i !== ownIndex || !ownPart)) {
      const made = await this.#make(spec, 'imported table');
      if (typeof made === 'string') problems.push(`listener ${spec.name}: ${made}`);
    }
    const saved = await this.#save();
    if (saved) problems.push(saved);
    this.emit('changed', true);
    if (problems.length > 0) return { ok: false, error: problems.join('; '), problems, state: this.state };
    const settings = ownPart ? { settings: ownPart.settings } : {};
    return { ok: true, state: this.state, ...settings, ...(note ? { note } : {}) };
  }

  /** Saves the list; the reason when it could not be. */
  async #save(): Promise<string | undefined> {
    try {
      await this.#writer.write({ listeners: this.#entries.map((e) => e.spec) }, 'the listeners');
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  /** Stops every listener (the app is quitting). */
  async shutdown(): Promise<void> {
    await Promise.all(this.#entries.map((e) => e.listener.stop()));
  }
}
