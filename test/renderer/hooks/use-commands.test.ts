import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  CLASSIC_TABLE,
  type CommandTable,
  commandTableSchema,
} from '../../../electron/shared/protocol/command-table';
import type { CommandsState } from '../../../electron/shared/ipc/models';
import { addRule, newRuleId, updateRule } from '../../../renderer/src/components/commands/table-draft';
import { useCommands } from '../../../renderer/src/hooks/use-commands';
import { createFakeBridge, type FakeBridge } from '../fake-bridge';

const PING: CommandTable = { commands: [{ name: 'PING', reply: 'PONG' }] };

function state(table: CommandTable = CLASSIC_TABLE, extra: Partial<CommandsState> = {}): CommandsState {
  return {
    table,
    presets: [
      { name: 'Classic', builtIn: true, table: CLASSIC_TABLE },
      { name: 'Ping', builtIn: false, table: { ...PING, name: 'Ping' } },
    ],
    inbox: [],
    ...extra,
  };
}

function setup(fake: FakeBridge = createFakeBridge(), initial: CommandsState | null = state()) {
  const hook = renderHook(({ server }) => useCommands(fake.bridge, server), {
    initialProps: { server: initial },
  });
  return { fake, hook, push: (server: CommandsState) => hook.rerender({ server }) };
}

/** Adds a PING rule to the draft, as the editor's Add rule and typing would. */
function addPing(hook: ReturnType<typeof setup>['hook']): void {
  act(() => hook.result.current.edit((d) => addRule(d, newRuleId(), { name: 'PING', reply: 'PONG' })));
}

