import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SaveSettingsOutcome } from '../../../electron/shared/ipc/ipc-contract';
import { DEFAULT_SETTINGS, type ServerSettings } from '../../../electron/shared/protocol/settings';
import { SAVE_DELAY_MS, useSettingsDraft } from '../../../renderer/src/hooks/use-settings-draft';

describe('useSettingsDraft', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const setup = (outcome: SaveSettingsOutcome | null = null) => {
    const saved: ServerSettings[] = [];
    const save = (settings: ServerSettings): Promise<SaveSettingsOutcome> => {
      saved.push(settings);
      return Promise.resolve(outcome ?? { ok: true, settings: { settings } });
    };
    const hook = renderHook(() => useSettingsDraft(DEFAULT_SETTINGS, save));
    return { ...hook, saved };
  };

  it('saves a valid change once typing pauses, and only the last value', () => {
    const { result, saved } = setup();
    act(() => {
      result.current.setField('port', '3');
    });
    act(() => {
      vi.advanceTimersByTime(100);
    });
    act(() => {
      result.current.setField('port', '31');
    });
    act(() => {
      vi.advanceTimersByTime(SAVE_DELAY_MS - 1);
    });
    expect(saved).toEqual([]);
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(saved).toEqual([{ ...DEFAULT_SETTINGS, port: 31 }]);
  });

  it('never saves invalid settings, and keeps the last valid ones', () => {
    const { result, saved } = setup();
    act(() => {
      result.current.setField('port', '99999');
    });
    act(() => {
      vi.advanceTimersByTime(SAVE_DELAY_MS * 3);
    });
    expect(saved).toEqual([]);
    expect(result.current.result).toMatchObject({ ok: false, errors: { port: 'port must be 0 to 65535' } });
    expect(result.current.lastValid.port).toBe(DEFAULT_SETTINGS.port);
  });

  it('does not save values equal to what is stored', () => {
    const { result, saved } = setup();
    act(() => {
      result.current.setField('host', '127.0.0.2');
    });
    act(() => {
      result.current.setField('host', '127.0.0.1');
    });
    act(() => {
      vi.advanceTimersByTime(SAVE_DELAY_MS * 2);
    });
    expect(saved).toEqual([]);
  });

  it('shows why main refused to save', async () => {
    const { result } = setup({ ok: false, error: 'disk full' });
    act(() => {
      result.current.setField('mode', 'one-shot');
    });
    await act(async () => {
      vi.advanceTimersByTime(SAVE_DELAY_MS);
      await Promise.resolve();
    });
    expect(result.current.saveError).toBe('disk full');
  });
});
