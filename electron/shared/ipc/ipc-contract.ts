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
import type { TableIssue } from '../protocol/command-table.js';
import { trialRequestSchema, type TrialOutcome } from '../protocol/table-trial.js';
import { framingSchema } from '../protocol/table-framing.js';
import type { CommandsUpdate } from './commands-update.js';
import {
  apiRequest,
  connectionCloseRequest,
  connectionSendRequest,
  faultsRequest,
  recordRequest,
  type ApiOutcome,
  type ConnectionOutcome,
  type FaultsOutcome,
  type RecordingReady,
  type ToolsState,
} from './listener-tools.js';
import type {
  ClientEvent,
  ClientState,
  CommandsState,
  LogBatch,
  PreviousLog,
  RunLogPage,
  StatsUpdate,
  ServerStatus,
  SettingsState,
  Snapshot,
  StartOutcome,
  StopOutcome,
} from './models.js';
import {
  listenerAddRequest,
  listenerNameRequest,
  workspaceImportRequest,
  type ListenersOutcome,
  type ListenersStartOutcome,
  type ListenersState,
  type WorkspaceExport,
  type WorkspaceImportOutcome,
} from './window-listeners.js';

/** A table refused comes back with every issue, each naming its rule and field. */
export type ApplyTableOutcome =
  { ok: true; state: CommandsState } | { ok: false; issues: TableIssue[]; error: string };

export type SaveSettingsOutcome = { ok: true; settings: SettingsState } | { ok: false; error: string };

/** The durable log's retention: a file's size before it is rotated, and how many rotated files are kept. */
export interface LogRetentionChoice {
  maxBytes: number;
  keep: number;
}

export interface LogRetentionState {
  /** What settings.json holds, else the defaults. */
  chosen: LogRetentionChoice;
  defaults: LogRetentionChoice;
  /** What the running log uses: fixed at start (the command line's flags win over settings.json). */
  inUse: LogRetentionChoice;
}

export type SaveLogRetentionOutcome = { ok: true; state: LogRetentionState } | { ok: false; error: string };

export type ClientSendOutcome =
  /** `notice`: sent, with something to say (such as: not kept in the history). */
  { ok: true; state: ClientState; notice?: string } | { ok: false; error: string; state: ClientState };

/**
 * The shape of the settings as they cross IPC: right keys and types. Whether
 * the values make sense (a port in range, a known mode) is for the handler to
 * judge, because a bad value is the user's mistake and comes back as data,
 * while a malformed message is refused outright. So the handler is typed
 * with this shape, not with `ServerSettings`: it gets what was checked.
 */
const settingsShape = z
  .object({
    host: z.string().max(1000),
    port: z.number(),
    mode: z.string().max(100),
    maxConnections: z.number(),
    idleTimeoutSec: z.number(),
    maxLineBytes: z.number(),
    lineTimeoutSec: z.number().optional(),
    maxPerRemote: z.number().optional(),
    kind: z.string().max(100).optional(),
    forward: z.string().max(1000).optional(),
  })
  .strict();

/** Settings as the window sends them, before the handler has judged their values. */
export type SettingsRequest = z.output<typeof settingsShape>;

/**
 * A command table's outline: an object with a list of rules. What the table
 * says is checked by the handler, which answers with every issue, so the
 * window can show them next to the fields.
 */
const tableOutline = z.looseObject({ commands: z.array(z.unknown()).max(10_000) });

const clientSendShape = z
  .object({
    host: z.string().max(1000),
    port: z.number(),
    line: z.string().max(1024 * 1024),
    lineEnding: z.enum(['crlf', 'lf', 'cr', 'none']),
    /** How `line` is read (text when left out): see client-input.ts. */
    inputMode: z.enum(['text', 'hex', 'escapes']).optional(),
    /** How the client cuts what it receives (docs/framing.md); `lf` when left out. */
    framing: framingSchema.optional(),
    /** How to reach the target (docs/window.md): left out, a send keeps the open connection's. */
    transport: z.enum(['tcp', 'tls', 'udp']).optional(),
    /** For TLS: check the server's certificate (true when left out). */
    tlsVerify: z.boolean().optional(),
  })
  .strict();

/** What the client pane sends: a target and one line as typed; main decodes it and adds the line end. */
export type ClientSendRequest = z.output<typeof clientSendShape>;

