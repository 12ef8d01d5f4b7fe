/**
 * A log file read a line at a time. A flood on a quiet machine logs hundreds
 * of megabytes a second, past the longest string V8 makes (about 512 MiB),
 * so a test that reads a durable log whole can fail on a fast machine only.
 */
import { createReadStream } from 'node:fs';

/**
 * Calls `onLine` with each LF-ended line, without its LF, and resolves with
 * what follows the last LF: '' when the file ends with a whole line.
 */
export async function readLines(
  file: string,
  onLine: (line: string, index: number) => void,
): Promise<string> {
  let carry: Buffer = Buffer.alloc(0);
  let index = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const data = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let lf = data.indexOf(0x0a); lf !== -1; lf = data.indexOf(0x0a, start)) {
      onLine(data.toString('utf8', start, lf), index++);
      start = lf + 1;
    }
    carry = data.subarray(start);
  }
  return carry.toString('utf8');
}
