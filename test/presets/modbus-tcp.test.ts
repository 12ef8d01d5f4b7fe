import { describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/net.js';
import { runClient, servePreset, stopServersAfterEach } from './run-client.js';

stopServersAfterEach();

/**
 * mbpoll once (-1) over TCP against the mock, as unit `unit`; `values` after the
 * host are written instead of read.
 */
function mbpoll(
  port: number,
  unit: number,
  options: string[],
  values: string[] = [],
): ReturnType<typeof runClient> {
  const args = ['-m', 'tcp', '-a', String(unit), '-1', '-p', String(port), ...options];
  return runClient('mbpoll', [...args, '127.0.0.1', ...values]);
}

describe('the Modbus TCP preset', () => {
  it('answers mbpoll reading two holding registers, echoing its transaction and unit id', async () => {
    const { port } = await servePreset('modbus-tcp');
    // libmodbus drops a reply whose transaction id, unit id, byte count or register count is not its own.
    const run = await mbpoll(port, 1, ['-r', '1', '-c', '2', '-t', '4']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/-- Polling slave 1\.\.\.\n\[1\]:\s+42\n\[2\]:\s+500\n/);
  });

  it('answers input registers and a single register write for any unit id', async () => {
    const { port } = await servePreset('modbus-tcp');
    const read = await mbpoll(port, 9, ['-r', '1', '-c', '2', '-t', '3']);
    expect(read.stderr).toBe('');
    expect(read.stdout).toMatch(/-- Polling slave 9\.\.\.\n\[1\]:\s+100\n\[2\]:\s+200\n/);
    // A write of one register (function 6) is answered with the request itself.
    const write = await mbpoll(port, 9, ['-r', '5', '-t', '4'], ['1234']);
    expect(write.stderr).toBe('');
    expect(write.stdout).toContain('Written 1 references.');
  });

  it('answers a read of registers it does not hold with exception 2, illegal data address', async () => {
    const { port } = await servePreset('modbus-tcp');
    const run = await mbpoll(port, 7, ['-r', '1', '-c', '3', '-t', '4']);
    expect(run.stderr).toContain('Read output (holding) register failed: Illegal data address');
  });

  it("copies each request's transaction id, for two requests sent in one packet", async () => {
    const { port } = await servePreset('modbus-tcp');
    const client = await RawClient.connect(port);
    const read = (tid: string): string => `${tid} 0000 0006 11 03 0000 0002`;
    client.write(Buffer.from((read('beef') + read('0102')).replaceAll(' ', ''), 'hex'));
    const answer = (tid: string): string => `${tid} 0000 0007 11 03 04 002a 01f4`;
    const expected = Buffer.from((answer('beef') + answer('0102')).replaceAll(' ', ''), 'hex');
    await client.waitFor(() => client.bytes.length >= expected.length);
    expect(client.bytes.toString('hex')).toBe(expected.toString('hex'));
    client.destroy();
  });
});
