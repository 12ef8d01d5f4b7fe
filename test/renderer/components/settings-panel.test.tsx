import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../electron/shared/protocol/settings';
import type { LogRetention } from '../../../electron/shared/ipc/models';
import { retentionText, SettingsPanel } from '../../../renderer/src/components/settings-panel';
import { draftFromSettings } from '../../../renderer/src/lib/settings-form';

const draft = draftFromSettings(DEFAULT_SETTINGS);
const NAMES = ['Host', 'Port', 'Max connections', 'Idle timeout (s)', 'Max line (bytes)'];

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
