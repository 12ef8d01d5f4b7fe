import { describe, expect, it } from 'vitest';
import {
  ESCAPE_GROWTH,
  asciiUpper,
  escapeControlChars,
  splitCommand,
  trimBlanks,
} from '../../../electron/shared/protocol/text.js';

describe('escapeControlChars', () => {
  it('writes every byte 0x00–0x1F except tab as \\xNN in upper-case hex', () => {
    for (let code = 0; code < 0x20; code++) {
      if (code === 0x09) continue;
      const hex = code.toString(16).toUpperCase().padStart(2, '0');
      expect(escapeControlChars(`a${String.fromCharCode(code)}b`)).toBe(`a\\x${hex}b`);
    }
  });

  it('writes DEL (0x7F) as \\x7F', () => {
    expect(escapeControlChars('\x7f')).toBe('\\x7F');
  });

  it('keeps tab, printable ASCII and UTF-8 (including astral characters) as they are', () => {
    const printable = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
    expect(escapeControlChars(printable)).toBe(printable);
    expect(escapeControlChars('a\tb é ß 日本 🎵 \u00a0')).toBe('a\tb é ß 日本 🎵 \u00a0');
  });

  it('escapes every control byte in a mixed line, in place', () => {
    expect(escapeControlChars('\x1b[31mred\x1b[0m\r\n\x00é\x7f🎵')).toBe(
      '\\x1B[31mred\\x1B[0m\\x0D\\x0A\\x00é\\x7F🎵',
    );
  });

  it('leaves a backslash alone, so escaped text is not escaped twice', () => {
    expect(escapeControlChars('\\x1B')).toBe('\\x1B');
  });

  it('returns the empty string for the empty string', () => {
    expect(escapeControlChars('')).toBe('');
  });
});

describe('trimBlanks', () => {
  it('trims spaces and tabs on both sides', () => {
    expect(trimBlanks(' \t SONG \t ')).toBe('SONG');
    expect(trimBlanks('\t\t')).toBe('');
    expect(trimBlanks('')).toBe('');
  });

  it('keeps blanks inside the text', () => {
    expect(trimBlanks('  hello \t world  ')).toBe('hello \t world');
  });

  it('does not trim other whitespace: NBSP, vertical tab, form feed, CR, LF, ideographic space', () => {
    for (const ws of ['\u00a0', '\v', '\f', '\r', '\n', '\u3000', '\u2028']) {
      expect(trimBlanks(`${ws}x${ws}`)).toBe(`${ws}x${ws}`);
      expect(trimBlanks(` ${ws}x${ws} `)).toBe(`${ws}x${ws}`);
    }
  });
});

describe('asciiUpper', () => {
  it('upper-cases ASCII letters and leaves everything else', () => {
    expect(asciiUpper('song 1-2 Quote_x')).toBe('SONG 1-2 QUOTE_X');
  });

  it('does not apply Unicode case mapping to non-ASCII letters', () => {
    // toUpperCase() would turn ſ (long s) into S, ß into SS and é into É.
    expect(asciiUpper('ſong')).toBe('ſONG');
    expect(asciiUpper('straße')).toBe('STRAßE');
    expect(asciiUpper('café')).toBe('CAFé');
    expect(asciiUpper('ﬀ')).toBe('ﬀ');
  });
});

describe('splitCommand', () => {
  it('splits at the first space or tab and trims the arguments', () => {
    expect(splitCommand('GET  key \t more ')).toEqual({ word: 'GET', args: 'key \t more' });
    expect(splitCommand('GET\tkey')).toEqual({ word: 'GET', args: 'key' });
  });

  it('gives the whole line as the word when there are no arguments', () => {
    expect(splitCommand('SONG')).toEqual({ word: 'SONG', args: '' });
  });

  it('does not split at other whitespace', () => {
    expect(splitCommand('SONG\u00a0x')).toEqual({ word: 'SONG\u00a0x', args: '' });
  });
});

describe('escapeControlChars and invisible or bidirectional characters', () => {
  const FORMAT = [
    ...Array.from({ length: 5 }, (_, i) => 0x200b + i),
    ...Array.from({ length: 5 }, (_, i) => 0x202a + i),
    ...Array.from({ length: 4 }, (_, i) => 0x2066 + i),
    0xfeff,
  ];

  it.each(FORMAT.map((code) => [code.toString(16).toUpperCase(), code]))(
    'writes U+%s as \\u{…}',
    (hex, code) => {
      expect(escapeControlChars(`a${String.fromCharCode(code)}b`)).toBe(`a\\u{${hex}}b`);
    },
  );

  it('keeps the characters next to the ranges as they are', () => {
    const near = '\u200a\u2010\u2029\u202f\u2065\u206a\ufefe\u00ad';
    expect(escapeControlChars(near)).toBe(near);
  });

  it('escapes a Trojan Source line so it reads as it was sent', () => {
    expect(escapeControlChars('admin\u202e\u2066 // x\u2069\u2066\x1b')).toBe(
      'admin\\u{202E}\\u{2066} // x\\u{2069}\\u{2066}\\x1B',
    );
  });

  it('grows a text by at most ESCAPE_GROWTH times its UTF-8 bytes', () => {
    for (const ch of ['\x00', '\x7f', '\u200b', '\ufeff', 'é', '🎵']) {
      const text = ch.repeat(100);
      expect(Buffer.byteLength(escapeControlChars(text))).toBeLessThanOrEqual(
        ESCAPE_GROWTH * Buffer.byteLength(text),
      );
    }
  });
});
