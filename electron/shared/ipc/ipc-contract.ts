/**
 * The one IPC contract between main and the window.
 *
 * Every channel is declared here once, with its payload types and the schema
 * main checks incoming payloads against. The preload's bridge, the handler
 * table main must implement in full, the runtime allow-lists and the
 * browser-mode socket are all derived from these declarations, so a channel
 * cannot be added, removed or retyped on one side only.
 */
import { z } from 'zod';
import type { CommandTable, TableIssue } from '../protocol/command-table.js';
import type {
  ClientEvent,
  ClientState,
  ClientTarget,
  CommandsState,
  LogBatch,
  PreviousLog,
  StatsUpdate,
  ServerStatus,
  SettingsState,
  Snapshot,
  StartOutcome,
  StopOutcome,
} from './models.js';
import type { ServerSettings } from '../protocol/settings.js';

/** What the client pane sends: a target and one line; main adds the line end. */
export interface ClientSendRequest {
  host: string;
  port: number;
  line: string;
  lineEnding: 'crlf' | 'lf' | 'none';
}

export type ClientSendOutcome =
  { ok: true; state: ClientState } | { ok: false; error: string; state: ClientState };

/** A table refused comes back with every issue, each naming its rule and field. */
export type ApplyTableOutcome =
  { ok: true; state: CommandsState } | { ok: false; issues: TableIssue[]; error: string };

export type SaveSettingsOutcome = { ok: true; settings: SettingsState } | { ok: false; error: string };

/** Window → main, answered. */
export interface InvokeMap {
  'app:snapshot': { req: undefined; res: Snapshot };
  'server:start': { req: ServerSettings; res: StartOutcome };
  'server:stop': { req: undefined; res: StopOutcome };
  'settings:save': { req: ServerSettings; res: SaveSettingsOutcome };
  'client:send': { req: ClientSendRequest; res: ClientSendOutcome };
  'client:disconnect': { req: undefined; res: ClientState };
  'client:connect': { req: ClientTarget; res: ClientSendOutcome };
  'client:clear': { req: undefined; res: ClientState };
  /** Checks a table and, if good, serves it at once (also while running) and saves it. */
  'commands:apply': { req: CommandTable; res: ApplyTableOutcome };
  'commands:savePreset': { req: { name: string; table: CommandTable }; res: ApplyTableOutcome };
  'commands:deletePreset': { req: { name: string }; res: ApplyTableOutcome };
  'commands:clearInbox': { req: undefined; res: CommandsState };
  /** The previous run's durable log, read back. */
  'log:previous': { req: undefined; res: PreviousLog };
}

/** Main → window, pushed. */
export interface EventMap {
  'server:status': ServerStatus;
  /** New log rows and the counters after them; at most about 20 a second. */
  'log:batch': LogBatch;
  /** New transcript lines of the test client, and its connection state. */
  'client:batch': { events: ClientEvent[]; state: ClientState };
  /** The counters and the per-second series for the chart; at most 4 a second. */
  'stats:update': StatsUpdate;
  /** The command table, presets or unknown-command inbox changed; at most 4 a second. */
  'commands:state': CommandsState;
  /** The app menu or a global shortcut asks the window to act as if its control was used. */
  'app:action': AppAction;
}

/** What the app menu can ask of the window. */
export type AppAction = 'start' | 'stop' | 'focus-command';

export type InvokeChannel = keyof InvokeMap;
export type EventChannel = keyof EventMap;
export type InvokeRequest<K extends InvokeChannel> = InvokeMap[K]['req'];
export type InvokeResult<K extends InvokeChannel> = InvokeMap[K]['res'];

/**
 * The shape of the settings as they cross IPC: right keys and types. Whether
 * the values make sense (a port in range, a host without spaces) is for the
 * handler to judge, because a bad value is the user's mistake and comes back
 * as data, while a malformed message is refused outright.
 */
