import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BatchedWriter } from '../../electron/cli/batched-writer.js';

/** A stream that records each write call; `delayMs` holds each write's callback that long. */
class RecordingStream extends Writable {
  readonly writes: string[] = [];
  completed = 0;

  constructor(private readonly delayMs = 0) {
    super({ decodeStrings: false });
  }

  override _write(
    chunk: string | Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.writes.push(chunk.toString());
    const done = (): void => {
      this.completed++;
      callback();
    };
    if (this.delayMs === 0) done();
    else setTimeout(done, this.delayMs);
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('BatchedWriter', () => {
  it('writes the lines of one turn in a single write, each ended with a newline', async () => {
    const out = new RecordingStream();
    const writer = new BatchedWriter(out);
    writer.line('listening on 127.0.0.1:5');
    writer.line('a');
    writer.line('');
    writer.line('b');
    expect(out.writes).toEqual([]); // nothing until the turn ends
    await nextTurn();
    expect(out.writes).toEqual(['listening on 127.0.0.1:5\na\n\nb\n']);
  });

  it('one write per turn under a flood', async () => {
    const out = new RecordingStream();
    const writer = new BatchedWriter(out);
    for (let turn = 0; turn < 3; turn++) {
      for (let i = 0; i < 1000; i++) writer.line(`${turn}:${i}`);
      await nextTurn();
    }
    expect(out.writes).toHaveLength(3);
    expect(out.writes.join('').split('\n')).toHaveLength(3001); // 3000 lines + the final ''
    expect(out.writes[2]?.startsWith('2:0\n2:1\n')).toBe(true);
    expect(out.writes[2]?.endsWith('2:999\n')).toBe(true);
  });

  it('writes nothing for a turn with no lines', async () => {
    const out = new RecordingStream();
    const writer = new BatchedWriter(out);
    writer.flush();
    await nextTurn();
    expect(out.writes).toEqual([]);
  });

  it('flush writes at once, and the turn then has nothing more to write', async () => {
    const out = new RecordingStream();
    const writer = new BatchedWriter(out);
    writer.line('x');
    writer.flush();
    expect(out.writes).toEqual(['x\n']);
    await nextTurn();
    expect(out.writes).toEqual(['x\n']);
  });

  it('close writes what waits and resolves only once the stream has taken it', async () => {
    const out = new RecordingStream(40);
    const writer = new BatchedWriter(out);
    writer.line('stopped (0 connections closed)');
    const closed = writer.close();
    expect(out.writes[0]).toBe('stopped (0 connections closed)\n');
    expect(out.completed).toBe(0);
    await closed;
    expect(out.completed).toBeGreaterThanOrEqual(1);
    expect(out.writes.join('')).toBe('stopped (0 connections closed)\n');
  });

  it('keeps lines in the order they were given across flushes and turns', async () => {
    const out = new RecordingStream();
    const writer = new BatchedWriter(out);
    writer.line('1');
    await nextTurn();
    writer.line('2');
    writer.flush();
    writer.line('3');
    await writer.close();
    expect(out.writes.join('')).toBe('1\n2\n3\n');
  });

  it('drops lines while too much waits for the reader, and counts them once it has caught up', async () => {
    const out = new RecordingStream(30);
    const writer = new BatchedWriter(out, { maxPendingBytes: 64 });
    writer.line('x'.repeat(100)); // more than the bound waits while the reader is slow
    await nextTurn();
    for (let i = 0; i < 5; i++) writer.line(`dropped ${i}`);
    expect(writer.dropped).toBe(5);
    // The reader takes the long line, and is told what it missed.
    await new Promise((resolve) => setTimeout(resolve, 60));
    writer.line('after');
    await writer.close();
    expect(out.writes.join('')).toBe(
      `${'x'.repeat(100)}\n5 events not printed (the output was not read fast enough)\nafter\n`,
    );
  });

  it('close gives up on a reader that never reads, so the process can exit', async () => {
    const out = new RecordingStream(60_000);
    const writer = new BatchedWriter(out, { closeWaitMs: 30 });
    const t0 = Date.now();
    await writer.close('stopped (0 connections closed)');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(out.writes[0]).toBe('stopped (0 connections closed)\n');
    expect(out.completed).toBe(0);
  });
});
