/**
 * The window's one connection to main: listens to pushed events, loads the
 * snapshot, and offers the actions the window can take.
 *
 * It takes the bridge as an argument so tests can hand it a fake one.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type {
  AppAction,
  Bridge,
  ClientSendOutcome,
  ClientSendRequest,
  InvokeRequest,
  SaveSettingsOutcome,
} from '../../../electron/shared/ipc/ipc-contract';
import type { PreviousLog, RunLogPage } from '../../../electron/shared/ipc/models';
import type { ServerSettings } from '../../../electron/shared/protocol/settings';
import { messageOf } from '../lib/format';
import { INITIAL_STATE, switchboardReducer, type SwitchboardState } from './switchboard-state';

/** The server action waiting for main's answer, if any ('disconnected': none can be asked). */
export type PendingAction = 'start' | 'stop' | 'disconnected' | null;

export interface Switchboard extends SwitchboardState {
  /** Why the snapshot could not be loaded; `retry` tries again. */
  loadError: string | null;
  /** A request main did not answer (the bridge went away); shown until dismissed. */
  bridgeError: string | null;
  pending: PendingAction;
  retry: () => void;
  start: (settings: ServerSettings) => Promise<void>;
  stop: () => Promise<void>;
  saveSettings: (settings: ServerSettings) => Promise<SaveSettingsOutcome>;
  send: (request: ClientSendRequest) => Promise<ClientSendOutcome>;
  /** Connects the test client; `framing` says how it cuts what it receives. */
  connect: (target: InvokeRequest<'client:connect'>) => Promise<ClientSendOutcome>;
  disconnect: () => Promise<void>;
  clearTranscript: () => Promise<void>;
  /**
   * Empties the connection log of every window, and of a reloaded one: main
   * remembers where it was cleared; its log file keeps every row.
   */
  clearLog: () => void;
  /** Starts a new measurement: the counters and the chart from zero. */
  resetStats: () => void;
  /** Why the link to main broke (browser mode: the host exited), or null; `reconnect` tries again. */
  disconnected: string | null;
  reconnect: () => Promise<void>;
  /** Forgets a failed start's message, when a new Start is refused for a different reason. */
  dismissFailure: () => void;
  /** The previous run's log, read back from its file. */
  loadPreviousLog: () => Promise<PreviousLog>;
  /** This run's rows from the durable log, a page at a time (see log-reader.ts). */
  readRunPage: (req: InvokeRequest<'log:runPage'>) => Promise<RunLogPage>;
  /** Listens to Start, Stop and Focus command from the app menu; returns the unsubscribe. */
  onAppAction: (listener: (action: AppAction) => void) => () => void;
  dismissBridgeError: () => void;
}

