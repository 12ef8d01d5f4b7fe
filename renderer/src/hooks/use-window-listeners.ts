/**
 * The window's extra listeners as the window sees them (docs/window.md,
 * "Listeners"): it asks main for the list once and then follows
 * `listeners:state`; every action answers with the list after it.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Bridge } from '../../../electron/shared/ipc/ipc-contract';
import type {
  ListenerAddRequest,
  ListenersState,
  WorkspaceExport,
} from '../../../electron/shared/ipc/window-listeners';
import { messageOf } from '../lib/format';
import type { ServerSettings } from '../../../electron/shared/protocol/settings';

/** What an action came to: nothing to say, or an error (with the problems of a refused import). */
export type ListenerActionResult =
  | {
      ok: true;
      /** An import that had `default`: the window's own listener's settings, for the form. */
      settings?: ServerSettings;
      /** What an import wants the user to know. */
      note?: string;
    }
  | { ok: false; error: string; problems?: string[] };

export interface WindowListenersApi {
  /** Null until main has answered. */
  state: ListenersState | null;
  add: (req: ListenerAddRequest) => Promise<ListenerActionResult>;
  remove: (name: string) => Promise<ListenerActionResult>;
  start: (name: string) => Promise<ListenerActionResult>;
  stop: (name: string) => Promise<ListenerActionResult>;
  startAll: () => Promise<ListenerActionResult>;
  stopAll: () => Promise<ListenerActionResult>;
  exportWorkspace: () => Promise<WorkspaceExport | null>;
  importWorkspace: (text: string) => Promise<ListenerActionResult>;
}

/** `reloadKey`: when it changes (the link to main came back), the list is asked for again. */
export function useWindowListeners(bridge: Bridge, reloadKey: unknown = null): WindowListenersApi {
  const [state, setState] = useState<ListenersState | null>(null);

  useEffect(() => {
    let live = true;
    let pushed = false;
    const off = bridge.on('listeners:state', (next) => {
      pushed = true;
      setState(next);
    });
    bridge.invoke('listeners:state').then(
      (answer) => live && !pushed && setState(answer),
      () => undefined,
    );
    return () => {
      live = false;
      off();
    };
  }, [bridge, reloadKey]);

  const run = useCallback(
    async (
      act: () => Promise<
        { state: ListenersState } & (
          | { ok: true; settings?: ServerSettings; note?: string }
          | { ok: false; error: string; problems?: string[] }
          | { failed: { name: string; error: string }[] }
        )
      >,
    ): Promise<ListenerActionResult> => {
      try {
        const outcome = await act();
        setState(outcome.state);
        // A listener that could not start shows its error in its own item (the state says it).
        if ('failed' in outcome) return { ok: true };
        if (outcome.ok)
          return {
            ok: true,
            ...(outcome.settings ? { settings: outcome.settings } : {}),
            ...(outcome.note ? { note: outcome.note } : {}),
          };
        return {
          ok: false,
          error: outcome.error,
          ...(outcome.problems ? { problems: outcome.problems } : {}),
        };
      } catch (e) {
        return { ok: false, error: messageOf(e) };
      }
    },
    [],
  );

  const add = useCallback(
    (req: ListenerAddRequest) => run(() => bridge.invoke('listeners:add', req)),
    [bridge, run],
  );
  const remove = useCallback(
    (name: string) => run(() => bridge.invoke('listeners:remove', { name })),
    [bridge, run],
  );
  const start = useCallback(
    (name: string) => run(() => bridge.invoke('listeners:start', { name })),
    [bridge, run],
  );
  const stop = useCallback(
    (name: string) => run(() => bridge.invoke('listeners:stop', { name })),
    [bridge, run],
  );
  const startAll = useCallback(() => run(() => bridge.invoke('listeners:startAll')), [bridge, run]);
  const stopAll = useCallback(() => run(() => bridge.invoke('listeners:stopAll')), [bridge, run]);
  const importWorkspace = useCallback(
    (text: string) => run(() => bridge.invoke('listeners:import', { text })),
    [bridge, run],
  );
  const exportWorkspace = useCallback(async (): Promise<WorkspaceExport | null> => {
    try {
      return await bridge.invoke('listeners:export');
    } catch {
      return null;
    }
  }, [bridge]);

  return { state, add, remove, start, stop, startAll, stopAll, exportWorkspace, importWorkspace };
}
