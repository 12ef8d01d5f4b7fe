import { describe, expect, it } from 'vitest';
import {
  checkWorkspace,
  describeWorkspaceIssue,
  parseWorkspaceFile,
} from '../../../electron/shared/protocol/workspace.js';

/** The issues of a refused workspace, as the command line prints them. */
function problems(value: unknown): string[] {
  const check = checkWorkspace(value);
  if (check.ok) throw new Error('expected the workspace to be refused');
  return check.issues.map(describeWorkspaceIssue);
}

describe('checkWorkspace', () => {
  it('accepts TCP, TLS and UDP listeners, with defaults filled in', () => {
    const check = checkWorkspace({
      listeners: [
        { name: 'web', port: 0 },
        { name: 'secure', port: 0, transport: 'tls', cert: 'c.pem', key: 'k.pem', mode: 'one-shot' },
        { name: 'sensor', port: 4000, transport: 'udp', maxDatagramBytes: 512, commands: 'sensor.json' },
        { name: 'inline', port: 4000, commands: { commands: [{ name: 'PING', reply: 'PONG' }] } },
      ],
    });
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.workspace.listeners.map((l) => [l.name, l.transport])).toEqual([
      ['web', 'tcp'],
      ['secure', 'tls'],
      ['sensor', 'udp'],
      ['inline', 'tcp'],
    ]);
  });

  it('refuses an unknown transport, naming the listener and the field', () => {
    expect(
      problems({
        listeners: [
          { name: 'a', port: 0 },
          { name: 'b', port: 0, transport: 'sctp' },
        ],
      }),
    ).toEqual(['listener 2 "b", transport: transport must be tcp, tls or udp']);
  });

  it('refuses two listeners on one host and port of the same kind', () => {
    expect(
      problems({
        listeners: [
          { name: 'a', port: 5000 },
          { name: 'b', port: 5000, transport: 'udp' }, // UDP ports are another space
          { name: 'c', port: 5000, transport: 'tls' },
          { name: 'd', host: '0.0.0.0', port: 5000, transport: 'udp' },
          { name: 'e', host: '127.0.0.2', port: 5000 },
        ],
      }),
    ).toEqual([
      'listener 3 "c", port: TCP port 127.0.0.1:5000 is already taken by listener 1 "a" on 127.0.0.1:5000',
      'listener 4 "d", port: UDP port 0.0.0.0:5000 is already taken by listener 2 "b" on 127.0.0.1:5000',
    ]);
  });

  it('lets any number of listeners take port 0', () => {
    expect(
      checkWorkspace({
        listeners: [
          { name: 'a', port: 0 },
          { name: 'b', port: 0 },
        ],
      }).ok,
    ).toBe(true);
  });

  it('refuses duplicate names, bad settings and misplaced fields, each in its place', () => {
    expect(
      problems({
        listeners: [
          { name: 'a', port: 70000 },
          { name: 'a', port: 0 },
          { port: 0 },
          { name: 'x y', port: 0, mode: 'forever' },
          { name: 'c', port: 0, cert: 'c.pem' },
          { name: 'd', port: 0, transport: 'udp', cert: 'c.pem', key: 'k.pem' },
          { name: 'e', port: 0, colour: 'red' },
          { name: 'g', port: 0, maxDatagramBytes: 100 },
          { name: 'f', port: 0, commands: { commands: [{ name: 'X', reply: 'y', delayMs: -1 }] } },
        ],
      }),
    ).toEqual([
      'listener 1 "a", port: port must be 0 to 65535',
      'listener 3, name: give each listener a name',
      'listener 4 "x y", mode: mode must be session or one-shot',
      'listener 4 "x y", name: name cannot contain spaces or brackets',
      'listener 5 "c", key: cert and key go together: give both or neither',
      'listener 5 "c", cert: cert is for tls listeners only',
      'listener 6 "d", cert: cert is for tls listeners only',
      'listener 6 "d", key: key is for tls listeners only',
      'listener 7 "e": Unrecognized key: "colour"',
      'listener 8 "g", maxDatagramBytes: maxDatagramBytes is for udp listeners only',
      expect.stringMatching(/^listener 9 "f", commands: rule 1, delayMs: /),
    ]);
    // The names clash only once every listener is valid on its own.
    expect(
      problems({
        listeners: [
          { name: 'a', port: 0 },
          { name: 'a', port: 0 },
        ],
      }),
    ).toEqual(['listener 2 "a", name: "a" is already the name of listener 1 "a"']);
  });

  it('refuses a workspace without listeners, or with other keys', () => {
    expect(problems({ listeners: [] })).toEqual(['listeners: a workspace needs at least one listener']);
    expect(problems({})).toEqual(['listeners: listeners must be a list']);
    expect(problems({ listeners: [{ name: 'a' }], extra: 1 })).toEqual(['Unrecognized key: "extra"']);
  });
});

describe('parseWorkspaceFile', () => {
  it('names the line and column of a JSON syntax error', () => {
    const check = parseWorkspaceFile('{\n  "listeners": [,]\n}');
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(describeWorkspaceIssue(check.issues[0] ?? { message: '' })).toMatch(
      /^line 2, column \d+: not valid JSON/,
    );
  });
});
