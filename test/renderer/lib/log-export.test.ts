import { describe, expect, it } from 'vitest';
import {
  CSV_HEADER,
  csvField,
  exportFileName,
  formatLog,
  toCsv,
  toJsonLines,
} from '../../../renderer/src/lib/log-export';
import { logEntry } from '../fake-bridge';

const AT = Date.UTC(2025, 0, 2, 3, 4, 5, 678);

const ROWS = [
  logEntry(1, { at: AT, conn: 0, remote: '', kind: 'listening', detail: 'listening on 127.0.0.1:31310' }),
  logEntry(2, { at: AT + 1, conn: 7, remote: '[::1]:50007', kind: 'line', detail: 'say "hi", then\\x0A go' }),
  logEntry(3, { at: AT + 2, conn: 7, remote: '[::1]:50007', kind: 'reply', detail: 'a,b\nc (9 bytes)' }),
];

describe('toJsonLines', () => {
  it('writes one object per row with the CSV’s column names and an ISO time', () => {
    const text = toJsonLines(ROWS);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.split('\n').slice(0, -1);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      '{"time":"2025-01-02T03:04:05.678Z","connection":0,"remote":"","event":"listening","detail":"listening on 127.0.0.1:31310"}',
    );
    expect(JSON.parse(lines[1] ?? '')).toEqual({
      time: '2025-01-02T03:04:05.679Z',
      connection: 7,
      remote: '[::1]:50007',
      event: 'line',
      detail: 'say "hi", then\\x0A go',
    });
    // A line break inside a detail stays escaped inside its one line.
    expect(lines[2]).toContain('"detail":"a,b\\nc (9 bytes)"');
  });

  it('writes nothing for no rows', () => {
    expect(toJsonLines([])).toBe('');
  });
});

describe('toCsv', () => {
  it('writes a byte-order mark, the header and CRLF-terminated rows', () => {
    const text = toCsv(ROWS);
    expect(text).toBe(
      '\uFEFF' +
        'time,connection,remote,event,detail\r\n' +
        '2025-01-02T03:04:05.678Z,0,,listening,listening on 127.0.0.1:31310\r\n' +
        '2025-01-02T03:04:05.679Z,7,[::1]:50007,line,"say ""hi"", then\\x0A go"\r\n' +
        '2025-01-02T03:04:05.680Z,7,[::1]:50007,reply,"a,b\nc (9 bytes)"\r\n',
    );
    expect(CSV_HEADER).toEqual(['time', 'connection', 'remote', 'event', 'detail']);
  });

  it('writes just the header for no rows', () => {
    expect(toCsv([])).toBe('\uFEFFtime,connection,remote,event,detail\r\n');
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
