import { describe, expect, it } from 'vitest';
import {
  checkForwardTarget,
  DEFAULT_SETTINGS,
  forwardIssue,
  serverSettingsSchema,
} from '../../../electron/shared/protocol/settings.js';

describe('server settings', () => {
  it('fills in the settings added later, so older files and callers keep working', () => {
    const older = Object.fromEntries(
      Object.entries(DEFAULT_SETTINGS).filter(
        ([key]) => !['lineTimeoutSec', 'maxPerRemote', 'kind', 'forward'].includes(key),
      ),
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

describe('forward mode settings', () => {
  it.each([
    ['127.0.0.1:6379', { host: '127.0.0.1', port: 6379 }],
    ['[::1]:6379', { host: '::1', port: 6379 }],
    [' redis.local:1 ', { host: 'redis.local', port: 1 }],
  ])('reads %j as HOST:PORT', (text, target) => {
    expect(checkForwardTarget(text)).toEqual(target);
  });

  it.each([
    ['', 'enter the upstream as HOST:PORT, such as 127.0.0.1:6379'],
    ['redis', 'forward to must be HOST:PORT, such as 127.0.0.1:6379'],
    ['a b:1', 'forward to must be HOST:PORT, such as 127.0.0.1:6379'],
    ['127.0.0.1:0', 'the upstream port must be 1 to 65535'],
    ['127.0.0.1:70000', 'the upstream port must be 1 to 65535'],
  ])('refuses %j', (text, message) => {
    expect(checkForwardTarget(text)).toBe(message);
    expect(forwardIssue({ kind: 'forward', forward: text })).toBe(message);
  });

  it('checks the target only in forward mode, and refuses an unknown kind', () => {
    expect(forwardIssue({ kind: 'mock', forward: 'whatever' })).toBeNull();
    expect(
      serverSettingsSchema.safeParse({ ...DEFAULT_SETTINGS, kind: 'proxy' }).error?.issues[0]?.message,
    ).toBe('listener must be mock or forward');
  });
});
