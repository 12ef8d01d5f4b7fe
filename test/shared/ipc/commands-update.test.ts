import { describe, expect, it } from 'vitest';
import { applyCommandsUpdate, commandsDelta } from '../../../electron/shared/ipc/commands-update.js';
import type { CommandsState } from '../../../electron/shared/ipc/models.js';
import type { CommandTable } from '../../../electron/shared/protocol/command-table.js';

const table = (name: string): CommandTable => ({ name, commands: [{ name, reply: name }] });
const CLASSIC = table('CLASSIC');
const A = table('A');
const B = table('B');

function state(presets: [string, CommandTable][], extra: Partial<CommandsState> = {}): CommandsState {
  return {
    table: CLASSIC,
    presets: presets.map(([name, t]) => ({ name, builtIn: false, table: t })),
    inbox: [],
    ...extra,
  };
}

describe('commands updates', () => {
  it('carry only what changed, and applying them gives the new state', () => {
    const steps: CommandsState[] = [
      state([['a', A]]),
      state([['a', A]], { inbox: [{ line: 'x', count: 1, lastAt: 1 }] }),
      state([
        ['a', A],
        ['b', B],
      ]),
      state([['b', B]], { table: B }),
      state([['b', A]], { table: B, problem: 'could not save' }),
      state([['b', A]], { table: B }),
    ];
    let window: CommandsState | null = steps[0] ?? null;
    for (let i = 1; i < steps.length; i++) {
      const prev = steps[i - 1] ?? null;
      const next = steps[i];
      if (!next) throw new Error('no step');
      const update = commandsDelta(prev, next);
      window = applyCommandsUpdate(window, update);
      expect(window, `step ${i}`).toEqual(next);
    }
    expect(commandsDelta(steps[0] ?? null, steps[1] as CommandsState)).toEqual({
      inbox: [{ line: 'x', count: 1, lastAt: 1 }],
    });
    expect(commandsDelta(steps[2] ?? null, steps[3] as CommandsState)).toEqual({
      inbox: [],
      table: B,
      presetsDeleted: ['a'],
    });
  });

  it('wait for a whole state when the window has none yet', () => {
    expect(applyCommandsUpdate(null, { inbox: [] })).toBeNull();
    expect(applyCommandsUpdate(null, commandsDelta(null, state([['a', A]])))).toEqual(state([['a', A]]));
  });
});
