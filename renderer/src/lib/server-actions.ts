/**
 * Which of Start and Stop can be used now: the top bar's buttons, the
 * keyboard shortcuts and the app menu's actions all follow this.
 */
import type { ServerState } from '../../../electron/shared/ipc/models';
import type { PendingAction } from '../hooks/use-switchboard';

export function serverActions(state: ServerState, pending: PendingAction): { start: boolean; stop: boolean } {
  // While main is still answering a Start or Stop (or cannot be reached), neither may be used.
  return {
    start: pending === null && (state === 'stopped' || state === 'failed'),
    stop: pending === null && (state === 'running' || state === 'starting' || state === 'stopping'),
  };
}
