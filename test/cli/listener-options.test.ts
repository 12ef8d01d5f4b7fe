import { describe, expect, it } from 'vitest';
import { parseServeArgs } from '../../electron/cli/serve-options.js';

function listeners(argv: string[]): unknown {
  const parsed = parseServeArgs(argv);
  if (parsed.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options.listeners;
}

function bad(argv: string[]): string {
  const parsed = parseServeArgs(argv);
  if (parsed.kind !== 'bad') throw new Error(`expected a bad option, got ${JSON.stringify(parsed)}`);
  return parsed.message;
}

describe('the listener options of npm run serve', () => {
  it('are absent for the plain TCP server', () => {
    expect(listeners(['--port', '0'])).toBeUndefined();
  });

  it('read --tls, --udp, --cert/--key (which imply TLS), --data-dir and --config', () => {
    const none = { configFile: null, certFile: null, keyFile: null, dataDir: null };
    expect(listeners(['--tls'])).toEqual({ ...none, transport: 'tls' });
    expect(listeners(['--udp', '--data-dir', '/tmp/d'])).toEqual({
      ...none,
      transport: 'udp',
      dataDir: '/tmp/d',
    });
    expect(listeners(['--cert', 'a.crt', '--key', 'a.key'])).toEqual({
      ...none,
      transport: 'tls',
      certFile: 'a.crt',
      keyFile: 'a.key',
    });
    expect(listeners(['--config', 'w.json', '--json'])).toEqual({
      ...none,
      transport: 'tcp',
      configFile: 'w.json',
    });
  });

  it.each([
    [
      ['--config', 'w.json', '--host', '0.0.0.0'],
      '--config takes every listener from the file: give --host there, not here',
    ],
    [
      ['--config', 'w.json', '--tls'],
      '--config takes every listener from the file: give --tls there, not here',
    ],
    [
      ['--config', 'w.json', '--max-per-remote', '2'],
      '--config takes every listener from the file: give --max-per-remote there, not here',
    ],
    [['--udp', '--cert', 'a', '--key', 'b'], '--udp cannot be combined with --tls, --cert or --key'],
    [['--key', 'b'], '--cert and --key go together: give both or neither'],
    [
      ['--tls', '--forward', '127.0.0.1:9'],
      '--forward works with a plain TCP listener only; forward over TLS or UDP from a --config file',
    ],
    [
      ['--udp', '--record', 'r.json'],
      '--record works with a plain TCP listener only; forward over TLS or UDP from a --config file',
    ],
    [
      ['--config', 'w.json', '--forward', '127.0.0.1:9'],
      '--config takes every listener from the file: give --forward there, not here',
    ],
  ])('refuse %j', (argv, message) => {
    expect(bad(argv)).toBe(message);
  });
});