const settingsShape = z
  .object({
    host: z.string().max(1000),
    port: z.number(),
    mode: z.string().max(100),
    maxConnections: z.number(),
    idleTimeoutSec: z.number(),
    maxLineBytes: z.number(),
    // Added later: a window that does not send them gets the defaults.
    lineTimeoutSec: z.number().optional(),
    maxPerRemote: z.number().optional(),
  })
  .strict();

/** A command table's outline: an object with a list of rules. */
const tableOutline = z.looseObject({ commands: z.array(z.unknown()).max(10_000) });

/** Runtime checks for every invoke channel's payload; its keys are the allow-list. */
export const invokeSchemas = {
  'app:snapshot': z.undefined(),
  'server:start': settingsShape,
  'server:stop': z.undefined(),
  'settings:save': settingsShape,
  'client:send': z
    .object({
      host: z.string().max(1000),
      port: z.number(),
      line: z.string().max(1024 * 1024),
      lineEnding: z.enum(['crlf', 'lf', 'none']),
    })
    .strict(),
  'client:disconnect': z.undefined(),
  'client:connect': z.object({ host: z.string().max(1000), port: z.number() }).strict(),
  'client:clear': z.undefined(),
  // Only the outline is checked here: what the table says is checked by the
  // handler, which answers with every issue, so the window can show them.
  'commands:apply': tableOutline,
  'commands:savePreset': z.object({ name: z.string().max(200), table: tableOutline }).strict(),
  'commands:deletePreset': z.object({ name: z.string().max(200) }).strict(),
  'commands:clearInbox': z.undefined(),
  'log:previous': z.undefined(),
} satisfies { [K in InvokeChannel]: z.ZodType };

/** Every invoke channel, for allow-lists. */
export const INVOKE_CHANNELS = Object.keys(invokeSchemas) as InvokeChannel[];

/** Every event channel, for allow-lists; the record makes a missing one a compile error. */
const eventChannelSet: { [K in EventChannel]: true } = {
  'server:status': true,
  'log:batch': true,
  'client:batch': true,
  'stats:update': true,
  'commands:state': true,
  'app:action': true,
};
export const EVENT_CHANNELS = Object.keys(eventChannelSet) as EventChannel[];

export function isInvokeChannel(channel: unknown): channel is InvokeChannel {
  return typeof channel === 'string' && Object.hasOwn(invokeSchemas, channel);
}

export function isEventChannel(channel: unknown): channel is EventChannel {
  return typeof channel === 'string' && Object.hasOwn(eventChannelSet, channel);
}

/** What main implements: one handler per invoke channel, no more, no fewer. */
export type Handlers = {
  [K in InvokeChannel]: (req: InvokeRequest<K>) => Promise<InvokeResult<K>>;
};

/** Arguments of an invoke: none for channels whose request is `undefined`. */
export type InvokeArgs<K extends InvokeChannel> =
  InvokeRequest<K> extends undefined ? [] : [InvokeRequest<K>];

/**
 * What the window gets, from the preload in the desktop app or from the
 * browser-mode socket; the renderer cannot tell them apart.
 */
export interface Bridge {
  invoke<K extends InvokeChannel>(channel: K, ...args: InvokeArgs<K>): Promise<InvokeResult<K>>;
  /** Listens to an event channel; returns the function that stops listening. */
  on<K extends EventChannel>(channel: K, listener: (payload: EventMap[K]) => void): () => void;
}

/** The name the preload exposes the bridge under (`window.switchboard`). */
export const BRIDGE_KEY = 'switchboard';

/** Sends one event to whoever listens: a window, a browser tab. */
export type EventSink = <K extends EventChannel>(channel: K, payload: EventMap[K]) => void;

/** Messages of the browser-mode socket, which carries the same channels. */
export type SocketRequest = { id: number; channel: string; payload?: unknown };
export type SocketMessage =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string }
  | { event: EventChannel; payload: unknown };
