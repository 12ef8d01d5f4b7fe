/**
 * The server settings form: text as typed, the errors the shared schema
 * finds, and a debounced save of every valid change.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SaveSettingsOutcome } from '../../../electron/shared/ipc/ipc-contract';
import type { ServerSettings } from '../../../electron/shared/protocol/settings';
import {
  draftFromSettings,
  parseDraft,
  type DraftResult,
  type SettingsDraft,
  type SettingsField,
} from '../lib/settings-form';

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
