/**
 * The window's tools around its listener (docs/window.md): the Faults
 * panel's toxics, Record, the control API switch, and sending to or closing
 * one connection. Every request's values are judged here, with the same
 * schemas the table file and the command line use, and bad input changes
 * nothing.
 */
import { TypedEmitter } from '../core/typed-emitter.js';
import { formatAddress } from '../shared/protocol/address.js';
import { checkTable, describeTableIssue, type CommandTable } from '../shared/protocol/command-table.js';
import { serverSettingsSchema } from '../shared/protocol/settings.js';
import { addsLineEnding, decodeInput } from '../shared/ipc/client-input.js';
import type {
  ApiOutcome,
  ConnectionOutcome,
  ConnectionSendRequest,
  FaultsOutcome,
  RecordingReady,
  ToolsState,
} from '../shared/ipc/listener-tools.js';
import { ControlApi } from './control-api/index.js';
import { forwarderListener, mockListener, type ApiListener } from './control-api/listeners.js';
import type { Recording } from './forward-mode.js';
import { withTextReplies } from './recording-lines.js';
import type { ServerController } from './server-controller.js';
import { reason } from './json-file.js';
import { checkFaults, ToolsStore } from './tools-store.js';

/** Toxiproxy's own port: the control API's default in the window. */
export const DEFAULT_API_PORT = 8474;
/** The name the window's listener has under `/switchboard/listeners`. */
export const WINDOW_LISTENER_NAME = 'default';

export interface ListenerToolsEvents {
  /** Something the tools show changed. */
  changed: ToolsState;
  recording: RecordingReady;
}

const LINE_ENDINGS = { crlf: '\r\n', lf: '\n', none: '' } as const;

export class ListenerTools extends TypedEmitter<ListenerToolsEvents> {
  readonly #controller: ServerController;
  #api: ControlApi | null = null;
  #apiHost = '127.0.0.1';
  #apiPort = DEFAULT_API_PORT;
  #apiError: string | undefined;
  /** Journals for the API, made the first time it is turned on (the mock's), or per forwarder. */
  #mockJournal: ApiListener | null = null;
  #forwardJournal: ApiListener | null = null;
  /** Where changes are saved, once {@link open} read the file. */
  #store: ToolsStore | null = null;
  /** Changes of the API run one at a time. */
  #apiQueue: Promise<unknown> = Promise.resolve();
  /** The last save of toxics a script set through the API, which quitting waits for. */
  #apiSave: Promise<void> = Promise.resolve();

  /** How the window applies a table (its editor's path), for a table a script sets through the API. */
  readonly #applyTable: ((table: CommandTable) => void) | null;

