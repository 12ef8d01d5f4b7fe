/**
 * The classic table's replies as docs/protocol.md spells them, typed out here
 * rather than taken from the code under test, so a wrong reply fails.
 */

export const SONG_LINE = 'Old McDonald had a farm, E-I-E-I-O!';
export const QUOTE_LINE = 'And now for something completely different...';
export const HAIKU_LINES = [
  'A haiku on "Error 404"',
  '',
  '  You step in the stream,',
  '  But the water has moved on.',
  '  This file is not here.',
];

/** The bytes on the wire: every line ends with CRLF. */
export const SONG = `${SONG_LINE}\r\n`;
export const QUOTE = `${QUOTE_LINE}\r\n`;
export const HAIKU = HAIKU_LINES.map((line) => `${line}\r\n`).join('');
