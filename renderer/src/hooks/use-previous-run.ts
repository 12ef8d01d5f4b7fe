/**
 * The previous run's log, read back on request and shown instead of the
 * live log until the user goes back.
 */
import { useCallback, useState } from 'react';
import type { PreviousLog } from '../../../electron/shared/ipc/models';
import { messageOf } from '../lib/format';

export type PreviousRun =
  | { state: 'closed' }
  | { state: 'loading' }
  | { state: 'shown'; log: PreviousLog }
  | { state: 'failed'; error: string };

export interface PreviousRunApi {
  run: PreviousRun;
  open: () => void;
  close: () => void;
}

export function usePreviousRun(load: () => Promise<PreviousLog>): PreviousRunApi {
  const [run, setRun] = useState<PreviousRun>({ state: 'closed' });
  const open = useCallback(() => {
    setRun({ state: 'loading' });
    load().then(
      // A late answer must not reopen a view the user has already left.
      (log) => setRun((r) => (r.state === 'loading' ? { state: 'shown', log } : r)),
      (error: unknown) =>
        setRun((r) => (r.state === 'loading' ? { state: 'failed', error: messageOf(error) } : r)),
    );
  }, [load]);
  const close = useCallback(() => setRun({ state: 'closed' }), []);
  return { run, open, close };
}
