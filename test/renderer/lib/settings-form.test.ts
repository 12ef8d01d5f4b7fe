import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../electron/shared/protocol/settings';
import {
  draftFromSettings,
  formatMb,
  parseDecimal,
  parseDraft,
  parseRetentionDraft,
  retentionDraftFrom,
} from '../../../renderer/src/lib/settings-form';

describe('settings form', () => {
  const draft = draftFromSettings(DEFAULT_SETTINGS);

  it('round-trips the defaults', () => {
    expect(parseDraft(draft)).toEqual({ ok: true, settings: DEFAULT_SETTINGS });
  });

  it('reports each bad field with the shared schema words', () => {
    const result = parseDraft({ ...draft, port: '70000', host: 'a b', maxLineBytes: '' });
    expect(result).toEqual({
      ok: false,
      errors: {
        port: 'port must be 0 to 65535',
        host: 'host cannot contain spaces or slashes',
        maxLineBytes: 'max line must be a number',
      },
    });
  });

  it('does not let an empty or hexadecimal port pass as a number', () => {
    expect(parseDecimal('')).toBeNaN();
    expect(parseDecimal('0x10')).toBeNaN();
    expect(parseDecimal(' 42 ')).toBe(42);
    expect(parseDraft({ ...draft, port: '' })).toMatchObject({
      ok: false,
      errors: { port: 'port must be a number' },
    });
  });

  it('accepts fractional idle timeouts but not fractional ports', () => {
    expect(parseDraft({ ...draft, idleTimeoutSec: '2.5' })).toMatchObject({
      ok: true,
      settings: { idleTimeoutSec: 2.5 },
    });
    expect(parseDraft({ ...draft, port: '80.5' })).toMatchObject({
      errors: { port: 'port must be a whole number' },
    });
  });

  it('trims the host as the schema does', () => {
    expect(parseDraft({ ...draft, host: '  ::1 ' })).toMatchObject({ ok: true, settings: { host: '::1' } });
  });

  it('says "at most N" for a number too large to be exact, not "must be a whole number"', () => {
    expect(
      parseDraft({ ...draft, port: '99999999999999999999', maxConnections: '99999999999999999999' }),
    ).toMatchObject({
      errors: { port: 'port must be 0 to 65535', maxConnections: 'max connections must be at most 1000000' },
    });
  });

  it('reads the line timeout and the per-address limit, refusing them with the schema words', () => {
    expect(draft).toMatchObject({ lineTimeoutSec: '60', maxPerRemote: '0' });
    expect(parseDraft({ ...draft, lineTimeoutSec: '0', maxPerRemote: '3' })).toMatchObject({
      ok: true,
      settings: { lineTimeoutSec: 0, maxPerRemote: 3 },
    });
    expect(parseDraft({ ...draft, lineTimeoutSec: '-1', maxPerRemote: '2.5' })).toEqual({
      ok: false,
      errors: {
        lineTimeoutSec: 'line timeout must be 0 (none) or more seconds',
        maxPerRemote: 'max per remote must be a whole number',
      },
    });
    expect(parseDraft({ ...draft, maxPerRemote: '' })).toMatchObject({
      errors: { maxPerRemote: 'max per remote must be a number' },
    });
  });
});

describe('log retention form', () => {
  it('shows bytes as MB and reads MB back as whole bytes', () => {
    expect(retentionDraftFrom({ maxBytes: 25 * 1024 * 1024, keep: 5 })).toEqual({ sizeMb: '25', keep: '5' });
    expect(formatMb(4096)).toBe('0.004');
    expect(parseRetentionDraft({ sizeMb: '1.5', keep: '0' })).toEqual({
      ok: true,
      retention: { maxBytes: 1_572_864, keep: 0 },
    });
  });

  it('refuses what main would refuse, field by field', () => {
    expect(parseRetentionDraft({ sizeMb: '0.001', keep: '1001' })).toEqual({
      ok: false,
      errors: {
        sizeMb: 'log file size must be at least 0.004 MB (4 KiB)',
        keep: 'files kept must be 0 to 1000',
      },
    });
    expect(parseRetentionDraft({ sizeMb: '', keep: '2.5' })).toEqual({
      ok: false,
      errors: { sizeMb: 'log file size must be a number', keep: 'files kept must be a whole number' },
    });
    expect(parseRetentionDraft({ sizeMb: '1e400', keep: '1' })).toMatchObject({
      errors: { sizeMb: 'log file size must be a number' },
    });
    expect(parseRetentionDraft({ sizeMb: '9'.repeat(30), keep: '1' })).toMatchObject({
      errors: { sizeMb: 'log file size is too large' },
    });
  });
});
