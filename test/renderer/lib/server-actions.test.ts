import { describe, expect, it } from 'vitest';
import type { ServerState } from '../../../electron/shared/ipc/models';
import type { PendingAction } from '../../../renderer/src/hooks/use-switchboard';
import { serverActions } from '../../../renderer/src/lib/server-actions';

describe('serverActions', () => {
  it.each<[ServerState, PendingAction, boolean, boolean]>([
    ['stopped', null, true, false],
    ['failed', null, true, false],
    ['starting', null, false, true],
    ['running', null, false, true],
    ['stopping', null, false, true],
    ['stopped', 'start', false, false],
    ['running', 'stop', false, false],
  ])('when %s (waiting for %s): Start %s, Stop %s', (state, pending, start, stop) => {
    expect(serverActions(state, pending)).toEqual({ start, stop });
  });
});
