/**
 * The Command input's text and its history, walked with ↑ and ↓ like a shell:
 * ↑ goes back, ↓ comes forward, and past the newest entry the line being
 * typed before ↑ comes back.
 */
import { useCallback, useReducer } from 'react';
import { fitsHistory, HISTORY_KEPT } from '../../../electron/shared/ipc/client-input';

/** How many sent lines are remembered (as many as main keeps). */
export const HISTORY_LIMIT = HISTORY_KEPT;

interface HistoryState {
  entries: readonly string[];
  /** The entry shown, or null while the user types a new line. */
  index: number | null;
  /** The new line the user was typing when they pressed ↑. */
  stash: string;
  value: string;
}

type HistoryAction =
  | { type: 'edit'; value: string }
  | { type: 'older' }
  | { type: 'newer' }
  | { type: 'commit'; line: string }
  | { type: 'remember'; line: string };

/**
 * Blank lines and an immediate repeat are not kept, as in most shells, nor
 * lines too long for the history (as main keeps it).
 */
function withLine(entries: readonly string[], line: string): readonly string[] {
  const skip = line.trim() === '' || entries[entries.length - 1] === line || !fitsHistory(line);
  return skip ? entries : [...entries, line].slice(-HISTORY_LIMIT);
}

export function historyReducer(state: HistoryState, action: HistoryAction): HistoryState {
  switch (action.type) {
    case 'edit':
      return { ...state, value: action.value };
    case 'older': {
      if (state.entries.length === 0) return state;
      const index = state.index === null ? state.entries.length - 1 : Math.max(0, state.index - 1);
      const stash = state.index === null ? state.value : state.stash;
      return { ...state, index, stash, value: state.entries[index] ?? state.value };
    }
    case 'newer': {
      if (state.index === null) return state;
      if (state.index >= state.entries.length - 1) {
        return { ...state, index: null, value: state.stash, stash: '' };
      }
      const index = state.index + 1;
      return { ...state, index, value: state.entries[index] ?? state.value };
    }
    case 'commit':
      // The send was answered after a wait: whatever was typed meanwhile stays.
      if (state.value !== action.line) return historyReducer(state, { type: 'remember', line: action.line });
      return { entries: withLine(state.entries, action.line), index: null, stash: '', value: '' };
    case 'remember': {
      // A line sent another way (a quick command): kept, and whatever is being typed stays.
      const entries = withLine(state.entries, action.line);
      // Entries that fell off the front shift the one being shown.
      const dropped = state.entries.length + 1 - entries.length;
      const index = state.index === null || entries === state.entries ? state.index : state.index - dropped;
      return { ...state, entries, index: index !== null && index < 0 ? null : index };
    }
  }
}

export interface CommandHistory {
  value: string;
  entries: readonly string[];
  edit: (value: string) => void;
  older: () => void;
  newer: () => void;
  /** Records a sent line and empties the input (unless it no longer holds that line). */
  commit: (line: string) => void;
  /** Records a line sent without the input; what is typed stays. */
  remember: (line: string) => void;
}

/** `initial` is the history main kept from earlier sessions; it is read once, at mount. */
export function useCommandHistory(initial: readonly string[] = []): CommandHistory {
  const [state, dispatch] = useReducer(historyReducer, initial, (entries) => ({
    entries: entries.slice(-HISTORY_LIMIT),
    index: null,
    stash: '',
    value: '',
  }));
  const edit = useCallback((value: string) => dispatch({ type: 'edit', value }), []);
  const older = useCallback(() => dispatch({ type: 'older' }), []);
  const newer = useCallback(() => dispatch({ type: 'newer' }), []);
  const commit = useCallback((line: string) => dispatch({ type: 'commit', line }), []);
  const remember = useCallback((line: string) => dispatch({ type: 'remember', line }), []);
  return { value: state.value, entries: state.entries, edit, older, newer, commit, remember };
}
