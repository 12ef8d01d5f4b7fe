/**
 * The listener's tools as the window sees them (docs/window.md): faults,
 * Record, the control API switch, and sending to or closing a connection.
 * It asks main for their state once and then follows `tools:state`; a
 * recording arrives on `recording:ready` and goes to whoever listens.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Bridge } from '../../../electron/shared/ipc/ipc-contract';
import type {
  ApiOutcome,
  ConnectionOutcome,
  ConnectionSendRequest,
  FaultsOutcome,
  RecordingReady,
  ToolsState,
} from '../../../electron/shared/ipc/listener-tools';
import type { ToxicField } from '../../../electron/shared/protocol/toxics';
import { messageOf } from '../lib/format';

export interface ListenerTools {
  /** Null until main has answered. */
  state: ToolsState | null;
  /** Why the last request failed to reach main. */
  error: string | null;
  setFaults: (toxics: readonly ToxicField[]) => Promise<FaultsOutcome | null>;
  setRecord: (on: boolean) => Promise<void>;
  setApi: (on: boolean, host: string, port: number) => Promise<ApiOutcome | null>;
  send: (request: ConnectionSendRequest) => Promise<ConnectionOutcome>;
  closeConnection: (conn: number) => Promise<ConnectionOutcome>;
}

/**
 * `reloadKey`: when it changes (the link to main came back), the state is
 * asked for again, since what was pushed meanwhile never arrived.
 */
export function useListenerTools(
  bridge: Bridge,
  onRecording: (recording: RecordingReady) => void,
  reloadKey: unknown = null,
): ListenerTools {
  const [state, setState] = useState<ToolsState | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The newest handler, without re-subscribing every render.
  const recordingHandler = useRef(onRecording);
  useEffect(() => {
    recordingHandler.current = onRecording;
  }, [onRecording]);

  useEffect(() => {
    let live = true;
    // A state pushed after the question was asked is newer than the answer.
    let pushed = false;
    const offs = [
      bridge.on('tools:state', (next) => {
        pushed = true;
        setState(next);
      }),
      bridge.on('recording:ready', (recording) => recordingHandler.current(recording)),
    ];
    bridge.invoke('tools:state').then(
      (answer) => live && !pushed && setState(answer),
      (e: unknown) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
      for (const off of offs) off();
    };
  }, [bridge, reloadKey]);

  const setFaults = useCallback(
    async (toxics: readonly ToxicField[]): Promise<FaultsOutcome | null> => {
      try {
        const outcome = await bridge.invoke('faults:set', { toxics: [...toxics] });
        setState(outcome.state);
        setError(null);
        return outcome;
      } catch (e) {
        setError(messageOf(e));
        return null;
      }
    },
    [bridge],
  );

  const setRecord = useCallback(
    async (on: boolean): Promise<void> => {
      try {
        setState(await bridge.invoke('record:set', { on }));
        setError(null);
      } catch (e) {
        setError(messageOf(e));
      }
    },
    [bridge],
  );

  const setApi = useCallback(
    async (on: boolean, host: string, port: number): Promise<ApiOutcome | null> => {
      try {
        const outcome = await bridge.invoke('api:set', { on, host, port });
        setState(outcome.state);
        setError(null);
        return outcome;
      } catch (e) {
        setError(messageOf(e));
        return null;
      }
    },
    [bridge],
  );

  const send = useCallback(
    async (request: ConnectionSendRequest): Promise<ConnectionOutcome> => {
      try {
        return await bridge.invoke('connection:send', request);
      } catch (e) {
        return { ok: false, error: messageOf(e) };
      }
    },
    [bridge],
  );

  const closeConnection = useCallback(
    async (conn: number): Promise<ConnectionOutcome> => {
      try {
        return await bridge.invoke('connection:close', { conn });
      } catch (e) {
        return { ok: false, error: messageOf(e) };
      }
    },
    [bridge],
  );

  return { state, error, setFaults, setRecord, setApi, send, closeConnection };
}
