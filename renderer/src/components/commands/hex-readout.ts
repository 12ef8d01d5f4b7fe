/**
 * What a hex field means, in words a person checks at a glance: printable
 * runs as quoted text, other bytes as hex, `??` and `*` and `{req:…}` named.
 * Parsed with the same shared parsers the server uses, so what this shows
 * is what the server reads.
 */
import { ANY_BYTE, parseBytePattern } from '../../../../electron/shared/protocol/byte-pattern';
import { parseByteTemplate } from '../../../../electron/shared/protocol/templates';

const PRINTABLE_MIN = 0x20;
const PRINTABLE_MAX = 0x7e;

/** Bytes as words: runs of two or more printable characters quoted, the rest as hex pairs. */
export function bytesInWords(bytes: readonly number[]): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < bytes.length) {
    let end = i;
    while (end < bytes.length && (bytes[end] ?? 0) >= PRINTABLE_MIN && (bytes[end] ?? 0) <= PRINTABLE_MAX)
      end++;
    if (end - i >= 2) {
      words.push(JSON.stringify(String.fromCharCode(...bytes.slice(i, end))));
      i = end;
    } else {
      words.push(hexByte(bytes[i] ?? 0));
      i++;
    }
  }
  return words;
}

function hexByte(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** A `bytes` pattern read back, or null when it does not parse (the field's error says why). */
export function describeBytePattern(pattern: string): string | null {
  const parsed = parseBytePattern(pattern);
  if (typeof parsed === 'string') return null;
  const words: string[] = [];
  parsed.segments.forEach((segment, index) => {
    if (index > 0) words.push('…any bytes…');
    let run: number[] = [];
    const flush = (): void => {
      words.push(...bytesInWords(run));
      run = [];
    };
    for (const byte of segment) {
      if (byte === ANY_BYTE) {
        flush();
        words.push('(any byte)');
      } else run.push(byte);
    }
    flush();
  });
  const size =
    parsed.segments.length === 1 ? plural(parsed.size, 'byte') : `at least ${plural(parsed.size, 'byte')}`;
  return `${size}: ${words.join(' ')}`;
}

/** A `replyBytes` template read back, or null when it does not parse. */
export function describeByteTemplate(template: string): string | null {
  const parsed = parseByteTemplate(template);
  if (typeof parsed === 'string') return null;
  const words: string[] = [];
  let total = 0;
  for (const part of parsed) {
    if (part instanceof Uint8Array) {
      words.push(...bytesInWords([...part]));
    } else {
      const last = part.offset + part.length - 1;
      words.push(
        part.length === 1 ? `(request byte ${part.offset})` : `(request bytes ${part.offset}–${last})`,
      );
    }
    total += part.length;
  }
  if (words.length === 0) return 'sends nothing';
  return `${plural(total, 'byte')}: ${words.join(' ')}`;
}
