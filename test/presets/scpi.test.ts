import { describe, expect, it } from 'vitest';
import { runClient, servePreset, stopServersAfterEach } from './run-client.js';

stopServersAfterEach();

describe('the SCPI instrument preset', () => {
  it('answers *IDN? and MEAS:VOLT? to socat, one LF-ended line each, in any case', async () => {
    const { port } = await servePreset('scpi');
    // socat sends the queries, half-closes, and prints what comes back until the server closes.
    const run = await runClient('socat', ['-t', '10', '-', `TCP:127.0.0.1:${port}`], {
      input: '*IDN?\nMEAS:VOLT?\nmeasure:voltage:dc?\n',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Switchboard,Mock DMM 100,SN000001,1.0\n+1.23456700E+00\n+1.23456700E+00\n');
  });

  it('stays silent on commands with no answer and an unknown header, as an instrument does', async () => {
    const { port } = await servePreset('scpi');
    const run = await runClient('socat', ['-t', '10', '-', `TCP:127.0.0.1:${port}`], {
      input: '*RST\n*CLS\nVOLT:RANGE 10\n*OPC?\nSYST:ERR?\n',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('1\n+0,"No error"\n');
  });
});
