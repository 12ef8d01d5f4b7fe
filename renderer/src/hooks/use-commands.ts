/**
 * The command table editor's state: the draft the user edits, the table the
 * server answers with, and the actions that reach main (Apply, presets, the
 * inbox).
 *
 * The draft is the user's until they Apply, Revert or load something over it:
 * a refused Apply, a preset saved, a table pushed by another window, none of
 * them touch what was typed. While the draft has no unapplied changes it
 * follows the server's table, so a table applied elsewhere shows up here.
 *
 * Main answers every change of the table, presets or inbox with a
 * 'commands:state' event before it answers the request itself (both travel in
 * order on one channel), so the window's copy of the server state is always
 * the event's, and this hook never has to merge answers into it.
 */
import { useCallback, useMemo, useState } from 'react';
import {
  CLASSIC_TABLE,
  type CommandTable,
  type TableIssue,
} from '../../../electron/shared/protocol/command-table';
import type { Bridge } from '../../../electron/shared/ipc/ipc-contract';
import type { CommandsState } from '../../../electron/shared/ipc/models';
import {
  checkDraft,
  placeIssues,
  type DraftCheck,
  type PlacedIssues,
} from '../components/commands/draft-check';
import { draftFromTable, draftKey, tableKey, type TableDraft } from '../components/commands/table-draft';
import { messageOf } from '../lib/format';
import type { TrialOutcome, TrialRequest } from '../../../electron/shared/protocol/table-trial';

/** What the last Apply came to; shown until the draft changes. */
export type ApplyNote =
  { ok: true; key: string } | { ok: false; key: string; error: string; issues: TableIssue[] };

export interface CommandsEditor {
  /** The server's side: the table it answers with, the presets, the inbox. */
  server: CommandsState;
  draft: TableDraft;
  check: DraftCheck;
  /** The draft's issues, and main's if it refused this very draft, on their fields. */
  placed: PlacedIssues;
  /** The draft differs from the table the server answers with. */
  dirty: boolean;
  applying: boolean;
  note: ApplyNote | null;
  /** Set after Load, Import or Revert replaced unapplied changes, until the next edit. */
  replaced: { label: string } | null;
  /** The preset just deleted, while it can still be brought back. */
  deleted: { name: string; table: CommandTable } | null;
  edit: (change: (draft: TableDraft) => TableDraft) => void;
  /** Puts a whole table in the draft (a preset, an imported file); `label` says what happened. */
  load: (table: CommandTable, label: string) => void;
  undoReplace: () => void;
  revert: () => void;
  apply: () => Promise<void>;
  /** Resolves with why main refused, or null when saved. */
  savePreset: (name: string) => Promise<string | null>;
  deletePreset: (name: string) => Promise<string | null>;
  restoreDeleted: () => Promise<string | null>;
  clearInbox: () => Promise<string | null>;
  /** The rule tester and the framing preview: what the server would do with some input (see table-trial.ts). */
  tryTable: (req: TrialRequest) => Promise<TrialOutcome>;
}

interface DraftState {
  draft: TableDraft;
  /** The key of the server table the draft last followed. */
  baseKey: string;
  previous: { draft: TableDraft; label: string } | null;
}

/** Until main's snapshot arrives the server is taken to serve the classic table. */
const NO_STATE: CommandsState = { table: CLASSIC_TABLE, presets: [], inbox: [] };