export function useSwitchboard(bridge: Bridge): Switchboard {
  const [state, dispatch] = useReducer(switchboardReducer, INITIAL_STATE);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [bridgeError, setBridgeError] = useState<string | null>(null);
  const [pending, setPending] = useState<PendingAction>(null);
  const [attempt, setAttempt] = useState(0);
  const [disconnected, setDisconnected] = useState<string | null>(null);

  useEffect(() => bridge.onDisconnect?.((reason) => setDisconnected(reason)), [bridge]);

  useEffect(() => {
    let live = true;
    // Listen first, then ask: anything pushed while the snapshot is on its way is kept and merged.
    const unsubscribe = [
      bridge.on('server:status', (status) => dispatch({ type: 'status', status })),
      bridge.on('log:batch', (batch) => dispatch({ type: 'log-batch', batch })),
      bridge.on('client:batch', ({ events, state: client }) =>
        dispatch({ type: 'client-batch', events, state: client }),
      ),
      // Log batches carry the counters too, but only when something was logged; these come regardless.
      bridge.on('stats:update', ({ stats, series, logProblem, logRetention }) =>
        dispatch({
          type: 'stats',
          stats,
          series,
          ...(logProblem ? { logProblem } : {}),
          ...(logRetention ? { logRetention } : {}),
        }),
      ),
      bridge.on('commands:state', (update) => dispatch({ type: 'commands', update })),
    ];
    bridge.invoke('app:snapshot').then(
      (snapshot) => {
        if (live) dispatch({ type: 'snapshot', snapshot });
      },
      (error: unknown) => {
        if (live) setLoadError(messageOf(error));
      },
    );
    return () => {
      live = false;
      for (const off of unsubscribe) off();
    };
  }, [bridge, attempt]);

  const retry = useCallback(() => {
    setLoadError(null);
    setAttempt((n) => n + 1);
  }, []);

  // A ref, not the pending state: a shortcut and a menu click in the same tick must not both go through.
  const inFlight = useRef(false);
  const start = useCallback(
    async (settings: ServerSettings) => {
      if (inFlight.current) return;
      inFlight.current = true;
      setPending('start');
      try {
        // A failed start is data: its status carries the message the status line shows.
        const outcome = await bridge.invoke('server:start', settings);
        dispatch({ type: 'status', status: outcome.status });
      } catch (error) {
        setBridgeError(`Start failed: ${messageOf(error)}`);
      } finally {
        inFlight.current = false;
        setPending(null);
      }
    },
    [bridge],
  );

  const stop = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setPending('stop');
    try {
      const outcome = await bridge.invoke('server:stop');
      dispatch({ type: 'status', status: outcome.status });
    } catch (error) {
      setBridgeError(`Stop failed: ${messageOf(error)}`);
    } finally {
      inFlight.current = false;
      setPending(null);
    }
  }, [bridge]);

  const saveSettings = useCallback(
    async (settings: ServerSettings): Promise<SaveSettingsOutcome> => {
      try {
        return await bridge.invoke('settings:save', settings);
      } catch (error) {
        return { ok: false, error: messageOf(error) };
      }
    },
    [bridge],
  );

  const { client } = state;
  const send = useCallback(
    async (request: ClientSendRequest): Promise<ClientSendOutcome> => {
      try {
        const outcome = await bridge.invoke('client:send', request);
        dispatch({ type: 'client-state', state: outcome.state });
        return outcome;
      } catch (error) {
        return { ok: false, error: messageOf(error), state: client };
      }
    },
    [bridge, client],
  );

  const connect = useCallback(
    async (target: InvokeRequest<'client:connect'>): Promise<ClientSendOutcome> => {
      try {
        const outcome = await bridge.invoke('client:connect', target);
        dispatch({ type: 'client-state', state: outcome.state });
        return outcome;
      } catch (error) {
        return { ok: false, error: messageOf(error), state: client };
      }
    },
    [bridge, client],
  );

  const disconnect = useCallback(async () => {
    try {
      dispatch({ type: 'client-state', state: await bridge.invoke('client:disconnect') });
    } catch (error) {
      setBridgeError(`Disconnect failed: ${messageOf(error)}`);
    }
  }, [bridge]);

  const clearTranscript = useCallback(async () => {
    // Cleared here at once; main forgets its copy too, so a reload does not bring the lines back.
    dispatch({ type: 'clear-transcript' });
    try {
      dispatch({ type: 'client-state', state: await bridge.invoke('client:clear') });
    } catch (error) {
      setBridgeError(`Clear failed: ${messageOf(error)}`);
    }
  }, [bridge]);
  const clearLog = useCallback(() => {
    dispatch({ type: 'clear-log' });
    bridge.invoke('log:clear').then(
      ({ seq }) => dispatch({ type: 'log-cleared', seq }),
      (error: unknown) => setBridgeError(`Clear failed: ${messageOf(error)}`),
    );
  }, [bridge]);
  const resetStats = useCallback(() => {
    bridge.invoke('stats:reset').then(
      ({ stats, series }) => dispatch({ type: 'stats', stats, series }),
      (error: unknown) => setBridgeError(`Reset failed: ${messageOf(error)}`),
    );
  }, [bridge]);
  const reconnect = useCallback(async () => {
    try {
      await bridge.reconnect?.();
      setDisconnected(null);
      // Everything may have changed meanwhile: load the snapshot again.
      setAttempt((n) => n + 1);
    } catch {
      setDisconnected('it is still not reachable');
    }
  }, [bridge]);
  const dismissFailure = useCallback(() => dispatch({ type: 'dismiss-failure' }), []);
  const loadPreviousLog = useCallback(() => bridge.invoke('log:previous'), [bridge]);
  const readRunPage = useCallback(
    (req: InvokeRequest<'log:runPage'>) => bridge.invoke('log:runPage', req),
    [bridge],
  );
  const onAppAction = useCallback(
    (listener: (action: AppAction) => void) => bridge.on('app:action', listener),
    [bridge],
  );
  const dismissBridgeError = useCallback(() => setBridgeError(null), []);

  return {
    ...state,
    loadError,
    bridgeError,
    pending,
    retry,
    start,
    stop,
    saveSettings,
    send,
    connect,
    disconnect,
    clearTranscript,
    clearLog,
    resetStats,
    disconnected,
    reconnect,
    dismissFailure,
    loadPreviousLog,
    readRunPage,
    onAppAction,
    dismissBridgeError,
  };
}
