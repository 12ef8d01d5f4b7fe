import { describe, expect, it } from 'vitest';
import { IpcRequestError, createDispatcher } from '../../electron/services/dispatcher.js';
import {
  INVOKE_CHANNELS,
  type Handlers,
  type InvokeChannel,
} from '../../electron/shared/ipc/ipc-contract.js';
import { serverSettingsSchema } from '../../electron/shared/protocol/settings.js';
import { SAMPLE_REQUESTS, SAMPLE_SEND, SAMPLE_SETTINGS } from '../helpers/ipc-requests.js';

const SETTINGS = SAMPLE_SETTINGS;
const SEND = SAMPLE_SEND;
/** A well-formed request for every channel. */
const VALID = SAMPLE_REQUESTS;

/**
 * One handler per channel of the contract, each recording what it was called
 * with and answering with an object of its own, so a test can tell which
 * handler answered and that its result came back untouched.
 */
function recordingHandlers(): {
  handlers: Handlers;
  calls: [InvokeChannel, unknown][];
  results: Map<InvokeChannel, object>;
} {
  const calls: [InvokeChannel, unknown][] = [];
  const results = new Map<InvokeChannel, object>();
  const table = Object.fromEntries(
    INVOKE_CHANNELS.map((channel) => {
      const result = { answeredBy: channel };
      results.set(channel, result);
      const handler = (req: unknown): Promise<object> => {
        calls.push([channel, req]);
        return Promise.resolve(result);
      };
      return [channel, handler];
    }),
  );
  // The dispatcher is generic over the table; each handler here answers any request.
  return { handlers: table as unknown as Handlers, calls, results };
}

async function refusal(promise: Promise<unknown>): Promise<IpcRequestError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IpcRequestError);
  return error as IpcRequestError;
}

describe('channels', () => {
  it.each([
    ['nope', 'unknown channel "nope"'],
    ['server:restart', 'unknown channel "server:restart"'],
    ['log:batch', 'unknown channel "log:batch"'], // an event channel, not an invoke channel
    ['__proto__', 'unknown channel "__proto__"'],
    ['toString', 'unknown channel "toString"'],
    [42, 'unknown channel "42"'],
    [undefined, 'unknown channel "undefined"'],
  ])('refuses the unknown channel %j', async (channel, message) => {
    const { handlers, calls } = recordingHandlers();
    const error = await refusal(createDispatcher(handlers)(channel, undefined));
    expect(error.message).toBe(message);
    expect(error.name).toBe('IpcRequestError');
    expect(calls).toEqual([]);
  });

  it('keeps the message short for a very long channel name', async () => {
    const { handlers } = recordingHandlers();
    const error = await refusal(createDispatcher(handlers)('x'.repeat(10_000), undefined));
    expect(error.message.startsWith('unknown channel "xxx')).toBe(true);
    expect(error.message.length).toBeLessThanOrEqual(100);
  });
});

