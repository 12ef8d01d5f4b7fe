import { describe, expect, it } from 'vitest';
import { SERVE_USAGE, parseServeArgs, type ServeOptions } from '../../electron/cli/serve-options.js';
import { DEFAULT_SETTINGS } from '../../electron/shared/protocol/settings.js';

const DEFAULTS: ServeOptions = {
  settings: { ...DEFAULT_SETTINGS },
  json: false,
  quiet: false,
  logFile: null,
  logMaxBytes: Infinity,
  logKeep: 5,
  commandsFile: null,
  forward: null,
  recordFile: null,
  api: null,
};

function options(argv: string[]): ServeOptions {
  const parsed = parseServeArgs(argv);
  if (parsed.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}

describe('parseServeArgs', () => {
  it('uses the contract defaults with no options', () => {
    expect(parseServeArgs([])).toEqual({ kind: 'run', options: DEFAULTS });
    // Spelled out on purpose, not DEFAULT_SETTINGS: these are the defaults
    // docs/command-line.md promises, so changing the constant must fail here.
    expect(DEFAULTS.settings).toEqual({
      host: '127.0.0.1',
      port: 31310,
      mode: 'session',
      maxConnections: 1000,
      idleTimeoutSec: 300,
      maxLineBytes: 4096,
      lineTimeoutSec: 60,
      maxPerRemote: 0,
      // The window's listener kind; the command line forwards with --forward.
      kind: 'mock',
      forward: '',
    });
  });

  it('reads every option', () => {
    expect(
      options([
        '--host',
        '0.0.0.0',
        '--port',
        '0',
        '--mode',
        'one-shot',
        '--max-connections',
        '5',
        '--idle-timeout',
        '2.5',
        '--max-line',
        '64',
        '--line-timeout',
        '0.5',
        '--max-per-remote',
        '3',
        '--json',
        '--quiet',
        '--log',
        '/tmp/events.jsonl',
        '--commands',
        'table.json',
      ]),
    ).toEqual({
      settings: {
        host: '0.0.0.0',
        port: 0,
        mode: 'one-shot',
        maxConnections: 5,
        idleTimeoutSec: 2.5,
        maxLineBytes: 64,
        lineTimeoutSec: 0.5,
        maxPerRemote: 3,
        kind: 'mock',
        forward: '',
      },
      json: true,
      quiet: true,
      logFile: '/tmp/events.jsonl',
      logMaxBytes: Infinity,
      logKeep: 5,
      commandsFile: 'table.json',
      forward: null,
      recordFile: null,
      api: null,
    });
  });

  it('takes the log retention with --log-max and --log-keep, and refuses bad values or no --log', () => {
    expect(options(['--log', 'x.jsonl', '--log-max', '1048576', '--log-keep', '2'])).toMatchObject({
      logMaxBytes: 1_048_576,
      logKeep: 2,
    });
    for (const bad of [
      ['--log', 'x', '--log-max', '10'],
      ['--log', 'x', '--log-max', '1e3x'],
      ['--log', 'x', '--log-keep', '-1'],
      ['--log', 'x', '--log-keep', '1.5'],
      ['--log-max', '100000'],
    ]) {
      expect(parseServeArgs(bad).kind, bad.join(' ')).toBe('bad');
    }
  });

  it('takes --opt=value as well as --opt value', () => {
    expect(options(['--port=8080', '--host=::1', '--mode=session']).settings).toMatchObject({
      port: 8080,
      host: '::1',
      mode: 'session',
    });
  });

  it('changes only what was given', () => {
    expect(options(['--port', '4000'])).toEqual({
      ...DEFAULTS,
      settings: { ...DEFAULT_SETTINGS, port: 4000 },
    });
    expect(options(['--json'])).toEqual({ ...DEFAULTS, json: true });
  });

  it('accepts the edges of each range', () => {
    expect(
      options(['--port', '65535', '--max-connections', '1', '--idle-timeout', '0', '--max-line', '1'])
        .settings,
    ).toEqual({ ...DEFAULT_SETTINGS, port: 65535, maxConnections: 1, idleTimeoutSec: 0, maxLineBytes: 1 });
  });

  it.each([['--help'], ['-h'], ['--port', '1', '--help']])('%s asks for help', (...argv) => {
    expect(parseServeArgs(argv)).toEqual({ kind: 'help' });
  });

  it('the usage names every option', () => {
    for (const flag of [
      '--host',
      '--port',
      '--mode',
      '--max-connections',
      '--idle-timeout',
      '--max-line',
      '--line-timeout',
      '--max-per-remote',
      '--json',
      '--quiet',
      '--log',
      '--commands',
      '--help',
    ]) {
      expect(SERVE_USAGE).toContain(`  ${flag}`);
    }
    expect(SERVE_USAGE.startsWith('Usage: npm run serve -- [options]')).toBe(true);
  });

  it.each([
    [['--port', 'abc'], '--port needs a number, got "abc"'],
    [['--port', ''], '--port needs a number, got ""'],
    [['--port', ' '], '--port needs a number, got " "'],
    [['--max-connections', 'many'], '--max-connections needs a number, got "many"'],
    [['--idle-timeout', 'NaN'], '--idle-timeout needs a number, got "NaN"'],
    [['--max-line', 'Infinity'], '--max-line needs a number, got "Infinity"'],
    [['--port=70000'], 'port: port must be 0 to 65535'],
    [['--port=-1'], 'port: port must be 0 to 65535'],
    [['--port', '1.5'], 'port: port must be a whole number'],
    [['--mode', 'forever'], 'mode: mode must be session or one-shot'],
    [['--max-connections', '0'], 'maxConnections: max connections must be at least 1'],
    [['--max-connections', '2.5'], 'maxConnections: max connections must be a whole number'],
    [['--idle-timeout=-1'], 'idleTimeoutSec: idle timeout must be 0 (none) or more seconds'],
    [['--max-line', '0'], 'maxLineBytes: max line must be at least 1 byte'],
    [['--host', 'my host'], 'host: host cannot contain spaces or slashes'],
    [['--line-timeout', 'soon'], '--line-timeout needs a number, got "soon"'],
    [['--line-timeout=-1'], 'lineTimeoutSec: line timeout must be 0 (none) or more seconds'],
    [['--max-per-remote', '1.5'], 'maxPerRemote: max per remote must be a whole number'],
    [['--max-per-remote=-2'], 'maxPerRemote: max per remote must be 0 (no limit) or more'],
  ])('refuses %j: %s', (argv, message) => {
    expect(parseServeArgs(argv)).toEqual({ kind: 'bad', message });
  });

  it.each([
    [['--nope'], "Unknown option '--nope'"],
    [['stray'], "Unexpected argument 'stray'"],
    [['--port'], "Option '--port <value>' argument missing"],
    [['--port', '-1'], "Option '--port' argument is ambiguous"],
  ])('refuses %j with a message from the parser', (argv, start) => {
    const parsed = parseServeArgs(argv);
    expect(parsed.kind).toBe('bad');
    if (parsed.kind === 'bad') expect(parsed.message.startsWith(start)).toBe(true);
  });

  it('refuses an empty host, saying what to enter', () => {
    const parsed = parseServeArgs(['--host', '']);
    expect(parsed.kind).toBe('bad');
    if (parsed.kind === 'bad') expect(parsed.message).toContain('host: enter a host, such as 127.0.0.1');
  });
});
