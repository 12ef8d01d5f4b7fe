/**
 * The table-wide parts of the draft beyond its rules (docs/command-tables.md):
 * the framing, the reply ending, the pushes, and rules' states, as the
 * editor holds them (text as typed) and as the table writes them.
 *
 * Numbers are kept as typed and turned into numbers only for the table: a
 * typed "abc" becomes NaN, which the shared schema refuses with its own
 * message at the field, as the delay does.
 */
import type { CommandTable, PushEntry } from '../../../../electron/shared/protocol/command-table';
import { decodeInput } from '../../../../electron/shared/ipc/client-input';
import type { FramingField } from '../../../../electron/shared/protocol/table-framing';

export type FramingKind = 'lf' | 'crlf' | 'cr' | 'nul' | 'delimiter' | 'fixed' | 'lengthField' | 'raw';

export const FRAMING_KINDS: readonly { kind: FramingKind; label: string }[] = [
  { kind: 'lf', label: 'Lines ending in LF (CR LF too)' },
  { kind: 'crlf', label: 'Lines ending in CR LF only' },
  { kind: 'cr', label: 'Lines ending in CR' },
  { kind: 'nul', label: 'Requests ending in NUL' },
  { kind: 'delimiter', label: 'Requests ending in a delimiter' },
  { kind: 'fixed', label: 'Fixed length' },
  { kind: 'lengthField', label: 'Length field' },
  { kind: 'raw', label: 'Raw, cut at a pause' },
];

export interface FramingDraft {
  kind: FramingKind;
  /** The delimiter with escapes (`\r\n`, `\x00`), as typed. */
  delimiter: string;
  fixed: string;
  offset: string;
  size: '1' | '2' | '4';
  endian: 'big' | 'little';
  adjust: string;
  gapMs: string;
}

export interface PushDraft {
  id: string;
  every: string;
  replyKind: 'lines' | 'bytes';
  reply: string;
  replyBytes: string;
  /** The states it is sent in, separated by spaces or commas; empty: every state. */
  state: string;
}

const DEFAULT_FRAMING_DRAFT: FramingDraft = {
  kind: 'lf',
  delimiter: '',
  fixed: '',
  offset: '0',
  size: '2',
  endian: 'big',
  adjust: '0',
  gapMs: '50',
};

/** A typed whole number; anything else is NaN, which the schema refuses at its field. */
export function parseNumber(text: string): number {
  const t = text.trim();
  return /^[+-]?\d+$/.test(t) ? Number(t) : Number.NaN;
}

