/**
 * The command table the server answers with, the saved presets, and the
 * inbox of lines no rule matched.
 *
 * A table is checked before it is used; a good one goes live at once, even
 * while clients are connected, and is remembered for the next launch.
 */
import path from 'node:path';
import { z } from 'zod';
import type { LineServer } from '../core/server.js';
import {
  CLASSIC_TABLE,
  checkTable,
  describeTableIssue,
  type CommandTable,
  type TableIssue,
} from '../shared/protocol/command-table.js';
import type { CommandPreset, CommandsState, UnknownLine } from '../shared/ipc/models.js';
import { TypedEmitter } from '../core/typed-emitter.js';
import { compileTable } from '../core/command-table.js';
import { createFramer, framingConfigOf, requestText } from '../core/framing/index.js';
import { decodeInput } from '../shared/ipc/client-input.js';
import {
  MAX_TRIAL_FRAMES,
  TRIAL_SHOWN_BYTES,
  TRIAL_START_STATE,
  hexPairs,
  type TrialFrame,
  type TrialOutcome,
  type TrialRequest,
} from '../shared/protocol/table-trial.js';
import { JsonFileWriter, readJsonFile } from './json-file.js';
import { BUILT_IN_PRESETS } from './builtin-presets.js';

export const COMMANDS_FILE = 'commands.json';
/** Distinct unknown lines remembered; past this the rarest are forgotten. */
export const INBOX_LIMIT = 200;
const INBOX_LINE_CHARS = 500;

export type ApplyOutcome =
  { ok: true; state: CommandsState } | { ok: false; issues: TableIssue[]; error: string };

interface CommandsFile {
  version: 1;
  table: CommandTable;
  presets: { name: string; table: CommandTable }[];
}

const fileShape = z.object({
  version: z.literal(1),
  table: z.unknown(),
  presets: z.array(z.object({ name: z.string().min(1).max(200), table: z.unknown() })),
});

export interface CommandsServiceEvents {
  /** The table, presets or inbox changed. */
  changed: CommandsState;
}

export class CommandsService extends TypedEmitter<CommandsServiceEvents> {
  #table: CommandTable;
  #presets: { name: string; table: CommandTable }[];
  readonly #inbox = new Map<string, UnknownLine>();
  #problem: string | undefined;
  readonly #writer: JsonFileWriter;

