import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, serverSettingsSchema } from '../../../electron/shared/protocol/settings.js';

describe('server settings', () => {
  it('fills in the settings added later, so older files and callers keep working', () => {
    const older = Object.fromEntries(
      Object.entries(DEFAULT_SETTINGS).filter(([key]) => key !== 'lineTimeoutSec' && key !== 'maxPerRemote'),
    );
    expect(Object.keys(older)).toHaveLength(6);
    expect(serverSettingsSchema.parse(older)).toEqual(DEFAULT_SETTINGS);
  });

  it('takes a line timeout of 0 (none) and a per-address limit of 0 (none)', () => {
    const parsed = serverSettingsSchema.parse({ ...DEFAULT_SETTINGS, lineTimeoutSec: 0, maxPerRemote: 0 });
    expect(parsed).toMatchObject({ lineTimeoutSec: 0, maxPerRemote: 0 });
  });

  it.each([
    [{ lineTimeoutSec: -1 }, 'line timeout must be 0 (none) or more seconds'],
    [{ lineTimeoutSec: 86_400 * 8 }, 'line timeout must be at most a week'],
    [{ lineTimeoutSec: 'soon' }, 'line timeout must be a number'],
    [{ maxPerRemote: 2.5 }, 'max per remote must be a whole number'],
    [{ maxPerRemote: -1 }, 'max per remote must be 0 (no limit) or more'],
  ])('refuses %j', (change, message) => {
    const parsed = serverSettingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...change });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual([message]);
  });
});
