/**
 * One well-formed request for every invoke channel, typed from the contract:
 * a channel added to the contract fails to compile here until it has one,
 * and every test that walks the channels takes its payloads from this table.
 */
import type { InvokeChannel, InvokeRequest } from '../../electron/shared/ipc/ipc-contract.js';
import { DEFAULT_SETTINGS } from '../../electron/shared/protocol/settings.js';

export const SAMPLE_SETTINGS = { ...DEFAULT_SETTINGS, port: 31310 };
export const SAMPLE_SEND: InvokeRequest<'client:send'> = {
  host: '127.0.0.1',
  port: 31310,
  line: 'SONG',
  lineEnding: 'crlf',
  transport: 'tcp',
};
export const SAMPLE_TABLE = { commands: [{ name: 'PING', reply: 'PONG' }] };

export const SAMPLE_REQUESTS: { [K in InvokeChannel]: InvokeRequest<K> } = {
  'app:snapshot': undefined,
  'server:start': SAMPLE_SETTINGS,
  'server:stop': undefined,
  'settings:save': { ...SAMPLE_SETTINGS, mode: 'one-shot' },
  'client:send': SAMPLE_SEND,
  'client:disconnect': undefined,
  'client:connect': { host: '127.0.0.1', port: 31310, transport: 'tls', tlsVerify: false },
  'client:clear': undefined,
  'commands:apply': SAMPLE_TABLE,
  'commands:savePreset': { name: 'Mine', table: SAMPLE_TABLE },
  'commands:deletePreset': { name: 'Mine' },
  'commands:clearInbox': undefined,
  'commands:try': { table: SAMPLE_TABLE, input: 'PING', inputMode: 'text' },
  'log:previous': undefined,
  'log:clear': undefined,
  'stats:reset': undefined,
  'log:retention': undefined,
  'log:saveRetention': { maxBytes: 1024 * 1024, keep: 3 },
  'log:runPage': { afterSeq: 0 },
  'tools:state': undefined,
  'faults:set': { toxics: [{ name: 'slow', type: 'latency', attributes: { latency: 100 } }] },
  'record:set': { on: true },
  'api:set': { on: false, host: '127.0.0.1', port: 0 },
  'connection:send': { conn: 'all', line: 'hello', lineEnding: 'crlf' },
  'connection:close': { conn: 1 },
  'listeners:state': undefined,
  'listeners:add': { name: 'events', transport: 'udp', host: '127.0.0.1', port: 0, commands: SAMPLE_TABLE },
  'listeners:remove': { name: 'events' },
  'listeners:start': { name: 'events' },
  'listeners:stop': { name: 'events' },
  'listeners:startAll': undefined,
  'listeners:stopAll': undefined,
  'listeners:export': undefined,
  'listeners:import': { text: '{ "listeners": [{ "name": "events", "transport": "udp", "port": 0 }] }' },
};