/** Bytes (each character U+0000–U+00FF one byte) written with escapes, as the delimiter field shows them. */
export function escapeBytes(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch === '\\') out += '\\\\';
    else if (code === 0x0d) out += '\\r';
    else if (code === 0x0a) out += '\\n';
    else if (code === 0x09) out += '\\t';
    else if (code === 0) out += '\\0';
    else if (code < 0x20 || code >= 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** The delimiter field's bytes as the table's latin1 string, or why they cannot be read. */
export function delimiterOf(typed: string): { ok: true; value: string } | { ok: false; error: string } {
  if (typed === '') return { ok: true, value: '' };
  const decoded = decodeInput(typed, 'escapes');
  if (!decoded.ok) return { ok: false, error: decoded.error.replace(/^escapes: /, '') };
  return { ok: true, value: String.fromCharCode(...decoded.bytes) };
}

export function framingDraftOf(field: FramingField | undefined): FramingDraft {
  if (field === undefined) return { ...DEFAULT_FRAMING_DRAFT };
  if (typeof field === 'string') return { ...DEFAULT_FRAMING_DRAFT, kind: field };
  if ('delimiter' in field)
    return { ...DEFAULT_FRAMING_DRAFT, kind: 'delimiter', delimiter: escapeBytes(field.delimiter) };
  if ('fixed' in field) return { ...DEFAULT_FRAMING_DRAFT, kind: 'fixed', fixed: String(field.fixed) };
  if ('lengthField' in field) {
    const { offset, bytes, endian = 'big', adjust = 0 } = field.lengthField;
    return {
      ...DEFAULT_FRAMING_DRAFT,
      kind: 'lengthField',
      offset: String(offset),
      size: String(bytes) as FramingDraft['size'],
      endian,
      adjust: String(adjust),
    };
  }
  return { ...DEFAULT_FRAMING_DRAFT, kind: 'raw', gapMs: String(field.raw.gapMs) };
}

/** The framing as the table writes it; `lf`, the default, is left out. */
export function framingFromDraft(draft: FramingDraft): FramingField | undefined {
  switch (draft.kind) {
    case 'lf':
      return undefined;
    case 'crlf':
    case 'cr':
    case 'nul':
      return draft.kind;
    case 'delimiter': {
      const read = delimiterOf(draft.delimiter);
      // An unreadable delimiter is reported at the field (draft-check); the table gets none meanwhile.
      return { delimiter: read.ok ? read.value : '' };
    }
    case 'fixed': {
      const framing: { fixed: number } = { fixed: parseNumber(draft.fixed) };
      return framing;
    }
    case 'lengthField': {
      const adjust = draft.adjust.trim() === '' ? 0 : parseNumber(draft.adjust);
      return {
        lengthField: {
          offset: parseNumber(draft.offset),
          bytes: Number(draft.size) as 1 | 2 | 4,
          endian: draft.endian,
          adjust,
        },
      };
    }
    case 'raw':
      return { raw: { gapMs: parseNumber(draft.gapMs) } };
  }
}

/** The reply ending choice: null is the default (CRLF for line framings, nothing for the others). */
export function replyEndingChoiceOf(replyEnding: string | undefined): string | null {
  return replyEnding ?? null;
}

export function replyEndingFromChoice(choice: string | null): string | undefined {
  return choice ?? undefined;
}

export function statesToText(state: string | readonly string[] | undefined): string {
  if (state === undefined) return '';
  return typeof state === 'string' ? state : state.join(' ');
}

/** Typed states: none is every state, one a name, more a list. */
export function statesFromText(text: string): string | string[] | undefined {
  const names = text.split(/[\s,]+/).filter((s) => s !== '');
  if (names.length === 0) return undefined;
  return names.length === 1 ? names[0] : names;
}

function replyText(reply: string | readonly string[]): string {
  return typeof reply === 'string' ? reply : reply.join('\n');
}

function textReply(text: string): string | string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return lines.length === 1 ? (lines[0] ?? '') : lines;
}

export function pushToDraft(entry: PushEntry, id: string): PushDraft {
  return {
    id,
    every: String(entry.everyMs),
    replyKind: entry.replyBytes !== undefined ? 'bytes' : 'lines',
    reply: replyText(entry.reply ?? []),
    replyBytes: entry.replyBytes ?? '',
    state: statesToText(entry.state),
  };
}

export function pushFromDraft(draft: PushDraft): PushEntry {
  const state = statesFromText(draft.state);
  return {
    everyMs: parseNumber(draft.every),
    ...(draft.replyKind === 'bytes' ? { replyBytes: draft.replyBytes } : { reply: textReply(draft.reply) }),
    ...(state !== undefined ? { state } : {}),
  };
}

export const NEW_PUSH: Omit<PushDraft, 'id'> = {
  every: '1000',
  replyKind: 'lines',
  reply: '',
  replyBytes: '',
  state: '',
};

/**
 * Every state the table names, `start` first, with the rules that move a
 * connection between them: the list the editor draws the states from.
 */
export interface StateMove {
  from: readonly string[] | null;
  to: string;
  /** 0-based rule index. */
  rule: number;
}

export function statesOfTable(table: Pick<CommandTable, 'commands' | 'push'>): {
  states: string[];
  moves: StateMove[];
} {
  const states = new Set<string>(['start']);
  const moves: StateMove[] = [];
  const add = (state: string | readonly string[] | undefined): readonly string[] | null => {
    if (state === undefined) return null;
    const list = typeof state === 'string' ? [state] : state;
    for (const s of list) states.add(s);
    return list;
  };
  table.commands.forEach((rule, index) => {
    const from = add(rule.state);
    if (rule.then !== undefined && rule.then !== '') {
      states.add(rule.then);
      moves.push({ from, to: rule.then, rule: index });
    }
  });
  for (const entry of table.push ?? []) add(entry.state);
  return { states: [...states], moves };
}