/**
 * One window → main channel: the schema main checks the request against and,
 * as a type only, what the handler answers. The request type is the schema's
 * output, so a handler is typed with exactly what was validated.
 */
export interface InvokeSpec<S extends z.ZodType, R> {
  readonly request: S;
  /** Never set: carries the result type. */
  readonly result?: R;
}

/** `answers<Result>()(requestSchema)`: declares a channel (two calls, so the schema's type is inferred). */
function answers<R>() {
  return <S extends z.ZodType>(request: S): InvokeSpec<S, R> => ({ request });
}

const nothing = z.undefined();

/** Window → main, answered: every channel, declared once. */
const declarations = {
  'app:snapshot': answers<Snapshot>()(nothing),
  'server:start': answers<StartOutcome>()(settingsShape),
  'server:stop': answers<StopOutcome>()(nothing),
  'settings:save': answers<SaveSettingsOutcome>()(settingsShape),
  'client:send': answers<ClientSendOutcome>()(clientSendShape),
  'client:disconnect': answers<ClientState>()(nothing),
  'client:connect': answers<ClientSendOutcome>()(
    z
      .object({
        host: z.string().max(1000),
        port: z.number(),
        framing: framingSchema.optional(),
        transport: z.enum(['tcp', 'tls', 'udp']).optional(),
        tlsVerify: z.boolean().optional(),
      })
      .strict(),
  ),
  'client:clear': answers<ClientState>()(nothing),
  /** Checks a table and, if good, serves it at once (also while running) and saves it. */
  'commands:apply': answers<ApplyTableOutcome>()(tableOutline),
  'commands:savePreset': answers<ApplyTableOutcome>()(
    z.object({ name: z.string().max(200), table: tableOutline }).strict(),
  ),
  'commands:deletePreset': answers<ApplyTableOutcome>()(z.object({ name: z.string().max(200) }).strict()),
  'commands:clearInbox': answers<CommandsState>()(nothing),
  /** The rule tester: what the server would answer to some input with a table, without serving it. */
  'commands:try': answers<TrialOutcome>()(trialRequestSchema),
  /** The previous run's durable log, read back. */
  'log:previous': answers<PreviousLog>()(nothing),
  /**
   * Clears the log for every window: a reloaded one shows only rows after
   * this; main's ring and the log file keep them. Answers the seq cleared up to.
   */
  'log:clear': answers<LogCleared>()(nothing),
  /** Starts a new measurement: the counters (but the open connections) and the chart from zero. */
  'stats:reset': answers<StatsUpdate>()(nothing),
  /** The log retention chosen, in use and by default. */
  'log:retention': answers<LogRetentionState>()(nothing),
  /** Saves a log retention; the running log keeps its own until the next start. */
  'log:saveRetention': answers<SaveLogRetentionOutcome>()(
    z.object({ maxBytes: z.number(), keep: z.number() }).strict(),
  ),
  /**
   * This run's rows from the durable log, a page at a time: rows after
   * `afterSeq`, up to `untilSeq` (left out on the first page: main fixes it
   * then, at the newest row written, and every page carries it).
   */
  'log:runPage': answers<RunLogPage>()(
    z
      .object({
        afterSeq: z.number().int().min(0),
        untilSeq: z.number().int().min(0).optional(),
        /** The page before's `resume`: where to read on. */
        resume: z
          .object({ firstSeq: z.number().int().min(0), offset: z.number().int().min(0) })
          .strict()
          .optional(),
      })
      .strict(),
  ),
  /** The listener's faults, Record and control API (docs/window.md). */
  'tools:state': answers<ToolsState>()(nothing),
  /** Replaces the listener's toxics; open connections take them at once. */
  'faults:set': answers<FaultsOutcome>()(faultsRequest),
  /** Record on or off: a forwarding listener's recording opens in the editor when it stops. */
  'record:set': answers<ToolsState>()(recordRequest),
  /** Turns the control API (docs/api.md) on at HOST:PORT, or off. */
  'api:set': answers<ApiOutcome>()(apiRequest),
  /** Sends a line or bytes to one open connection, or to all; logged as replies. */
  'connection:send': answers<ConnectionOutcome>()(connectionSendRequest),
  /** Closes one open connection, as a closing rule would. */
  'connection:close': answers<ConnectionOutcome>()(connectionCloseRequest),
  /** The window's extra listeners (docs/window.md, "Listeners"). */
  'listeners:state': answers<ListenersState>()(nothing),
  /** Adds a stopped listener; a port left out is the next free one. */
  'listeners:add': answers<ListenersOutcome>()(listenerAddRequest),
  'listeners:remove': answers<ListenersOutcome>()(listenerNameRequest),
  'listeners:start': answers<ListenersStartOutcome>()(listenerNameRequest),
  'listeners:stop': answers<ListenersOutcome>()(listenerNameRequest),
  /** Starts every extra listener; one that fails does not hold up the others. */
  'listeners:startAll': answers<ListenersStartOutcome>()(nothing),
  'listeners:stopAll': answers<ListenersOutcome>()(nothing),
  /** The extra listeners as one workspace file (docs/listeners.md). */
  'listeners:export': answers<WorkspaceExport>()(nothing),
  /** Replaces the extra listeners with a workspace file's; refused whole, each problem placed. */
  'listeners:import': answers<WorkspaceImportOutcome>()(workspaceImportRequest),
};

