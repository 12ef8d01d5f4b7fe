/**
 * The command table: data that says what the server answers, and its
 * compiled form that the server asks for each line.
 *
 * The table is plain data in the shape of the command table file
 * (CONTRACT §5), so that the window, the command line and presets can all
 * replace it. The classic table below is the default.
 */
import { asciiUpper, escapeControlChars, splitCommand } from './text.js';

/** One rule of the table, as the command table file writes it. */
export interface CommandRule {
  /** The command word, matched case-insensitively. */
  name: string;
  /** One reply line or several, each sent with CRLF. */
  reply: string | string[];
  /** Close the connection after the reply. */
  close?: boolean;
}

export interface CommandTableSpec {
  commands: CommandRule[];
  builtins?: { help?: boolean; quit?: boolean };
}

const HAIKU = [
  'A haiku on "Error 404"',
  '',
  '  You step in the stream,',
  '  But the water has moved on.',
  '  This file is not here.',
];

/** The classic witty server's table (CONTRACT §1). */
export const CLASSIC_TABLE: CommandTableSpec = {
  commands: [
    { name: 'SONG', reply: 'Old McDonald had a farm, E-I-E-I-O!' },
    { name: 'QUOTE', reply: 'And now for something completely different...' },
    { name: 'HAIKU', reply: HAIKU },
    { name: 'POEM', reply: HAIKU },
  ],
};

/** What the server sends for one line, and what it does next. */
export interface Reply {
  /** The reply text, every line ended with CRLF. */
  readonly text: string;
  readonly bytes: Buffer;
  /** Close the connection once the reply is sent. */
  readonly close: boolean;
  /** Which kind of rule answered, for the log. */
  readonly kind: 'rule' | 'help' | 'quit' | 'unknown';
}

export interface CompiledTable {
  /** Every command name the table answers, sorted (what HELP lists). */
  readonly names: readonly string[];
  /** The reply to one trimmed, non-empty line. */
  respond(line: string): Reply;
}

function makeReply(lines: readonly string[], close: boolean, kind: Reply['kind']): Reply {
  const text = lines.map((l) => `${l}\r\n`).join('');
  return { text, bytes: Buffer.from(text, 'utf8'), close, kind };
}

/**
 * Turns a table into the form the server uses: replies are encoded once, so
 * answering a known command allocates nothing.
 */
export function compileTable(spec: CommandTableSpec): CompiledTable {
  const replies = new Map<string, Reply>();
  for (const rule of spec.commands) {
    const key = asciiUpper(rule.name);
    if (replies.has(key)) continue; // the first rule for a name answers
    const lines = typeof rule.reply === 'string' ? [rule.reply] : rule.reply;
    replies.set(key, makeReply(lines, rule.close === true, 'rule'));
  }
  const helpOn = spec.builtins?.help !== false;
  const quitOn = spec.builtins?.quit !== false;
  if (quitOn && !replies.has('QUIT')) replies.set('QUIT', makeReply(['Bye.'], true, 'quit'));
  const names = [...replies.keys(), ...(helpOn && !replies.has('HELP') ? ['HELP'] : [])].sort();
  if (helpOn && !replies.has('HELP')) {
    replies.set('HELP', makeReply([`Commands: ${names.join(' ')}`], false, 'help'));
  }

  return {
    names,
    respond(line: string): Reply {
      const known = replies.get(asciiUpper(splitCommand(line).word));
      if (known) return known;
      return makeReply([`Unknown command: ${escapeControlChars(line)}`], false, 'unknown');
    },
  };
}
