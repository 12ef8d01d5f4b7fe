/**
 * The server settings form: text as typed, the errors the shared schema
 * finds, and a debounced save of every valid change.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type {
  Bridge,
  LogRetentionState,
  SaveSettingsOutcome,
} from '../../../electron/shared/ipc/ipc-contract';
import type { ServerSettings } from '../../../electron/shared/protocol/settings';
import {
  draftFromSettings,
  parseDraft,
  parseRetentionDraft,
  retentionDraftFrom,
  type DraftResult,
  type RetentionDraft,
  type RetentionField,
  type RetentionResult,
  type SettingsDraft,
  type SettingsField,
} from '../lib/settings-form';
import { messageOf } from '../lib/format';

/** How long typing must pause before a change is saved. */
export const SAVE_DELAY_MS = 400;

export interface SettingsDraftApi {
  draft: SettingsDraft;
  result: DraftResult;
  /** The newest settings that passed, for whoever needs a usable value mid-edit. */
  lastValid: ServerSettings;
  /** Why the last save failed, if it did. */
  saveError: string | null;
  setField: (field: SettingsField, value: string) => void;
}

interface DraftState {
  draft: SettingsDraft;
  lastValid: ServerSettings;
}

export function useSettingsDraft(
  initial: ServerSettings,
  save: (settings: ServerSettings) => Promise<SaveSettingsOutcome>,
  delayMs = SAVE_DELAY_MS,
): SettingsDraftApi {
  const [state, setState] = useState<DraftState>(() => ({
    draft: draftFromSettings(initial),
    lastValid: initial,
  }));
  const [saveError, setSaveError] = useState<string | null>(null);
  const result = useMemo(() => parseDraft(state.draft), [state.draft]);
  // What main last stored, so unchanged or re-typed values are not saved again.
  const saved = useRef(JSON.stringify(initial));

  useEffect(() => {
    if (!result.ok) return;
    const settings = result.settings;
    const key = JSON.stringify(settings);
    if (key === saved.current) return;
    const timer = setTimeout(() => {
      saved.current = key;
      void save(settings).then((outcome) => setSaveError(outcome.ok ? null : outcome.error));
    }, delayMs);
    return () => clearTimeout(timer);
  }, [result, save, delayMs]);

  const setField = useCallback((field: SettingsField, value: string) => {
    setState((s) => {
      const draft = { ...s.draft, [field]: value };
      const parsed = parseDraft(draft);
      return { draft, lastValid: parsed.ok ? parsed.settings : s.lastValid };
    });
  }, []);

  return { draft: state.draft, result, lastValid: state.lastValid, saveError, setField };
}

export interface RetentionDraftApi {
  /** What main said last: the retention chosen, in use and by default; null until it answers. */
  state: LogRetentionState | null;
  draft: RetentionDraft;
  result: RetentionResult;
  saveError: string | null;
  setField: (field: RetentionField, value: string) => void;
}

/**
 * The durable log's retention: read from main once, then every valid change
 * saved after typing pauses, as the server settings are. Main keeps the
 * running log's retention until the next start, and says which is in use.
 */
export function useLogRetentionDraft(bridge: Bridge, delayMs = SAVE_DELAY_MS): RetentionDraftApi {
  const [state, setState] = useState<LogRetentionState | null>(null);
  const [draft, setDraft] = useState<RetentionDraft>({ sizeMb: '', keep: '' });
  const [saveError, setSaveError] = useState<string | null>(null);
  const result = useMemo(() => parseRetentionDraft(draft), [draft]);
  const saved = useRef<string | null>(null);

  useEffect(() => {
    let live = true;
    bridge.invoke('log:retention').then(
      (answer) => {
        if (!live) return;
        saved.current = JSON.stringify(answer.chosen);
        setState(answer);
        setDraft(retentionDraftFrom(answer.chosen));
      },
      (error: unknown) => live && setSaveError(messageOf(error)),
    );
    return () => {
      live = false;
    };
  }, [bridge]);

  useEffect(() => {
    // Nothing is saved before main's answer has filled the form.
    if (!result.ok || saved.current === null) return;
    const retention = result.retention;
    const key = JSON.stringify(retention);
    if (key === saved.current) return;
    const timer = setTimeout(() => {
      saved.current = key;
      bridge.invoke('log:saveRetention', retention).then(
        (outcome) => {
          if (outcome.ok) setState(outcome.state);
          setSaveError(outcome.ok ? null : outcome.error);
        },
        (error: unknown) => setSaveError(messageOf(error)),
      );
    }, delayMs);
    return () => clearTimeout(timer);
  }, [result, bridge, delayMs]);

  const setField = useCallback((field: RetentionField, value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
  }, []);

  return { state, draft, result, saveError, setField };
}
