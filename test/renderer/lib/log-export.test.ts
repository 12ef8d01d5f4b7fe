import { describe, expect, it } from 'vitest';
import {
  CSV_HEADER,
  csvField,
  exportFileName,
  formatLog,
  toCsv,
  toJsonLines,
} from '../../../renderer/src/lib/log-export';
import type { LogRecord } from '../../../electron/shared/ipc/models';
import { logEntry } from '../fake-bridge';

const AT = Date.UTC(2025, 0, 2, 3, 4, 5, 678);

const HAIKU_REPLY = 'A haiku\r\n\r\n  You step in the stream,\r\n';

const ROWS: LogRecord[] = [
  logEntry(1, { at: AT, conn: 0, remote: '', kind: 'listening', detail: 'listening on 127.0.0.1:31310' }),
  logEntry(2, {
    at: AT + 1,
    conn: 7,
    remote: '[::1]:50007',
    kind: 'line',
    detail: 'say "hi", then\\x0A go',
    dir: 'in',
    text: 'say "hi", then\n go',
    bytes: 20,
  }),
  logEntry(3, {
    at: AT + 2,
    conn: 7,
    remote: '[::1]:50007',
    kind: 'reply',
    detail: `A haiku ⏎  ⏎   You step in the stream, (${HAIKU_REPLY.length} bytes)`,
    dir: 'out',
    text: HAIKU_REPLY,
    bytes: HAIKU_REPLY.length,
  }),
  logEntry(4, {
    at: AT + 3,
    conn: 7,
    remote: '[::1]:50007',
    kind: 'close',
    detail: 'closed (idle timeout); 20 bytes in, 38 out, 300.0 s',
    reason: 'idle',
    bytesIn: 20,
    bytesOut: 38,
    durationMs: 300_000,
  }),
];

describe('toJsonLines', () => {
  it('writes one object per row under the durable log’s names, with typed fields', () => {
    const text = toJsonLines(ROWS);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.split('\n').slice(0, -1);
    expect(lines).toHaveLength(4);
    // The durable log's own fields, in its order, `at` in milliseconds as the file has it.
    expect(lines[0]).toBe(
      `{"seq":1,"at":${AT},"conn":0,"remote":"","kind":"listening","detail":"listening on 127.0.0.1:31310"}`,
    );
    expect(JSON.parse(lines[1] ?? '')).toEqual({
      seq: 2,
      at: AT + 1,
      conn: 7,
      remote: '[::1]:50007',
      kind: 'line',
      dir: 'in',
      text: 'say "hi", then\n go',
      bytes: 20,
      detail: 'say "hi", then\\x0A go',
    });
    // The reply's text with its real line breaks; its bytes a number, not inside the text.
    expect(JSON.parse(lines[2] ?? '')).toMatchObject({
      dir: 'out',
      text: HAIKU_REPLY,
      bytes: HAIKU_REPLY.length,
    });
    expect(JSON.parse(lines[3] ?? '')).toMatchObject({
      kind: 'close',
      reason: 'idle',
      bytesIn: 20,
      bytesOut: 38,
      durationMs: 300_000,
    });
  });

  it('gives rows read back from a log file (no typed fields) their direction from their kind', () => {
    const line: unknown = JSON.parse(toJsonLines([logEntry(9, { kind: 'line', detail: 'X' })]));
    expect(line).toMatchObject({ kind: 'line', dir: 'in', detail: 'X' });
    expect(line).not.toHaveProperty('text');
  });

  it('writes nothing for no rows', () => {
    expect(toJsonLines([])).toBe('');
  });
});

describe('toCsv', () => {
  it('writes a byte-order mark, the header and CRLF-terminated rows; text keeps its line breaks', () => {
    const text = toCsv(ROWS);
    const header = 'seq,at,conn,remote,kind,dir,text,bytes,reason,bytesIn,bytesOut,durationMs,detail';
    expect(CSV_HEADER.join(',')).toBe(header);
    expect(text).toBe(
      '\uFEFF' +
        `${header}\r\n` +
        '1,2025-01-02T03:04:05.678Z,0,,listening,,,,,,,,listening on 127.0.0.1:31310\r\n' +
        '2,2025-01-02T03:04:05.679Z,7,[::1]:50007,line,in,"say ""hi"", then\n go",20,,,,,"say ""hi"", then\\x0A go"\r\n' +
        `3,2025-01-02T03:04:05.680Z,7,[::1]:50007,reply,out,"${HAIKU_REPLY}",${HAIKU_REPLY.length},,,,,` +
        `"A haiku ⏎  ⏎   You step in the stream, (${HAIKU_REPLY.length} bytes)"\r\n` +
        '4,2025-01-02T03:04:05.681Z,7,[::1]:50007,close,,,,idle,20,38,300000,"closed (idle timeout); 20 bytes in, 38 out, 300.0 s"\r\n',
    );
  });

  it('writes just the header for no rows', () => {
    expect(toCsv([])).toBe(`\uFEFF${CSV_HEADER.join(',')}\r\n`);
  });
});

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['cr\rhere', '"cr\rhere"'],
    ['"', '""""'],
  ])('quotes %j as %j', (value, field) => {
    expect(csvField(value)).toBe(field);
  });

  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1', "'+1"],
    ['-ERR', "'-ERR"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTAB', "'\tTAB"],
  ])('keeps a spreadsheet from running %j as a formula', (value, field) => {
    expect(csvField(value)).toBe(field);
  });
});

describe('file names and formats', () => {
  const now = new Date(2025, 0, 2, 3, 4, 5);

  it('names files by time, scope and format', () => {
    expect(exportFileName('csv', { filtered: false, previous: false }, now)).toBe(
      'switchboard-log-20250102-030405.csv',
    );
    expect(exportFileName('jsonl', { filtered: true, previous: false }, now)).toBe(
      'switchboard-log-shown-20250102-030405.jsonl',
    );
    expect(exportFileName('jsonl', { filtered: true, previous: true }, now)).toBe(
      'switchboard-log-previous-shown-20250102-030405.jsonl',
    );
  });

  it('picks the formatter by format', () => {
    expect(formatLog('csv', ROWS)).toBe(toCsv(ROWS));
    expect(formatLog('jsonl', ROWS)).toBe(toJsonLines(ROWS));
  });
});
