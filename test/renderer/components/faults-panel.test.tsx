import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import {
  checkToxicDraft,
  emptyDraft,
  FaultsPanel,
  toxicState,
} from '../../../renderer/src/components/faults-panel';
import type { FaultsOutcome, FaultsState } from '../../../electron/shared/ipc/listener-tools';
import type { Toxic } from '../../../electron/shared/protocol/toxics';
import { TOOLS_STATE } from '../fake-bridge';

const SLOW: Toxic = {
  name: 'slow',
  type: 'latency',
  stream: 'downstream',
  toxicity: 1,
  attributes: { latency: 300, jitter: 10 },
};
const CUT: Toxic = {
  name: 'cut',
  type: 'limit_data',
  stream: 'upstream',
  toxicity: 0.5,
  attributes: { bytes: 64 },
};

function faults(overrides: Partial<FaultsState> = {}): FaultsState {
  return { ...TOOLS_STATE.faults, ...overrides };
}

function ok(toxics: Toxic[]): FaultsOutcome {
  return { ok: true, state: { ...TOOLS_STATE, faults: faults({ toxics }) } };
}

describe('FaultsPanel', () => {
  it('shows each toxic with its attributes and its state at a glance', () => {
    render(
      <FaultsPanel
        faults={faults({ toxics: [SLOW, CUT], acting: true, connections: 2, active: { slow: 2, cut: 1 } })}
        kind="forward"
        onSet={vi.fn()}
      />,
    );
    const slow = screen.getByRole('listitem', { name: 'Fault slow' });
    expect(within(slow).getByRole('status').textContent).toBe('Acting on 2 of 2');
    expect(slow.textContent).toContain('latency · downstream · 100%');
    expect(slow.textContent).toContain('latency 300 ms, jitter 10 ms');
    const cut = screen.getByRole('listitem', { name: 'Fault cut' });
    expect(within(cut).getByRole('status').textContent).toBe('Acting on 1 of 2');
    expect(cut.textContent).toContain('limit_data · upstream · 50%');
    expect(screen.getByText('2 on · 2 open')).toBeTruthy();
  });

  it('says when faults wait for Start, and that a mock listener’s act on every connection', () => {
    const f = faults({ toxics: [SLOW] });
    expect(toxicState(SLOW, f, 'forward')).toEqual({ label: 'Waiting for Start', tone: 'waiting' });
    expect(toxicState(SLOW, f, 'mock')).toEqual({ label: 'Waiting for Start', tone: 'waiting' });
    const all = faults({ toxics: [SLOW], acting: true, connections: 3 });
    expect(toxicState(SLOW, all, 'mock')).toEqual({ label: 'Active · 3 open', tone: 'on' });
    expect(toxicState(SLOW, { ...all, connections: 0 }, 'forward')).toEqual({
      label: 'Active · no connections',
      tone: 'on',
    });
  });

  it('adds a fault from the form with its attributes, stream and toxicity', async () => {
    const user = userEvent.setup();
    const onSet = vi.fn((toxics: readonly unknown[]) => Promise.resolve(ok(toxics as Toxic[])));
    render(<FaultsPanel faults={faults()} kind="forward" onSet={onSet} />);
    await user.click(screen.getByRole('button', { name: 'New fault' }));
    const form = screen.getByRole('form', { name: 'New fault' });
    await user.selectOptions(within(form).getByLabelText('Type'), 'bandwidth');
    expect(within(form).getByLabelText<HTMLInputElement>('Name').value).toBe('bandwidth_downstream');
    await user.selectOptions(within(form).getByLabelText('Stream'), 'upstream');
    await user.clear(within(form).getByLabelText('Toxicity (0–1)'));
    await user.type(within(form).getByLabelText('Toxicity (0–1)'), '0.25');
    await user.clear(within(form).getByLabelText('rate (KB/s)'));
    await user.type(within(form).getByLabelText('rate (KB/s)'), '64');
    await user.click(within(form).getByRole('button', { name: 'Add fault' }));
    expect(onSet).toHaveBeenCalledWith([
      {
        name: 'bandwidth_downstream',
        type: 'bandwidth',
        stream: 'upstream',
        toxicity: 0.25,
        attributes: { rate: 64 },
      },
    ]);
    await vi.waitFor(() => expect(screen.queryByRole('form', { name: 'New fault' })).toBeNull());
  });

  it('refuses a bad value next to its field and sends nothing', async () => {
    const user = userEvent.setup();
    const onSet = vi.fn();
    render(<FaultsPanel faults={faults({ toxics: [SLOW] })} kind="forward" onSet={onSet} />);
    await user.click(screen.getByRole('button', { name: 'Edit fault slow' }));
    const form = screen.getByRole('form', { name: 'Edit fault slow' });
    const latency = within(form).getByLabelText('latency (ms)');
    await user.clear(latency);
    await user.type(latency, '-5');
    expect(within(form).getByText('latency cannot be negative')).toBeTruthy();
    expect(latency.getAttribute('aria-invalid')).toBe('true');
    expect(within(form).getByRole<HTMLButtonElement>('button', { name: 'Save fault' }).disabled).toBe(true);
    expect(onSet).not.toHaveBeenCalled();
  });

  it('edits and removes a fault, and shows main’s refusal', async () => {
    const user = userEvent.setup();
    const onSet = vi
      .fn<(toxics: readonly unknown[]) => Promise<FaultsOutcome | null>>()
      .mockResolvedValueOnce({
        ok: false,
        error: 'fault 1, attributes.latency: latency must be at most 3600000',
        issues: [{ index: 0, field: 'attributes.latency', message: 'latency must be at most 3600000' }],
        state: TOOLS_STATE,
      })
      .mockResolvedValueOnce(ok([]));
    render(<FaultsPanel faults={faults({ toxics: [SLOW] })} kind="forward" onSet={onSet} />);
    await user.click(screen.getByRole('button', { name: 'Edit fault slow' }));
    const form = screen.getByRole('form', { name: 'Edit fault slow' });
    await user.click(within(form).getByRole('button', { name: 'Save fault' }));
    expect(onSet).toHaveBeenLastCalledWith([
      {
        name: 'slow',
        type: 'latency',
        stream: 'downstream',
        toxicity: 1,
        attributes: { latency: 300, jitter: 10 },
      },
    ]);
    expect((await screen.findByRole('alert')).textContent).toContain('Faults not changed: fault 1');
    expect(within(form).getByText('latency must be at most 3600000')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Remove fault slow' }));
    expect(onSet).toHaveBeenLastCalledWith([]);
  });

  it('names a new fault after its type, never after a name in use', () => {
    expect(emptyDraft('latency', ['latency_downstream']).name).toBe('latency_downstream_2');
    expect(checkToxicDraft(emptyDraft('latency'), [SLOW, { ...SLOW, name: 'latency_downstream' }])).toEqual({
      ok: false,
      errors: { name: 'latency_downstream is already the name of a fault' },
    });
  });
});