describe('payloads', () => {
  it.each([
    ['server:start', { ...SETTINGS, port: '80' }, 'port: Invalid input: expected number, received string'],
    ['server:start', { ...SETTINGS, extra: 1 }, 'Unrecognized key: "extra"'],
    [
      'server:start',
      { host: 'h', port: 1, mode: 'session', maxConnections: 1, idleTimeoutSec: 0 },
      'maxLineBytes: Invalid input: expected number, received undefined',
    ],
    ['server:start', null, 'Invalid input: expected object, received null'],
    ['settings:save', { ...SETTINGS, host: 7 }, 'host: Invalid input: expected string, received number'],
    [
      'client:send',
      { ...SEND, lineEnding: 'lfcr' },
      'lineEnding: Invalid option: expected one of "crlf"|"lf"|"cr"|"none"',
    ],
    [
      'client:send',
      { ...SEND, framing: { raw: { gapMs: 0 } } },
      'framing.raw.gapMs: raw.gapMs must be at least 1',
    ],
    [
      'commands:try',
      { table: { commands: [] }, input: 'x', inputMode: 'bits' },
      'inputMode: Invalid option: expected one of "text"|"hex"|"escapes"',
    ],
    ['client:send', { ...SEND, line: 5 }, 'line: Invalid input: expected string, received number'],
    ['client:send', { ...SEND, port: undefined }, 'port: Invalid input: expected number, received undefined'],
    ['app:snapshot', {}, 'Invalid input: expected undefined, received object'],
    ['server:stop', 1, 'Invalid input: expected undefined, received number'],
    ['client:disconnect', 'now', 'Invalid input: expected undefined, received string'],
    ['client:connect', { host: 'h', port: 1, line: 'x' }, 'Unrecognized key: "line"'],
    [
      'client:connect',
      { host: 'h', port: 1, transport: 'sctp' },
      'transport: Invalid option: expected one of "tcp"|"tls"|"udp"',
    ],
    [
      'client:send',
      { ...SEND, tlsVerify: 'no' },
      'tlsVerify: Invalid input: expected boolean, received string',
    ],
    ['commands:apply', { rules: [] }, 'commands: Invalid input: expected array, received undefined'],
    ['commands:deletePreset', {}, 'name: Invalid input: expected string, received undefined'],
  ] as const)('refuses a malformed %s payload, naming the field', async (channel, payload, why) => {
    const { handlers, calls } = recordingHandlers();
    const error = await refusal(createDispatcher(handlers)(channel, payload));
    expect(error.message).toBe(`invalid request to ${channel}: ${why}`);
    expect(calls).toEqual([]);
  });

  it('refuses an oversized host or line before it reaches a handler', async () => {
    const { handlers, calls } = recordingHandlers();
    const dispatch = createDispatcher(handlers);
    expect(
      (await refusal(dispatch('server:start', { ...SETTINGS, host: 'h'.repeat(1001) }))).message,
    ).toMatch(/^invalid request to server:start: host: /);
    expect(
      (await refusal(dispatch('client:send', { ...SEND, line: 'x'.repeat(1024 * 1024 + 1) }))).message,
    ).toMatch(/^invalid request to client:send: line: /);
    expect(calls).toEqual([]);
  });
});

describe('routing', () => {
  it('has a well-formed sample for every channel of the contract', () => {
    expect(Object.keys(VALID).sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it.each(INVOKE_CHANNELS.map((c) => [c]))(
    'sends a valid %s request to exactly its handler, with the parsed payload, and returns its result as is',
    async (channel) => {
      const { handlers, calls, results } = recordingHandlers();
      const result = await createDispatcher(handlers)(channel, VALID[channel]);
      expect(result).toBe(results.get(channel));
      expect(calls).toEqual([[channel, VALID[channel]]]);
    },
  );

  it('leaves judging the values to the handler: an out-of-range port is well formed', async () => {
    const { handlers, calls } = recordingHandlers();
    await createDispatcher(handlers)('server:start', { ...SETTINGS, port: 70000 });
    expect(calls).toEqual([['server:start', { ...SETTINGS, port: 70000 }]]);
  });

  it('passes on a handler failure unchanged', async () => {
    const { handlers } = recordingHandlers();
    const boom = new Error('disk on fire');
    handlers['server:stop'] = () => Promise.reject(boom);
    await expect(createDispatcher(handlers)('server:stop', undefined)).rejects.toBe(boom);
  });
});

describe('the settings shape', () => {
  it('lets through every field the settings schema knows, so no setting is refused at the door', async () => {
    const { handlers, calls } = recordingHandlers();
    const every = Object.fromEntries(
      Object.keys(serverSettingsSchema.shape).map((key) => [
        key,
        SAMPLE_SETTINGS[key as keyof typeof SAMPLE_SETTINGS],
      ]),
    );
    await createDispatcher(handlers)('server:start', every);
    expect(calls).toEqual([['server:start', every]]);
  });
});