  constructor(controller: ServerController, options: { applyTable?: (table: CommandTable) => void } = {}) {
    super();
    this.#controller = controller;
    this.#applyTable = options.applyTable ?? null;
    const forward = controller.forward;
    forward.on('connections', () => this.#changed());
    forward.on('recording', (recording) => this.#recorded(recording));
    forward.on('forwarder', ({ forwarder }) => {
      this.#forwardJournal = this.#api
        ? this.#routed(forwarderListener(WINDOW_LISTENER_NAME, forwarder))
        : null;
      if (this.#forwardJournal) this.#api?.addListener(this.#forwardJournal);
    });
    controller.on('status', (status) => {
      // A mock Start shows the mock server's journal again under the same name.
      if (status.state === 'running' && controller.kind === 'mock' && this.#api && this.#mockJournal) {
        this.#api.addListener(this.#mockJournal);
      }
      this.#changed();
    });
  }

  get state(): ToolsState {
    const c = this.#controller;
    // Faults act on mock and forwarding listeners alike (the core's toxic transport).
    const running = c.status.state === 'running';
    const acting = running;
    const reach =
      c.kind === 'forward'
        ? c.forward.toxicReach()
        : { connections: running ? c.server.activeConnections : 0, active: {} };
    const address = this.#api?.address ?? null;
    return {
      faults: {
        toxics: [...c.forward.toxics],
        acting,
        connections: reach.connections,
        active: reach.active,
      },
      record: { on: c.forward.record, requests: c.forward.recorded },
      api: {
        on: this.#api !== null,
        host: this.#apiHost,
        port: address?.port ?? this.#apiPort,
        address: address ? `http://${formatAddress(address.host, address.port)}` : null,
        ...(this.#apiError ? { error: this.#apiError } : {}),
      },
    };
  }

  /**
   * Reads the faults and the API switch saved in `dataDir` and applies them:
   * the faults at once, the API only if it was on (a busy port is the API's
   * error). From then on every change is saved there. Returns a start
   * problem when the file could not be used (the app goes on with no faults).
   */
  async open(dataDir: string): Promise<string | undefined> {
    const { store, saved, problem } = await ToolsStore.open(dataDir);
    if (saved) {
      this.#controller.setToxics(saved.faults);
      this.#apiHost = saved.api.host;
      this.#apiPort = saved.api.port;
      if (saved.api.on) await this.setApi(true, saved.api.host, saved.api.port);
      this.#changed();
    }
    this.#store = store;
    return problem;
  }

  /** Checks every toxic with the table format's schema; all or nothing. Saved when the tools were opened. */
  async setFaults(toxics: readonly unknown[]): Promise<FaultsOutcome> {
    const checked = checkFaults(toxics);
    if (!checked.ok) return { ...checked, state: this.state };
    this.#controller.setToxics(checked.toxics);
    this.#changed();
    const error = await this.#save();
    if (error) return { ok: false, error: `the faults act now, but ${error}`, issues: [], state: this.state };
    return { ok: true, state: this.state };
  }

  setRecord(on: boolean): ToolsState {
    this.#controller.forward.setRecord(on);
    this.#changed();
    return this.state;
  }

  /** Turns the control API on at HOST:PORT (checked as the listener's own address is), or off. */
  setApi(on: boolean, host: string, port: number): Promise<ApiOutcome> {
    const run = this.#apiQueue
      .then(() => this.#setApi(on, host, port))
      .then(async (outcome) => {
        // What the switch shows (on, or off with its host and port) is what the next start brings back.
        if (!this.#store || (!outcome.ok && !outcome.state.api.error)) return outcome;
        const error = await this.#save();
        return error
          ? { ok: false as const, error: `the control API switch is set, but ${error}`, state: this.state }
          : outcome;
      });
    this.#apiQueue = run.catch(() => undefined);
    return run;
  }

  async #setApi(on: boolean, host: string, port: number): Promise<ApiOutcome> {
    if (!on) {
      const api = this.#api;
      this.#api = null;
      this.#apiError = undefined;
      await api?.stop();
      this.#changed();
      return { ok: true, state: this.state };
    }
    const address = serverSettingsSchema.pick({ host: true, port: true }).safeParse({ host, port });
    if (!address.success) {
      const message = address.error.issues
        .map((i) => `${String(i.path[0] ?? 'address')}: ${i.message}`)
        .join('; ');
      return { ok: false, error: `control API ${message}`, state: this.state };
    }
    if (this.#api) await this.#api.stop();
    this.#api = null;
    const api = new ControlApi();
    this.#mockJournal ??= this.#routed(mockListener(WINDOW_LISTENER_NAME, this.#controller.server));
    const forwarder = this.#controller.forward.forwarder;
    if (this.#controller.kind === 'forward' && forwarder) {
      this.#forwardJournal = this.#routed(forwarderListener(WINDOW_LISTENER_NAME, forwarder));
      api.addListener(this.#forwardJournal);
    } else api.addListener(this.#mockJournal);
    const started = await api.start(address.data.host, address.data.port);
    this.#apiHost = address.data.host;
    this.#apiPort = address.data.port;
    if (!started.ok) {
      this.#apiError = `the control API cannot start: ${started.message}`;
      this.#changed();
      return { ok: false, error: this.#apiError, state: this.state };
    }
    this.#api = api;
    this.#apiError = undefined;
    this.#changed();
    return { ok: true, state: this.state };
  }

  /** Sends a line (with its line end) or bytes to one connection or to every one; logged as replies. */
  send(req: ConnectionSendRequest): ConnectionOutcome {
    const blocked = this.#mockOnly('send to');
    if (blocked) return blocked;
    const mode = req.inputMode ?? 'text';
    const decoded = decodeInput(req.line, mode);
    if (!decoded.ok) return { ok: false, error: decoded.error };
    const ending = addsLineEnding(mode) ? LINE_ENDINGS[req.lineEnding] : '';
    const bytes = Buffer.concat([Buffer.from(decoded.bytes), Buffer.from(ending, 'latin1')]);
    if (bytes.length === 0) return { ok: false, error: 'nothing to send: type a line or bytes' };
    const server = this.#controller.server;
    if (req.conn === 'all') {
      const sent = server.broadcast(bytes);
      return sent > 0 ? { ok: true, sent } : { ok: false, error: 'no connection is open' };
    }
    return server.sendTo(req.conn, bytes)
      ? { ok: true, sent: 1 }
      : { ok: false, error: `connection #${req.conn} is not open` };
  }

  close(conn: number): ConnectionOutcome {
    const blocked = this.#mockOnly('close');
    if (blocked) return blocked;
    return this.#controller.server.closeConnection(conn)
      ? { ok: true, sent: 0 }
      : { ok: false, error: `connection #${conn} is not open` };
  }

  async shutdown(): Promise<void> {
    // Quitting is not turning the switch off: the next start brings the API back.
    await this.#apiSave;
    this.#store = null;
    await this.setApi(false, this.#apiHost, this.#apiPort);
  }

  /**
   * The window's listener as the API has it, its toxics going through the
   * same path as the Faults panel's and its table through the editor's: what
   * a script sets shows in the window, acts in both modes, and is saved like
   * the window's own.
   */
  #routed(listener: ApiListener): ApiListener {
    const control = listener.control;
    if (!control) return listener;
    const applyTable = this.#applyTable;
    return {
      ...listener,
      control: {
        ...control,
        // A table set through the API is the editor's table too, and saved as the editor saves it.
        ...(control.setTable && applyTable ? { setTable: applyTable } : {}),
        toxics: () => this.#controller.forward.toxics,
        setToxics: (toxics) => {
          this.#controller.setToxics(toxics);
          this.#changed();
          this.#apiSave = this.#save().then((error) => {
            if (error) {
              this.#apiError = `the API's faults act now, but ${error}`;
              this.#changed();
            }
          });
        },
      },
    };
  }

  /** Saves the faults and the switch; says why when they could not be. */
  async #save(): Promise<string | undefined> {
    if (!this.#store) return undefined;
    try {
      await this.#store.save({
        faults: [...this.#controller.forward.toxics],
        api: { on: this.#api !== null, host: this.#apiHost, port: this.#apiPort },
      });
      return undefined;
    } catch (error) {
      return reason(error);
    }
  }

  #mockOnly(what: string): ConnectionOutcome | null {
    const c = this.#controller;
    if (c.status.state !== 'running') return { ok: false, error: 'the server is not running' };
    if (c.kind === 'forward') {
      return {
        ok: false,
        error: `a forwarding listener passes only what its two sides send: ${what} connections in mock mode`,
      };
    }
    return null;
  }

  #recorded(recording: Recording): void {
    const checked = checkTable(withTextReplies(recording.table));
    if (!checked.ok) {
      // The recorder writes only tables the format accepts; should one not be, the log says so.
      this.#controller.logNote(
        `the recording could not be opened: ${checked.issues.map(describeTableIssue).join('; ')}`,
      );
      return;
    }
    const { stats } = recording;
    const notes: string[] = [];
    if (stats.skipped > 0)
      notes.push(`${stats.skipped} requests not recorded (too long, or past the rule limit)`);
    if (stats.truncated > 0) notes.push(`${stats.truncated} replies cut at the reply limit`);
    if (stats.greetingOmitted) notes.push('the greeting was left out: a table cannot send it exactly');
    this.emit('recording', {
      table: checked.table,
      rules: checked.table.commands.length,
      requests: stats.requests,
      upstream: recording.upstream,
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    });
  }

  #changed(): void {
    this.emit('changed', this.state);
  }
}
