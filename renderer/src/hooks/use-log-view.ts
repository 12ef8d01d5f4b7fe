/**
 * What the connection log shows: the filters as typed, the rows that pass
 * them, and whether the view is paused.
 *
 * Pausing freezes the rows on screen (the same array, nothing copied), so
 * they hold still to be read however fast new ones arrive; the rows that
 * came since, and would pass the filters, are counted for the "N new"
 * marker. Resuming shows them.
 */
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import type { LogEntry } from '../../../electron/shared/ipc/models';
import {
  countNewer,
  createIncrementalFilter,
  isFiltering,
  parseConnection,
  type LogFilter,
} from '../lib/log-filter';

export interface LogView {
  kinds: string;
  connText: string;
  /** Why the Connection field cannot be read; its filter is ignored meanwhile. */
  connError: string | null;
  search: string;
  setKinds: (value: string) => void;
  setConnText: (value: string) => void;
  setSearch: (value: string) => void;
  /** One listener's rows, or null for all (docs/window.md, "Listeners"). */
  listener: string | null;
  setListener: (value: string | null) => void;
  filter: LogFilter;
  filtering: boolean;
  /** The rows to show, oldest first. */
  rows: readonly LogEntry[];
  paused: boolean;
  /** Rows that arrived while paused and pass the filters. */
  newCount: number;
  pause: () => void;
  resume: () => void;
}

interface Frozen {
  rows: readonly LogEntry[];
  /** The newest seq when paused; rows after it are "new". */
  seq: number;
}

export function useLogView(live: readonly LogEntry[]): LogView {
  const [kinds, setKinds] = useState('all');
  const [connText, setConnText] = useState('');
  const [search, setSearch] = useState('');
  const [listener, setListener] = useState<string | null>(null);
  const [frozen, setFrozen] = useState<Frozen | null>(null);
  // Typing stays responsive while 50,000 rows are filtered behind it.
  const deferredSearch = useDeferredValue(search);
  const conn = parseConnection(connText);
  const connFilter = conn.ok ? conn.conn : null;
  const filter = useMemo<LogFilter>(
    () => ({ kinds, conn: connFilter, search: deferredSearch, listener }),
    [kinds, connFilter, deferredSearch, listener],
  );
  const [filterRows] = useState(createIncrementalFilter);
  const source = frozen ? frozen.rows : live;
  const rows = useMemo(() => filterRows(source, filter), [filterRows, source, filter]);
  const newCount = useMemo(() => (frozen ? countNewer(live, frozen.seq, filter) : 0), [frozen, live, filter]);

  const pause = useCallback(() => {
    setFrozen((f) => f ?? { rows: live, seq: live[live.length - 1]?.seq ?? 0 });
  }, [live]);
  const resume = useCallback(() => setFrozen(null), []);

  return {
    kinds,
    connText,
    connError: conn.ok ? null : conn.error,
    search,
    setKinds,
    setConnText,
    setSearch,
    listener,
    setListener,
    filter,
    filtering: isFiltering(filter),
    rows,
    paused: frozen !== null,
    newCount,
    pause,
    resume,
  };
}
