/**
 * Which of Start and Stop is enabled in each server state and pending
 * action: one table for the pure rule (server-actions.test.ts) and for the
 * buttons that show it (top-bar.test.tsx).
 */
import type { ServerState } from '../../../electron/shared/ipc/models';
import type { PendingAction } from '../../../renderer/src/hooks/use-switchboard';

/** [state, pending action, Start enabled, Stop enabled] */
export const SERVER_ACTION_CASES: [ServerState, PendingAction, boolean, boolean][] = [
  ['stopped', null, true, false],
  ['failed', null, true, false],
  ['starting', null, false, true],
  ['running', null, false, true],
  ['stopping', null, false, true],
  ['stopped', 'start', false, false],
  ['running', 'stop', false, false],
];
