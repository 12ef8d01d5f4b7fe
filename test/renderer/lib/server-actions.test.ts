import { describe, expect, it } from 'vitest';
import { serverActions } from '../../../renderer/src/lib/server-actions';
import { SERVER_ACTION_CASES } from './server-action-cases';

describe('serverActions', () => {
  it.each(SERVER_ACTION_CASES)(
    'when %s (waiting for %s): Start %s, Stop %s',
    (state, pending, start, stop) => {
      expect(serverActions(state, pending)).toEqual({ start, stop });
    },
  );
});
