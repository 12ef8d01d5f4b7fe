import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../electron/shared/protocol/settings';
import type { LogRetention } from '../../../electron/shared/ipc/models';
import {
  LogRetentionSection,
  retentionText,
  SettingsPanel,
} from '../../../renderer/src/components/settings-panel';
import { useLogRetentionDraft } from '../../../renderer/src/hooks/use-settings-draft';
import { createFakeBridge, LOG_DEFAULTS } from '../fake-bridge';
import type { Bridge } from '../../../electron/shared/ipc/ipc-contract';
import { draftFromSettings } from '../../../renderer/src/lib/settings-form';

const draft = draftFromSettings(DEFAULT_SETTINGS);
const NAMES = [
  'Host',
  'Port',
  'Max connections',
  'Idle timeout (s)',
  'Max line (bytes)',
  'Line timeout (s)',
  'Max per address',
];

describe('SettingsPanel', () => {
  it('locks every field while the server runs', () => {
    render(<SettingsPanel draft={draft} errors={{}} locked saveError={null} onChange={vi.fn()} />);
    for (const name of NAMES) {
      expect(screen.getByRole<HTMLInputElement>('textbox', { name }).disabled).toBe(true);
    }
    expect(screen.getByRole<HTMLSelectElement>('combobox', { name: 'Mode' }).disabled).toBe(true);
    expect(screen.getByText('Locked while running')).toBeTruthy();
  });

  it('offers both modes and reports each edit by field', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(<SettingsPanel draft={draft} errors={{}} locked={false} saveError={null} onChange={onChange} />);
    const mode = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Mode' });
    expect([...mode.options].map((o) => o.value)).toEqual(['session', 'one-shot']);
    await user.selectOptions(mode, 'one-shot');
    await user.type(screen.getByRole('textbox', { name: 'Idle timeout (s)' }), '0');
    expect(onChange).toHaveBeenCalledWith('mode', 'one-shot');
    expect(onChange).toHaveBeenCalledWith('idleTimeoutSec', '3000');
  });

  it('ties each error message to its field', () => {
    render(
      <SettingsPanel
        draft={{ ...draft, maxLineBytes: '0' }}
        errors={{ maxLineBytes: 'max line must be at least 1 byte' }}
        locked={false}
        saveError="disk full"
        onChange={vi.fn()}
      />,
    );
    const field = screen.getByRole('textbox', { name: 'Max line (bytes)' });
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('max line must be at least 1 byte').id).toBe(
      field.getAttribute('aria-describedby'),
    );
    expect(screen.getByRole('textbox', { name: 'Host' }).getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByRole('alert').textContent).toContain('disk full');
  });

  it('shows the line timeout and the per-address limit with what 0 means, and their errors', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    const { rerender } = render(
      <SettingsPanel draft={draft} errors={{}} locked={false} saveError={null} onChange={onChange} />,
    );
    const timeout = screen.getByRole<HTMLInputElement>('textbox', { name: 'Line timeout (s)' });
    const perAddress = screen.getByRole<HTMLInputElement>('textbox', { name: 'Max per address' });
    expect(timeout.value).toBe('60');
    expect(perAddress.value).toBe('0');
    expect(document.getElementById(timeout.getAttribute('aria-describedby') ?? '')?.textContent).toMatch(
      /0 means none/,
    );
    expect(document.getElementById(perAddress.getAttribute('aria-describedby') ?? '')?.textContent).toMatch(
      /0 means no limit but max connections/,
    );
    await user.type(perAddress, '5');
    expect(onChange).toHaveBeenCalledWith('maxPerRemote', '05');

    rerender(
      <SettingsPanel
        draft={{ ...draft, lineTimeoutSec: '-1' }}
        errors={{ lineTimeoutSec: 'line timeout must be 0 (none) or more seconds' }}
        locked={false}
        saveError={null}
        onChange={onChange}
      />,
    );
    const bad = screen.getByRole('textbox', { name: 'Line timeout (s)' });
    expect(bad.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('line timeout must be 0 (none) or more seconds').id).toBe(
      bad.getAttribute('aria-describedby'),
    );
  });
});

function LogSection({ bridge }: { bridge: Bridge }) {
  return <LogRetentionSection form={useLogRetentionDraft(bridge, 10)} />;
}

describe('LogRetentionSection', () => {
  it('shows the retention chosen with the defaults, saves a valid change, and says when it applies', async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge();
    render(<LogSection bridge={fake.bridge} />);
    const size = await screen.findByRole<HTMLInputElement>('textbox', { name: 'Log file size (MB)' });
    await waitFor(() => expect(size.value).toBe('25'));
    const keep = screen.getByRole<HTMLInputElement>('textbox', { name: 'Log files kept' });
    expect(keep.value).toBe('5');
    expect(document.getElementById(size.getAttribute('aria-describedby') ?? '')?.textContent).toMatch(
      /default 25/,
    );
    expect(document.getElementById(keep.getAttribute('aria-describedby') ?? '')?.textContent).toMatch(
      /default 5, 0 keeps none/,
    );

    await user.clear(keep);
    await user.type(keep, '2');
    await waitFor(() => expect(fake.requests('log:saveRetention')).toEqual([{ ...LOG_DEFAULTS, keep: 2 }]));
    expect((await screen.findByRole('status')).textContent).toBe(
      'Applies from the next start; this run keeps 25 MB × 5.',
    );
  });

  it('shows a bad value next to its field and saves only the fixed one', async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge();
    render(<LogSection bridge={fake.bridge} />);
    const size = await screen.findByRole<HTMLInputElement>('textbox', { name: 'Log file size (MB)' });
    await waitFor(() => expect(size.value).toBe('25'));
    await user.clear(size);
    await user.type(size, '0');
    expect(size.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('log file size must be at least 0.004 MB (4 KiB)').id).toBe(
      size.getAttribute('aria-describedby'),
    );
    // The fix is saved; the bad value before it never was.
    await user.type(size, '.5');
    await waitFor(() => expect(fake.requests('log:saveRetention')).toHaveLength(1));
    expect(fake.requests('log:saveRetention')).toEqual([{ maxBytes: 512 * 1024, keep: 5 }]);
  });
});

describe('retentionText', () => {
  it('says how the log file rotates and what this run has in it, exactly', () => {
    expect(
      retentionText({
        maxBytes: 25 * 1024 * 1024,
        keep: 5,
        rowsInFiles: 1204,
        rowsRotatedAway: 7_400_000,
        rowsDropped: 0,
      }),
    ).toBe(
      'Rotates at 25 MB and keeps 5 older files. This run: 1,204 rows in the files, 7,400,000 rotated away.',
    );
    // Infinity crosses JSON as null: a log that never rotates.
    const never = JSON.parse(
      JSON.stringify({ maxBytes: Infinity, keep: 1, rowsInFiles: 1, rowsRotatedAway: 0, rowsDropped: 0 }),
    ) as LogRetention;
    expect(retentionText(never)).toBe('Never rotated. This run: 1 row in the files, 0 rotated away.');
  });
});
