import { describe, expect, it } from 'vitest';
import { replyLinesOf, withTextReplies } from '../../electron/services/recording-lines.js';
import type { RecordedTable } from '../../electron/core/recorder.js';

const hex = (text: string): string => Buffer.from(text, 'latin1').toString('hex');

describe('recorded replies as reply lines', () => {
  it('says text lines with the reply ending as lines, braces doubled', () => {
    expect(replyLinesOf(hex('+OK\r\n'), '\r\n')).toEqual(['+OK']);
    expect(replyLinesOf(hex('$4\r\nblue\r\n'), '\r\n')).toEqual(['$4', 'blue']);
    expect(replyLinesOf(hex('{"a":1}\r\n'), '\r\n')).toEqual(['{{"a":1}']);
    expect(replyLinesOf(hex('\r\n'), '\r\n')).toEqual(['']);
  });

  it('keeps bytes that lines cannot say exactly', () => {
    expect(replyLinesOf(hex('+OK'), '\r\n')).toBeNull(); // no ending
    expect(replyLinesOf(hex('a\nb\r\n'), '\r\n')).toBeNull(); // a lone LF inside
    expect(replyLinesOf(hex('a\r\n'), '\n')).toBeNull(); // a CR inside an LF line
    expect(replyLinesOf('ff fe 0d 0a', '\r\n')).toBeNull(); // not UTF-8
    expect(replyLinesOf(hex('a\r\n'), '')).toBeNull(); // a framing with no reply ending
  });

  it('rewrites the rules of a line-framed recording and leaves other framings alone', () => {
    const table: RecordedTable = {
      name: 'r',
      framing: 'lf',
      builtins: { help: false, quit: false },
      unknown: '',
      commands: [
        { pattern: '^PING$', replyBytes: hex('+PONG\r\n') },
        { bytes: '00', replyBytes: '00 01' },
        { pattern: '^X$', reply: [] },
      ],
    };
    expect(withTextReplies(table).commands).toEqual([
      { pattern: '^PING$', reply: ['+PONG'] },
      { bytes: '00', replyBytes: '00 01' },
      { pattern: '^X$', reply: [] },
    ]);
    const raw = { ...table, framing: { raw: { gapMs: 20 } } };
    expect(withTextReplies(raw)).toBe(raw);
  });
});
