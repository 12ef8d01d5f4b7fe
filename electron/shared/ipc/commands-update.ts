/**
 * What 'commands:state' carries: the unknown-command inbox always, and the
 * table, the presets and the problem only when they changed. Presets can
 * be big (a table each); sending all of them on every save, to every tab,
 * four times a second under a flood of unknown lines, is what this avoids.
 */
import type { CommandTable } from '../protocol/command-table.js';
import type { CommandPreset, CommandsState, UnknownLine } from './models.js';

export interface CommandsUpdate {
  inbox: UnknownLine[];
  /** The table now served, when it changed. */
  table?: CommandTable;
  /** The whole list of presets, in order: when a window must be told all of them. */
  presets?: CommandPreset[];
  /** Presets added or replaced, by name. */
  presetsSaved?: CommandPreset[];
  /** Names of presets deleted. */
  presetsDeleted?: string[];
  /** The problem when it changed; null once it is gone. */
  problem?: string | null;
}

/** The update that turns `prev` into `next`; everything when there is no `prev`. */
export function commandsDelta(prev: CommandsState | null, next: CommandsState): CommandsUpdate {
  if (prev === null) return { ...next, problem: next.problem ?? null };
  const update: CommandsUpdate = { inbox: next.inbox };
  if (next.table !== prev.table) update.table = next.table;
  // A preset's table is replaced, never changed in place: comparing them finds what was saved.
  const before = new Map(prev.presets.map((p) => [p.name, p.table]));
  const saved = next.presets.filter((p) => before.get(p.name) !== p.table);
  const names = new Set(next.presets.map((p) => p.name));
  const deleted = prev.presets.filter((p) => !names.has(p.name)).map((p) => p.name);
  if (saved.length > 0) update.presetsSaved = saved;
  if (deleted.length > 0) update.presetsDeleted = deleted;
  if (next.problem !== prev.problem) update.problem = next.problem ?? null;
  return update;
}

/** `state` with `update` applied; null while a window has no state to apply it to and the update is not whole. */
export function applyCommandsUpdate(
  state: CommandsState | null,
  update: CommandsUpdate,
): CommandsState | null {
  const base =
    state ?? (update.table && update.presets ? { table: update.table, presets: [], inbox: [] } : null);
  if (base === null) return null;
  let presets = update.presets ?? base.presets;
  if (update.presetsDeleted) {
    const gone = new Set(update.presetsDeleted);
    presets = presets.filter((p) => !gone.has(p.name));
  }
  for (const saved of update.presetsSaved ?? []) {
    const at = presets.findIndex((p) => p.name === saved.name);
    presets = at >= 0 ? presets.map((p, i) => (i === at ? saved : p)) : [...presets, saved];
  }
  const problem = update.problem === undefined ? base.problem : (update.problem ?? undefined);
  return {
    table: update.table ?? base.table,
    presets,
    inbox: update.inbox,
    ...(problem !== undefined ? { problem } : {}),
  };
}