/** The log was cleared up to and including `seq`. */
export interface LogCleared {
  seq: number;
}

type Declared = typeof declarations;
export type InvokeChannel = keyof Declared;
/** Every channel's request (its schema's output) and result, derived from the declarations above. */
export type InvokeMap = {
  [K in InvokeChannel]: {
    req: z.output<Declared[K]['request']>;
    res: Exclude<Declared[K]['result'], undefined>;
  };
};
export type InvokeRequest<K extends InvokeChannel> = InvokeMap[K]['req'];
export type InvokeResult<K extends InvokeChannel> = InvokeMap[K]['res'];

/**
 * The same declarations, typed as a map from channel to "a schema of
 * InvokeRequest<K>": indexed with a generic channel, TypeScript then knows
 * that channel K's schema parses into InvokeRequest<K>, so the dispatcher
 * hands its handler what was checked without a cast. The compiler checks
 * this annotation channel by channel.
 */
export const invokeChannels: {
  [K in InvokeChannel]: InvokeSpec<z.ZodType<InvokeRequest<K>>, InvokeResult<K>>;
} = declarations;

/** Main → window, pushed. */
export interface EventMap {
  'server:status': ServerStatus;
  /** New log rows and the counters after them; at most about 20 a second. */
  'log:batch': LogBatch;
  /** New transcript rows of the test client (only the new ones), and its connection state. */
  'client:batch': { events: ClientEvent[]; state: ClientState };
  /** The per-second series for the chart and the log file's health; at most 4 a second (counters come with log:batch). */
  'stats:update': StatsUpdate;
  /** The command table, presets or unknown-command inbox changed (what changed only); at most 4 a second. */
  'commands:state': CommandsUpdate;
  /** The app menu or a global shortcut asks the window to act as if its control was used. */
  'app:action': AppAction;
  /** The faults, Record or control API changed, or the connections the toxics act on. */
  'tools:state': ToolsState;
  /** A forwarding listener stopped with Record on: its recording, for the editor. */
  'recording:ready': RecordingReady;
  /** The extra listeners changed (state, connections); at most 4 a second. */
  'listeners:state': ListenersState;
}

/** What the app menu can ask of the window. */
export type AppAction = 'start' | 'stop' | 'focus-command';

export type EventChannel = keyof EventMap;

/** Every invoke channel, for allow-lists. */
export const INVOKE_CHANNELS = Object.keys(invokeChannels) as InvokeChannel[];

/** Every event channel, for allow-lists; the record makes a missing one a compile error. */
const eventChannelSet: { [K in EventChannel]: true } = {
  'server:status': true,
  'log:batch': true,
  'client:batch': true,
  'stats:update': true,
  'commands:state': true,
  'app:action': true,
  'tools:state': true,
  'recording:ready': true,
  'listeners:state': true,
};
export const EVENT_CHANNELS = Object.keys(eventChannelSet) as EventChannel[];

export function isInvokeChannel(channel: unknown): channel is InvokeChannel {
  return typeof channel === 'string' && Object.hasOwn(invokeChannels, channel);
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
  /**
   * Where the link to main can break (browser mode: the host process exits),
   * tells when it does; returns the function that stops listening. The
   * preload's bridge lives as long as the window and has none.
   */
  onDisconnect?(listener: (reason: string) => void): () => void;
  /** Opens the link again after a disconnect; resolves once it is open, rejects if it cannot be. */
  reconnect?(): Promise<void>;
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
