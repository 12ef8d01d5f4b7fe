/**
 * The window's listener in forward mode (docs/forwarding.md): one
 * {@link Forwarder} per Start, framed for display by the applied table's
 * framing, with its faults, its recording and the counters the window
 * shows. The server controller owns one of these and hands it Start and
 * Stop when the settings say `forward`.
 */
import { Forwarder } from '../core/forwarder.js';
import { displayFramerFor } from '../core/framing-display.js';
import { framingConfigOf, type FramingConfig } from '../core/framing/index.js';
import { Recorder, type RecordedTable, type RecordingStats } from '../core/recorder.js';
import { TypedEmitter } from '../core/typed-emitter.js';
import { formatAddress } from '../shared/protocol/address.js';
import type { CommandTable } from '../shared/protocol/command-table.js';
import { checkForwardTarget, type ServerSettings } from '../shared/protocol/settings.js';
import { resolveFraming } from '../shared/protocol/table-framing.js';
import type { Toxic } from '../shared/protocol/toxics.js';
import { forwardDrafts, WINDOW_LABELS, type ForwardDraft } from './forward-entries.js';
import { connections } from './log-entries.js';

/** A recording made while the listener forwarded, ready when it stopped. */
export interface Recording {
  table: RecordedTable;
  stats: RecordingStats;
  upstream: string;
}

export interface ForwardModeEvents {
  /** A log row; the controller numbers it. */
  draft: ForwardDraft;
  /** A new forwarder is about to listen (the control API shows its journal). */
  forwarder: { forwarder: Forwarder };
  /** The listener stopped with Record on: what it recorded. */
  recording: Recording;
  /** A connection opened or closed: which toxics act on which connection changed. */
  connections: { active: number };
}

export type ForwardStart =
  { ok: true; host: string; port: number; upstream: string } | { ok: false; message: string };

export class ForwardMode extends TypedEmitter<ForwardModeEvents> {
  #forwarder: Forwarder | null = null;
  #unwire: (() => void)[] = [];
  #toxics: readonly Toxic[] = [];
  #record = false;
  #recorder: Recorder | null = null;
  #framing: FramingConfig = 'lf';
  #upstream = '';
  readonly #open = new Set<number>();
  /** Bytes from clients and from the upstream since this was made, as they arrive. */
  readonly traffic = { bytesIn: 0, bytesOut: 0 };

  /** The forwarder of the last Start, while it runs or until the next. */
  get forwarder(): Forwarder | null {
    return this.#forwarder;
  }

  get running(): boolean {
    const state = this.#forwarder?.state;
    return state === 'running' || state === 'starting' || state === 'stopping';
  }

  get upstream(): string {
    return this.#upstream;
  }

  get toxics(): readonly Toxic[] {
    return this.#forwarder?.toxics ?? this.#toxics;
  }

  /** Replaces the toxics: open connections take them at once, the next Start starts with them. */
  setToxics(toxics: readonly Toxic[]): void {
    this.#toxics = [...toxics];
    this.#forwarder?.setToxics(this.#toxics);
  }

  /** For each toxic, on how many open connections it acts (toxicity is drawn per connection). */
  toxicReach(): { connections: number; active: Record<string, number> } {
    const active: Record<string, number> = {};
    const forwarder = this.#forwarder;
    if (!forwarder || forwarder.state !== 'running') return { connections: 0, active };
    for (const conn of this.#open) {
      const on = forwarder.activeToxics(conn);
      if (!on) continue;
      for (const name of [...on.upstream, ...on.downstream]) active[name] = (active[name] ?? 0) + 1;
    }
    return { connections: this.#open.size, active };
  }

  get record(): boolean {
    return this.#record;
  }

  /** Record from now on (while running) and at every Start; off drops what was recorded. */
  setRecord(on: boolean): void {
    this.#record = on;
    if (!on) {
      this.#recorder?.detach();
      this.#recorder = null;
    } else if (this.#forwarder && this.#forwarder.state === 'running' && !this.#recorder) {
      this.#recorder = new Recorder(this.#forwarder, this.#upstream, this.#framing);
    }
  }

  /** Requests recorded so far in this run, while recording. */
  get recorded(): number | null {
    return this.#recorder ? this.#recorder.stats.requests : null;
  }

  /** Starts forwarding; the table sets the framing the log and the recording use (its rules are not used). */
  async start(settings: ServerSettings, table: CommandTable): Promise<ForwardStart> {
    if (this.running) return { ok: false, message: 'the listener is already running' };
    const target = checkForwardTarget(settings.forward);
    if (typeof target === 'string') return { ok: false, message: `forward to: ${target}` };
    for (const off of this.#unwire.splice(0)) off();
    this.#framing = framingConfigOf(resolveFraming(table.framing));
    this.#upstream = formatAddress(target.host, target.port);
    const forwarder = new Forwarder({ framer: displayFramerFor(this.#framing), toxics: this.#toxics });
    this.#forwarder = forwarder;
    this.#open.clear();
    this.#wire(forwarder);
    this.emit('forwarder', { forwarder });
    if (this.#record) this.#recorder = new Recorder(forwarder, this.#upstream, this.#framing);
    const started = await forwarder.start({ host: settings.host, port: settings.port, upstream: target });
    if (!started.ok) {
      this.#recorder?.detach();
      this.#recorder = null;
      return { ok: false, message: started.message };
    }
    return { ok: true, host: started.host, port: started.port, upstream: this.#upstream };
  }

  /** Closes the listener and every connection; with Record on, the recording comes as an event. */
  async stop(): Promise<{ closed: number; durationMs: number }> {
    const forwarder = this.#forwarder;
    if (!forwarder) return { closed: 0, durationMs: 0 };
    const report = await forwarder.stop();
    const recorder = this.#recorder;
    this.#recorder = null;
    if (recorder) {
      recorder.detach();
      this.emit('recording', { table: recorder.table(), stats: recorder.stats, upstream: this.#upstream });
    }
    return report;
  }

  #wire(forwarder: Forwarder): void {
    const draft = (d: ForwardDraft): void => this.emit('draft', d);
    this.#unwire.push(
      forwardDrafts(forwarder, draft, WINDOW_LABELS),
      forwarder.on('listening', (e) =>
        draft({
          at: e.at,
          conn: 0,
          remote: '',
          kind: 'listening',
          detail: `listening on ${formatAddress(e.host, e.port)}, forwarding to ${e.upstream}`,
        }),
      ),
      forwarder.on('stopped', (e) =>
        draft({
          at: e.at,
          conn: 0,
          remote: '',
          kind: 'stopped',
          detail: `stopped (${connections(e.closed)} closed)`,
        }),
      ),
      forwarder.on('chunk', (e) => {
        if (e.direction === 'client') this.traffic.bytesIn += e.bytes.length;
        else this.traffic.bytesOut += e.bytes.length;
      }),
      forwarder.on('open', (e) => {
        this.#open.add(e.conn);
        this.emit('connections', { active: this.#open.size });
      }),
      forwarder.on('close', (e) => {
        this.#open.delete(e.conn);
        this.emit('connections', { active: this.#open.size });
      }),
    );
  }
}
