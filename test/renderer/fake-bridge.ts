/**
 * A stand-in for the preload's bridge: records every invoke, answers with
 * canned results, and lets a test push events as main would.
 */
import type { ToolsState } from '../../electron/shared/ipc/listener-tools';
import { act } from '@testing-library/react';
import type {
  Bridge,
  EventChannel,
  EventMap,
  InvokeArgs,
  InvokeChannel,
  InvokeRequest,
  InvokeResult,
} from '../../electron/shared/ipc/ipc-contract';
import { CLASSIC_TABLE } from '../../electron/shared/protocol/command-table';
import type {
  ClientEvent,
  ClientEventKind,
  ClientState,
  LogKind,
  LogRecord,
  ServerStats,
  ServerStatus,
  Snapshot,
} from '../../electron/shared/ipc/models';
import { EMPTY_STATS } from '../../electron/shared/ipc/models';
import { DEFAULT_SETTINGS, serverSettingsSchema } from '../../electron/shared/protocol/settings';

export interface RecordedInvoke {
  channel: InvokeChannel;
  payload: unknown;
}

type Answer<K extends InvokeChannel> = (req: InvokeRequest<K>) => InvokeResult<K> | Promise<InvokeResult<K>>;
type Answers = { [K in InvokeChannel]?: Answer<K> };
type Listener = (payload: never) => void;

export interface FakeBridge {
  bridge: Bridge;
  /** Every invoke, oldest first. */
  invokes: RecordedInvoke[];
  /** `on:CHANNEL` and `invoke:CHANNEL`, in the order the window made them. */
  calls: string[];
  /** The payloads of every invoke on one channel. */
  requests<K extends InvokeChannel>(channel: K): InvokeRequest<K>[];
  /** Pushes an event to the window's listeners, inside act() so React settles. */
  emit<K extends EventChannel>(channel: K, payload: EventMap[K]): void;
  listenerCount(channel: EventChannel): number;
  /** Replaces the canned answer of a channel. */
  answer<K extends InvokeChannel>(channel: K, answer: Answer<K>): void;
}

export const RUNNING: ServerStatus = {
  state: 'running',
  host: '127.0.0.1',
  port: 31310,
  text: 'Running on 127.0.0.1:31310',
};

export const STOPPED: ServerStatus = { state: 'stopped', host: '', port: 0, text: 'Stopped' };

export function stats(overrides: Partial<ServerStats> = {}): ServerStats {
  return { ...EMPTY_STATS, ...overrides };
}

export function logEntry(seq: number, overrides: Partial<LogRecord> = {}): LogRecord {
  const kind: LogKind = overrides.kind ?? 'line';
  return {
    seq,
    at: Date.UTC(2025, 0, 2, 3, 4, 5) + seq,
    conn: 1,
    remote: '127.0.0.1:50001',
    kind,
    detail: `detail ${seq}`,
    ...overrides,
  };
}

export function clientEvent(seq: number, kind: ClientEventKind, text: string): ClientEvent {
  return { seq, at: Date.UTC(2025, 0, 2, 3, 4, 5) + seq, kind, text };
}

export function clientState(overrides: Partial<ClientState> = {}): ClientState {
  return { connected: false, target: null, ...overrides };
}

export function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    status: STOPPED,
    stats: stats(),
    series: { end: 0, connections: [], commands: [] },
    recent: [],
    settings: { settings: { ...DEFAULT_SETTINGS } },
    client: clientState(),
    clientHistory: [],
    transcript: [],
    commands: { table: CLASSIC_TABLE, presets: [], inbox: [] },
    logFile: '/tmp/switchboard/log.jsonl',
    ...overrides,
  };
}

/** The listener tools as main has them at start: no faults, Record and the API off. */
export const TOOLS_STATE: ToolsState = {
  faults: { toxics: [], acting: false, connections: 0, active: {} },
  record: { on: false, requests: null },
  api: { on: false, host: '127.0.0.1', port: 8474, address: null },
};

/** The durable log's default retention: 25 MiB files, 5 kept. */
export const LOG_DEFAULTS = { maxBytes: 25 * 1024 * 1024, keep: 5 };

export function createFakeBridge(initial: Snapshot = snapshot(), answers: Answers = {}): FakeBridge {
  const listeners = new Map<EventChannel, Set<Listener>>();
  const invokes: RecordedInvoke[] = [];
  const calls: string[] = [];
  const table: Answers = {
    'app:snapshot': () => initial,
    'server:start': (settings) => ({
      ok: true,
      status: {
        state: 'running',
        host: settings.host,
        port: settings.port,
        text: `Running on ${settings.host}:${settings.port}`,
      },
    }),
    'server:stop': () => ({ closed: 0, durationMs: 1, status: STOPPED }),
    'settings:save': (settings) => ({
      ok: true,
      settings: { settings: serverSettingsSchema.parse(settings) },
    }),
    'client:send': (req) => ({
      ok: true,
      state: clientState({
        connected: true,
        target: { host: req.host, port: req.port },
      }),
    }),
    'client:disconnect': () => clientState(),
    'client:clear': () => clientState(),
    'client:connect': (target) => ({ ok: true, state: clientState({ connected: true, target }) }),
    'log:previous': () => ({ files: [], entries: [], truncated: 0 }),
    'log:clear': () => ({ seq: 0 }),
    'stats:reset': () => ({ stats: stats(), series: { end: 0, connections: [], commands: [] } }),
    'log:retention': () => ({ chosen: LOG_DEFAULTS, defaults: LOG_DEFAULTS, inUse: LOG_DEFAULTS }),
    'log:saveRetention': (chosen) => ({
      ok: true,
      state: { chosen, defaults: LOG_DEFAULTS, inUse: LOG_DEFAULTS },
    }),
    'tools:state': () => TOOLS_STATE,
    'faults:set': () => ({ ok: true, state: TOOLS_STATE }),
    'record:set': ({ on }) => ({ ...TOOLS_STATE, record: { on, requests: null } }),
    'api:set': () => ({ ok: true, state: TOOLS_STATE }),
    'connection:send': () => ({ ok: true, sent: 1 }),
    'connection:close': () => ({ ok: true, sent: 0 }),
    'listeners:state': () => ({ listeners: [], file: '/data/workspace.json' }),
    ...answers,
  };

  const bridge: Bridge = {
    async invoke<K extends InvokeChannel>(channel: K, ...args: InvokeArgs<K>): Promise<InvokeResult<K>> {
      invokes.push({ channel, payload: args[0] });
      calls.push(`invoke:${channel}`);
      const answer = table[channel];
      if (!answer) throw new Error(`no answer for ${channel}`);
      // A channel without a request has no argument: its answer ignores it.
      return answer(args[0] as InvokeRequest<K>);
    },
    on<K extends EventChannel>(channel: K, listener: (payload: EventMap[K]) => void): () => void {
      calls.push(`on:${channel}`);
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };

  return {
    bridge,
    invokes,
    calls,
    requests<K extends InvokeChannel>(channel: K): InvokeRequest<K>[] {
      return invokes.filter((i) => i.channel === channel).map((i) => i.payload as InvokeRequest<K>);
    },
    emit(channel, payload) {
      act(() => {
        for (const l of listeners.get(channel) ?? []) l(payload as never);
      });
    },
    listenerCount(channel) {
      return listeners.get(channel)?.size ?? 0;
    },
    answer(channel, answer) {
      (table as Record<string, unknown>)[channel] = answer;
    },
  };
}