describe('useCommands', () => {
  it('starts from the server’s table with nothing unapplied', () => {
    const { hook } = setup();
    expect(hook.result.current.check.table).toEqual(CLASSIC_TABLE);
    expect(hook.result.current.dirty).toBe(false);
    expect(hook.result.current.check.ok).toBe(true);
  });

  it('takes the classic table until main’s state arrives, then follows it', () => {
    const { hook, push } = setup(createFakeBridge(), null);
    expect(hook.result.current.check.table).toEqual(CLASSIC_TABLE);
    push(state(PING));
    expect(hook.result.current.check.table).toEqual(PING);
    expect(hook.result.current.dirty).toBe(false);
  });

  it('follows a new server table while unchanged, and keeps the user’s changes otherwise', () => {
    const { hook, push } = setup();
    push(state(PING));
    expect(hook.result.current.check.table).toEqual(PING);

    act(() => hook.result.current.edit((d) => updateRule(d, d.rules[0]?.id ?? '', { reply: 'mine' })));
    expect(hook.result.current.dirty).toBe(true);
    const ids = hook.result.current.draft.rules.map((r) => r.id);
    push(state(CLASSIC_TABLE));
    expect(hook.result.current.check.table.commands[0]?.reply).toBe('mine');
    expect(hook.result.current.dirty).toBe(true);
    // An inbox update is a new object with the same table: the draft, its rule ids included, stays.
    push(state(CLASSIC_TABLE, { inbox: [{ line: 'FOO', count: 1, lastAt: 1 }] }));
    expect(hook.result.current.draft.rules.map((r) => r.id)).toEqual(ids);
  });

  it('applies the exact table and is clean once the server answers with it', async () => {
    const fake = createFakeBridge();
    fake.answer('commands:apply', (table) => ({ ok: true, state: state(commandTableSchema.parse(table)) }));
    const { hook, push } = setup(fake);
    addPing(hook);
    expect(hook.result.current.dirty).toBe(true);
    const sent = hook.result.current.check.table;
    await act(() => hook.result.current.apply());
    expect(fake.requests('commands:apply')).toEqual([
      // An edited Classic is not Classic: no built-in name on it.
      { commands: [...CLASSIC_TABLE.commands, { name: 'PING', reply: 'PONG' }] },
    ]);
    expect(fake.requests('commands:apply')[0]).toEqual(sent);
    // Main's 'commands:state' event carries the table it now serves.
    push(state(sent));
    expect(hook.result.current.dirty).toBe(false);
    expect(hook.result.current.note).toMatchObject({ ok: true });
  });

  it('keeps everything typed when main refuses, and shows main’s issues on the fields', async () => {
    const fake = createFakeBridge();
    fake.answer('commands:apply', () => ({
      ok: false,
      error: 'rule 5, reply: refused by main',
      issues: [{ rule: 4, field: 'reply', message: 'refused by main' }],
    }));
    const { hook } = setup(fake);
    addPing(hook);
    const before = hook.result.current.draft;
    await act(() => hook.result.current.apply());
    expect(hook.result.current.draft).toBe(before);
    expect(hook.result.current.dirty).toBe(true);
    expect(hook.result.current.note).toMatchObject({ ok: false, error: 'rule 5, reply: refused by main' });
    const ping = before.rules[4]?.id ?? '';
    expect(hook.result.current.placed.rules[ping]).toEqual({ reply: 'refused by main' });
    // Once the user edits, main's verdict was about another table and goes.
    act(() => hook.result.current.edit((d) => updateRule(d, ping, { reply: 'PONG!' })));
    expect(hook.result.current.note).toBeNull();
    expect(hook.result.current.placed.rules[ping]).toBeUndefined();
  });

  it('reports a bridge that fails as the apply’s error', async () => {
    const fake = createFakeBridge();
    fake.answer('commands:apply', () =>
      Promise.reject(new Error('the connection to Switchboard was closed')),
    );
    const { hook } = setup(fake);
    addPing(hook);
    await act(() => hook.result.current.apply());
    expect(hook.result.current.note).toMatchObject({
      ok: false,
      error: 'the connection to Switchboard was closed',
    });
    expect(hook.result.current.applying).toBe(false);
  });

  it('sends nothing while the draft has problems', async () => {
    const fake = createFakeBridge();
    const { hook } = setup(fake);
    act(() => hook.result.current.edit((d) => addRule(d, newRuleId(), { match: 'pattern', pattern: '(a' })));
    expect(hook.result.current.check.ok).toBe(false);
    await act(() => hook.result.current.apply());
    expect(fake.requests('commands:apply')).toEqual([]);
  });

  it('loads a table over changes with an undo, and over none without', () => {
    const { hook } = setup();
    act(() => hook.result.current.load(PING, 'Loaded preset Ping.'));
    expect(hook.result.current.check.table).toEqual(PING);
    expect(hook.result.current.replaced).toBeNull();

    addPing(hook);
    const changed = hook.result.current.check.table;
    act(() => hook.result.current.load(CLASSIC_TABLE, 'Loaded preset Classic.'));
    expect(hook.result.current.replaced).toEqual({ label: 'Loaded preset Classic.' });
    act(() => hook.result.current.undoReplace());
    expect(hook.result.current.check.table).toEqual(changed);
    expect(hook.result.current.replaced).toBeNull();
  });

  it('reverts to the served table, with an undo', () => {
    const { hook } = setup();
    addPing(hook);
    act(() => hook.result.current.revert());
    expect(hook.result.current.check.table).toEqual(CLASSIC_TABLE);
    expect(hook.result.current.dirty).toBe(false);
    expect(hook.result.current.replaced).not.toBeNull();
    // Any edit ends the chance to undo.
    act(() => hook.result.current.edit((d) => ({ ...d, help: false })));
    expect(hook.result.current.replaced).toBeNull();
  });

  it('saves the draft as a preset and passes on main’s refusal', async () => {
    const fake = createFakeBridge();
    fake.answer('commands:savePreset', ({ name }) =>
      name === 'Classic'
        ? { ok: false, error: 'name: Classic is the built-in preset; choose another name', issues: [] }
        : { ok: true, state: state() },
    );
    const { hook } = setup(fake);
    addPing(hook);
    const table = hook.result.current.check.table;
    let error: string | null = 'unset';
    await act(async () => {
      error = await hook.result.current.savePreset('Modem');
    });
    expect(error).toBeNull();
    expect(fake.requests('commands:savePreset')).toEqual([{ name: 'Modem', table }]);
    // The draft is that preset now (Export names it so); still unapplied, so nothing is applied.
    expect(hook.result.current.check.table.name).toBe('Modem');
    expect(hook.result.current.dirty).toBe(true);
    expect(fake.requests('commands:apply')).toEqual([]);
    await act(async () => {
      error = await hook.result.current.savePreset('Classic');
    });
    expect(error).toBe('name: Classic is the built-in preset; choose another name');
  });

  it('saving the applied table as a preset names the applied table after it, and Export follows', async () => {
    const fake = createFakeBridge();
    const mine = { ...PING, name: 'Mine' };
    fake.answer('commands:savePreset', () => ({
      ok: true,
      state: state(PING, { presets: [...state().presets, { name: 'Mine', builtIn: false, table: mine }] }),
    }));
    fake.answer('commands:apply', (table) => ({ ok: true, state: state(commandTableSchema.parse(table)) }));
    const { hook } = setup(fake, state(PING));
    expect(hook.result.current.dirty).toBe(false);
    await act(async () => {
      expect(await hook.result.current.savePreset('mine')).toBeNull();
    });
    // Main kept the name as first saved ("Mine"); the applied table takes it, the draft too.
    expect(fake.requests('commands:apply')).toEqual([mine]);
    expect(hook.result.current.check.table).toEqual(mine);
    expect(hook.result.current.dirty).toBe(false);
  });

  it('a preset that answers as the applied table does is no unapplied change, whatever its name', () => {
    const { hook } = setup(createFakeBridge(), state(PING));
    act(() => hook.result.current.load({ ...PING, name: 'Ping' }, 'Loaded preset Ping.'));
    expect(hook.result.current.check.table.name).toBe('Ping');
    expect(hook.result.current.dirty).toBe(false);
  });

  it('an edited built-in preset loses its name, and so does a table served under it that answers otherwise', () => {
    const { hook } = setup();
    expect(hook.result.current.check.table.name).toBe('Classic');
    const id = hook.result.current.draft.rules[0]?.id ?? '';
    act(() => hook.result.current.edit((d) => updateRule(d, id, { reply: 'mine' })));
    expect(hook.result.current.check.table.name).toBeUndefined();
    // A table served under the built-in's name that does not answer as it: the draft drops the name too.
    const served = { ...CLASSIC_TABLE, commands: CLASSIC_TABLE.commands.slice(1) };
    const other = setup(createFakeBridge(), state(served));
    expect(other.hook.result.current.check.table.name).toBeUndefined();
  });

  it('deletes a saved preset and can bring it back', async () => {
    const fake = createFakeBridge();
    fake.answer('commands:deletePreset', () => ({ ok: true, state: state() }));
    fake.answer('commands:savePreset', () => ({ ok: true, state: state() }));
    const { hook } = setup(fake);
    await act(async () => {
      expect(await hook.result.current.deletePreset('Classic')).toBe(
        'there is no saved preset named Classic',
      );
    });
    await act(async () => {
      expect(await hook.result.current.deletePreset('Ping')).toBeNull();
    });
    expect(fake.requests('commands:deletePreset')).toEqual([{ name: 'Ping' }]);
    expect(hook.result.current.deleted).toEqual({ name: 'Ping', table: { ...PING, name: 'Ping' } });
    await act(async () => {
      expect(await hook.result.current.restoreDeleted()).toBeNull();
    });
    expect(fake.requests('commands:savePreset')).toEqual([
      { name: 'Ping', table: { ...PING, name: 'Ping' } },
    ]);
    expect(hook.result.current.deleted).toBeNull();
  });

  it('clears the inbox', async () => {
    const fake = createFakeBridge();
    fake.answer('commands:clearInbox', () => state());
    const { hook } = setup(fake);
    await act(async () => {
      expect(await hook.result.current.clearInbox()).toBeNull();
    });
    expect(fake.requests('commands:clearInbox')).toHaveLength(1);
  });
});