export function useCommands(bridge: Bridge, serverState: CommandsState | null): CommandsEditor {
  const server = serverState ?? NO_STATE;
  // Events arrive as fresh objects even when the table is unchanged (an inbox update), so compare by content.
  const serverKey = useMemo(() => tableKey(server.table), [server.table]);
  const [state, setState] = useState<DraftState>(() => ({
    draft: withoutStaleName(draftFromTable(server.table), server.presets),
    baseKey: serverKey,
    previous: null,
  }));
  const [applying, setApplying] = useState(false);
  const [note, setNote] = useState<ApplyNote | null>(null);
  const [deleted, setDeleted] = useState<CommandsEditor['deleted']>(null);

  const key = useMemo(() => draftKey(state.draft), [state.draft]);
  if (serverKey !== state.baseKey) {
    // The server's table changed (an Apply here or in another window). A draft
    // without changes follows it; one with changes stays as the user left it.
    const clean = key === state.baseKey;
    setState({
      draft: clean ? withoutStaleName(draftFromTable(server.table), server.presets) : state.draft,
      baseKey: serverKey,
      previous: state.previous,
    });
  }

  const check = useMemo(() => checkDraft(state.draft), [state.draft]);
  const refusal = note && !note.ok && note.key === key ? note.issues : null;
  const placed = useMemo(
    () => placeIssues(state.draft, refusal ? [...check.issues, ...refusal] : check.issues),
    [state.draft, check, refusal],
  );

  const { presets } = server;
  const edit = useCallback(
    (change: (draft: TableDraft) => TableDraft) => {
      setState((s) => ({ ...s, draft: withoutStaleName(change(s.draft), presets), previous: null }));
    },
    [presets],
  );

  const replaceDraft = useCallback(
    (draft: TableDraft, label: string) => {
      setState((s) => {
        // Only unapplied changes need an undo: an unchanged draft is the server's table, one Revert away.
        const hadChanges = draftKey(s.draft) !== serverKey;
        return { ...s, draft, previous: hadChanges ? { draft: s.draft, label } : null };
      });
    },
    [serverKey],
  );

  const load = useCallback(
    (table: CommandTable, label: string) => replaceDraft(draftFromTable(table), label),
    [replaceDraft],
  );

  const revert = useCallback(
    () =>
      replaceDraft(
        withoutStaleName(draftFromTable(server.table), server.presets),
        'Reverted to the applied table.',
      ),
    [replaceDraft, server.table, server.presets],
  );

  const undoReplace = useCallback(() => {
    setState((s) => (s.previous ? { ...s, draft: s.previous.draft, previous: null } : s));
  }, []);

  const apply = useCallback(async () => {
    if (!check.ok) return;
    setApplying(true);
    try {
      const outcome = await bridge.invoke('commands:apply', check.table);
      setNote(
        outcome.ok ? { ok: true, key } : { ok: false, key, error: outcome.error, issues: outcome.issues },
      );
    } catch (error) {
      setNote({ ok: false, key, error: messageOf(error), issues: [] });
    } finally {
      setApplying(false);
    }
  }, [bridge, check, key]);

  const savePreset = useCallback(
    async (name: string): Promise<string | null> => {
      try {
        const outcome = await bridge.invoke('commands:savePreset', { name, table: check.table });
        if (!outcome.ok) return outcome.error;
        const saved = outcome.state.presets.find(
          (p) => !p.builtIn && p.name.toLowerCase() === name.toLowerCase(),
        );
        const savedName = saved?.name ?? name.trim();
        // The draft is that preset now: Export names its file after it.
        setState((s) => ({ ...s, draft: { ...s.draft, name: savedName } }));
        // Saved from the very table the server answers with: that table is the preset, by name too.
        if (draftKey(state.draft) === serverKey && server.table.name !== savedName) {
          const renamed = await bridge.invoke('commands:apply', { ...server.table, name: savedName });
          if (!renamed.ok) return renamed.error;
        }
        return null;
      } catch (error) {
        return messageOf(error);
      }
    },
    [bridge, check.table, state.draft, serverKey, server.table],
  );

  const deletePreset = useCallback(
    async (name: string): Promise<string | null> => {
      const preset = server.presets.find((p) => p.name === name && !p.builtIn);
      if (!preset) return `there is no saved preset named ${name}`;
      try {
        const outcome = await bridge.invoke('commands:deletePreset', { name });
        if (!outcome.ok) return outcome.error;
        setDeleted({ name, table: preset.table });
        return null;
      } catch (error) {
        return messageOf(error);
      }
    },
    [bridge, server.presets],
  );

  const restoreDeleted = useCallback(async (): Promise<string | null> => {
    if (!deleted) return null;
    try {
      const outcome = await bridge.invoke('commands:savePreset', deleted);
      if (!outcome.ok) return outcome.error;
      setDeleted(null);
      return null;
    } catch (error) {
      return messageOf(error);
    }
  }, [bridge, deleted]);

  const clearInbox = useCallback(async (): Promise<string | null> => {
    try {
      await bridge.invoke('commands:clearInbox');
      return null;
    } catch (error) {
      return messageOf(error);
    }
  }, [bridge]);

  const tryTable = useCallback(
    async (req: TrialRequest): Promise<TrialOutcome> => {
      try {
        return await bridge.invoke('commands:try', req);
      } catch (error) {
        return { ok: false, error: messageOf(error) };
      }
    },
    [bridge],
  );

  return {
    server,
    draft: state.draft,
    check,
    placed,
    dirty: key !== serverKey,
    applying,
    note: note && note.key === key ? note : null,
    replaced: state.previous ? { label: state.previous.label } : null,
    deleted,
    edit,
    load,
    undoReplace,
    revert,
    apply,
    savePreset,
    deletePreset,
    restoreDeleted,
    clearInbox,
    tryTable,
  };
}

/**
 * A built-in preset's name stays on a draft only while the draft answers as
 * that preset does: an edited Classic is not Classic, and must not be
 * exported as classic.json or listed as it.
 */
function withoutStaleName(draft: TableDraft, presets: CommandsState['presets']): TableDraft {
  const builtIn = presets.find((p) => p.builtIn && p.name === draft.name);
  if (!builtIn || draftKey(draft) === tableKey(builtIn.table)) return draft;
  return { ...draft, name: undefined };
}