  private constructor(
    private readonly server: LineServer,
    file: string,
    saved: CommandsFile | null,
    problem: string | undefined,
  ) {
    super();
    this.#writer = new JsonFileWriter(file);
    this.#table = saved?.table ?? CLASSIC_TABLE;
    this.#presets = saved?.presets ?? [];
    this.#problem = problem;
    server.setTable(this.#table);
  }

  /** Reads the saved table and presets from `dataDir` and serves that table. */
  static async open(dataDir: string, server: LineServer): Promise<CommandsService> {
    const file = path.join(dataDir, COMMANDS_FILE);
    const read = await readJsonFile(file, parseCommandsFile, 'serving the classic table');
    return new CommandsService(server, file, read.value, read.problem);
  }

  get state(): CommandsState {
    const presets: CommandPreset[] = [
      { name: CLASSIC_TABLE.name ?? 'Classic', builtIn: true, table: CLASSIC_TABLE },
      ...BUILT_IN_PRESETS.map((p) => ({ ...p, builtIn: true })),
      ...this.#presets.map((p) => ({ ...p, builtIn: false })),
    ];
    const inbox = [...this.#inbox.values()].sort((a, b) => b.count - a.count || b.lastAt - a.lastAt);
    return { table: this.#table, presets, inbox, ...(this.#problem ? { problem: this.#problem } : {}) };
  }

  /** Checks `table` and, if it is good, serves it at once and saves it. */
  async apply(table: unknown): Promise<ApplyOutcome> {
    const check = checkTable(table);
    if (!check.ok) return refused(check.issues);
    this.server.setTable(check.table);
    this.#table = check.table;
    return this.#save();
  }

  async savePreset(name: string, table: unknown): Promise<ApplyOutcome> {
    const trimmed = name.trim();
    if (trimmed === '') return refused([{ field: 'name', message: 'give the preset a name' }]);
    const builtInNames = [CLASSIC_TABLE.name ?? 'Classic', ...BUILT_IN_PRESETS.map((p) => p.name)];
    if (builtInNames.some((n) => n.toLowerCase() === trimmed.toLowerCase())) {
      return refused([{ field: 'name', message: `${trimmed} is the built-in preset; choose another name` }]);
    }
    const check = checkTable(table);
    if (!check.ok) return refused(check.issues);
    const preset = { name: trimmed, table: { ...check.table, name: trimmed } };
    const at = this.#presets.findIndex((p) => p.name.toLowerCase() === trimmed.toLowerCase());
    if (at >= 0) this.#presets[at] = preset;
    else this.#presets.push(preset);
    return this.#save();
  }

  async deletePreset(name: string): Promise<ApplyOutcome> {
    this.#presets = this.#presets.filter((p) => p.name !== name);
    return this.#save();
  }

  /** Counts a line no rule matched. */
  noteUnknown(line: string, at: number): void {
    const key = line.length > INBOX_LINE_CHARS ? line.slice(0, INBOX_LINE_CHARS) : line;
    const known = this.#inbox.get(key);
    if (known) {
      known.count++;
      known.lastAt = at;
    } else {
      if (this.#inbox.size >= INBOX_LIMIT) this.#forgetRarest();
      this.#inbox.set(key, { line: key, count: 1, lastAt: at });
    }
    // No event here: a flood of unknown lines would flood the window.
    // The owner batches inbox updates (see app-services).
  }

  /**
   * What a server serving `req.table` would do with `req.input` on a
   * connection in `req.state`, without serving it: see tryTable.
   */
  try(req: TrialRequest): TrialOutcome {
    return tryTable(req, this.server.config.maxLineBytes);
  }

  clearInbox(): CommandsState {
    this.#inbox.clear();
    this.emit('changed', this.state);
    return this.state;
  }

  async #save(): Promise<ApplyOutcome> {
    const body: CommandsFile = { version: 1, table: this.#table, presets: this.#presets };
    try {
      await this.#writer.write(body, 'the command table');
      this.#problem = undefined;
    } catch (error) {
      // Still served: only remembering it for the next launch failed.
      this.#problem = error instanceof Error ? error.message : String(error);
    }
    this.emit('changed', this.state);
    return { ok: true, state: this.state };
  }

  #forgetRarest(): void {
    let rarest: UnknownLine | null = null;
    for (const item of this.#inbox.values()) {
      if (
        !rarest ||
        item.count < rarest.count ||
        (item.count === rarest.count && item.lastAt < rarest.lastAt)
      ) {
        rarest = item;
      }
    }
    if (rarest) this.#inbox.delete(rarest.line);
  }
}

/**
 * Cuts `req.input` with the table's framer and answers each request with
 * the table's engine, exactly as the server does (electron/core/server.ts:
 * the same framer, the same request text, the same `answer`), moving the
 * state as replies say. The input is taken as all the client sends before
 * it half-closes, so a last line without its line end is a request too.
 * Delays are reported, not waited for; `{count}` counts from this trial.
 */
export function tryTable(req: TrialRequest, maxLineBytes: number): TrialOutcome {
  const check = checkTable(req.table);
  if (!check.ok) {
    return { ok: false, error: `the table: ${check.issues.map(describeTableIssue).join('; ')}` };
  }
  // Text is taken as typed, line ends included (the tester's box may hold several lines).
  const decoded =
    req.inputMode === 'text' || req.input === ''
      ? { ok: true as const, bytes: Buffer.from(req.input, 'utf8') }
      : decodeInput(req.input, req.inputMode);
  if (!decoded.ok) return { ok: false, error: decoded.error };
  const table = compileTable(check.table);
  let state = req.state?.trim() || TRIAL_START_STATE;
  if (!table.states.includes(state)) {
    return { ok: false, error: `the table has no state ${state} (states: ${table.states.join(', ')})` };
  }
  const config = framingConfigOf(table.framing);
  // No timers: the raw framing's gap never passes, so its request is what end() hands out.
  const framer = createFramer(config, maxLineBytes, {
    clock: { now: () => 0, setTimeout: () => null, clearTimeout: () => undefined },
  });
  const input = Buffer.from(decoded.bytes);
  framer.push(input);
  framer.end();
  const frames: TrialFrame[] = [];
  let used = 0;
  let closed = false;
  let truncated = false;
  for (let frame = framer.next(); frame && !closed; frame = framer.next()) {
    if (frames.length >= MAX_TRIAL_FRAMES) {
      truncated = true;
      break;
    }
    used += frame.raw.length;
    if (frame.overLimit) {
      frames.push({ hex: '', text: '', bytes: 0, overLimit: true, state, answer: null });
      closed = true;
      break;
    }
    const text = requestText(frame, config);
    const answer = table.answer(text, { id: 1, state });
    frames.push({
      hex: hexPairs(frame.request.subarray(0, TRIAL_SHOWN_BYTES)),
      text: text.slice(0, TRIAL_SHOWN_BYTES),
      bytes: frame.request.length,
      overLimit: false,
      state,
      answer: answer && {
        kind: answer.kind,
        ...(answer.rule !== undefined ? { rule: answer.rule } : {}),
        hex: hexPairs(answer.bytes.subarray(0, TRIAL_SHOWN_BYTES)),
        text: answer.text.slice(0, TRIAL_SHOWN_BYTES),
        bytes: answer.bytes.length,
        delayMs: answer.delayMs,
        close: answer.close,
        nextState: answer.nextState,
      },
    });
    if (answer?.nextState) state = answer.nextState;
    if (answer?.close) closed = true;
  }
  framer.close();
  const greeting = table.greeting({ id: 1 });
  const leftover = input.subarray(Math.min(used, input.length));
  return {
    ok: true,
    frames,
    leftover: hexPairs(leftover.subarray(0, TRIAL_SHOWN_BYTES)),
    state,
    closed,
    truncated,
    greeting: greeting && {
      hex: hexPairs(greeting.bytes.subarray(0, TRIAL_SHOWN_BYTES)),
      text: greeting.text.slice(0, TRIAL_SHOWN_BYTES),
      bytes: greeting.bytes.length,
    },
  };
}

function refused(issues: TableIssue[]): ApplyOutcome {
  return { ok: false, issues, error: issues.map(describeTableIssue).join('; ') };
}

function parseCommandsFile(json: unknown): CommandsFile | string {
  const shape = fileShape.safeParse(json);
  if (!shape.success) return 'not a Switchboard commands file';
  const table = checkTable(shape.data.table);
  if (!table.ok) return `its table: ${table.issues.map(describeTableIssue).join('; ')}`;
  const presets: CommandsFile['presets'] = [];
  for (const preset of shape.data.presets) {
    const check = checkTable(preset.table);
    if (!check.ok) return `preset ${preset.name}: ${check.issues.map(describeTableIssue).join('; ')}`;
    presets.push({ name: preset.name, table: check.table });
  }
  return { version: 1, table: table.table, presets };
}
