import { describe, expect, it } from 'vitest';
import { runClient, servePreset, stopServersAfterEach } from './run-client.js';

stopServersAfterEach();

/**
 * socat's `cr` option makes it a CR client: each line it is given goes out
 * ended by CR alone, and every CR it receives is printed as a newline (so the
 * modem's CR LF after each reply shows as two).
 */
function dial(port: number, lines: string[]): ReturnType<typeof runClient> {
  return runClient('socat', ['-t', '10', '-', `TCP:127.0.0.1:${port},cr`], {
    input: lines.map((l) => `${l}\n`).join(''),
  });
}

describe('the Hayes modem preset', () => {
  it('answers AT, ATI and ATD… sent by socat with CR line ends', async () => {
    const { cli, port } = await servePreset('hayes-modem');
    const run = await dial(port, ['AT', 'ATI', 'ATDT5551234']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('OK\n\nSwitchboard Mock Modem 56k\n\nOK\n\nCONNECT 9600\n\n');
    // Three requests cut at CR, not one line of everything the client sent.
    await cli.waitForLine(/ line ATDT5551234$/);
    expect(cli.lines.filter((l) => / line /.test(l)).map((l) => l.split(' line ')[1])).toEqual([
      'AT',
      'ATI',
      'ATDT5551234',
    ]);
  });

  it('hangs up with ATH, says ERROR to what it does not know, and NO CARRIER to ATO when not connected', async () => {
    const { port } = await servePreset('hayes-modem');
    const run = await dial(port, ['atd 555,1234', 'ATO', 'ATH', 'ATO', 'ATX9Q']);
    expect(run.stdout).toBe('CONNECT 9600\n\nCONNECT 9600\n\nOK\n\nNO CARRIER\n\nERROR\n\n');
  });
});
