import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LineServer } from '../../electron/core/server.js';
import { COMMANDS_FILE, CommandsService, INBOX_LIMIT } from '../../electron/services/commands-service.js';
import { BUILT_IN_PRESETS } from '../../electron/services/builtin-presets.js';
import { CLASSIC_TABLE, type CommandTable } from '../../electron/shared/protocol/command-table.js';
import type { CommandsState } from '../../electron/shared/ipc/models.js';
import { RawClient, startServer } from '../helpers/net.js';
import { SONG } from '../helpers/classic.js';

const CLASSIC_PRESET = { name: 'Classic', builtIn: true, table: CLASSIC_TABLE };
/** Classic, then the presets shipped in presets/: listed before any saved preset. */
const BUILT_INS = [CLASSIC_PRESET, ...BUILT_IN_PRESETS.map((p) => ({ ...p, builtIn: true }))];

const PING: CommandTable = {
  commands: [
    { name: 'PING', reply: 'PONG' },
    { pattern: '^GET (\\w+)$', reply: ['VALUE {1}', 'END'] },
  ],
};

let dir = '';
const cleanups: (() => Promise<unknown>)[] = [];
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-commands-'));
});
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
  await fs.rm(dir, { recursive: true, force: true });
});

function commandsFile(): string {
  return path.join(dir, COMMANDS_FILE);
}

async function server(): Promise<{ server: LineServer; port: number }> {
  const started = await startServer();
  cleanups.push(() => started.server.stop());
  return started;
}

async function client(port: number): Promise<RawClient> {
  const c = await RawClient.connect(port);
  cleanups.push(() => {
    c.destroy();
    return c.closed;
  });
  return c;
}

/** Opens a service on `dir` with a running server, recording every 'changed' state. */
async function open(dataDir = dir): Promise<{
  service: CommandsService;
  server: LineServer;
  port: number;
  changes: CommandsState[];
}> {
  const started = await server();
  const service = await CommandsService.open(dataDir, started.server);
  const changes: CommandsState[] = [];
  service.on('changed', (state) => changes.push(state));
  return { service, ...started, changes };
}

/** Sends `line` on `c` and returns exactly what came back for it (the reply ends with `last`). */
async function ask(c: RawClient, line: string, last: string): Promise<string> {
  const before = c.text.length;
  c.write(`${line}\r\n`);
  const text = await c.waitFor((t) => t.length > before && t.endsWith(last));
  return text.slice(before);
}

async function savedFile(): Promise<unknown> {
  return JSON.parse(await fs.readFile(commandsFile(), 'utf8')) as unknown;
}

describe('opening', () => {
  it('serves the classic table from an empty folder, and writes nothing', async () => {
    const { service, server, port } = await open();
    expect(service.state).toEqual({ table: CLASSIC_TABLE, presets: BUILT_INS, inbox: [] });
    expect(server.table).toEqual(CLASSIC_TABLE);
    const c = await client(port);
    expect(await ask(c, 'SONG', '\r\n')).toBe(SONG);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('serves the classic table when the saved file is damaged, keeps the file aside and says so', async () => {
    await fs.writeFile(commandsFile(), '{"version": 1, "table": ');
    const { service, port } = await open();
    expect(service.state.table).toEqual(CLASSIC_TABLE);
    const aside = (await fs.readdir(dir))[0] ?? '';
    expect(aside).toMatch(/^commands\.json\.damaged-[\dT-]+Z$/);
    expect(service.state.problem).toMatch(
      new RegExp(
        `^${escape(commandsFile())} is damaged \\(not valid JSON: .+\\); serving the classic table, the old file is kept as ${escape(path.join(dir, aside))}$`,
      ),
    );
    expect(await ask(await client(port), 'song', '\r\n')).toBe(SONG);
  });

  it('refuses a saved file whose table is not valid, naming the rule', async () => {
    const table = {
      commands: [
        { name: 'A', reply: 'a' },
        { pattern: '(', reply: 'b' },
      ],
    };
    await fs.writeFile(commandsFile(), JSON.stringify({ version: 1, table, presets: [] }));
    const { service } = await open();
    expect(service.state.table).toEqual(CLASSIC_TABLE);
    expect(service.state.problem).toContain(
      `is damaged (its table: rule 2, pattern: invalid pattern: missing closing ): \`(\`); serving the classic table`,
    );
  });

  it('refuses a saved file with a bad preset as a whole, naming the preset', async () => {
    const presets = [{ name: 'Mine', table: { commands: [{ name: 'A', reply: '{x}' }] } }];
    await fs.writeFile(commandsFile(), JSON.stringify({ version: 1, table: PING, presets }));
    const { service } = await open();
    expect(service.state.table).toEqual(CLASSIC_TABLE);
    expect(service.state.presets).toEqual(BUILT_INS);
    expect(service.state.problem).toContain('is damaged (preset Mine: rule 1, reply: unknown variable {x}');
  });

  it('refuses a file that is not a commands file', async () => {
    await fs.writeFile(commandsFile(), JSON.stringify(PING));
    const { service } = await open();
    expect(service.state.table).toEqual(CLASSIC_TABLE);
    expect(service.state.problem).toContain(
      'is damaged (not a Switchboard commands file); serving the classic table',
    );
  });
});

describe('apply', () => {
  it('serves a good table at once on an open connection, saves it, and a later open serves it', async () => {
    const { service, port, changes } = await open();
    const c = await client(port);
    expect(await ask(c, 'SONG', '\r\n')).toBe(SONG);

    const outcome = await service.apply(PING);
    const state: CommandsState = { table: PING, presets: BUILT_INS, inbox: [] };
    expect(outcome).toEqual({ ok: true, state });
    expect(changes).toEqual([state]);
    // The same connection, not reconnected, now gets the new table's replies.
    expect(await ask(c, 'ping', '\r\n')).toBe('PONG\r\n');
    expect(await ask(c, 'GET key', 'END\r\n')).toBe('VALUE key\r\nEND\r\n');
    expect(await ask(c, 'SONG', '\r\n')).toBe('Unknown command: SONG\r\n');
    expect(c.isClosed).toBe(false);

    expect(await savedFile()).toEqual({ version: 1, table: PING, presets: [] });
    expect(await fs.readdir(dir)).toEqual([COMMANDS_FILE]);

    const again = await open();
    expect(again.service.state).toEqual(state);
    expect(await ask(await client(again.port), 'PING', '\r\n')).toBe('PONG\r\n');
  });

  it('refuses a bad table with every issue by rule and field, and keeps serving the old one', async () => {
    const { service, server, port, changes } = await open();
    const c = await client(port);
    const bad = {
      commands: [
        { name: 'PING', reply: 'PONG' },
        { name: 'ping', reply: 'again' },
        { pattern: '^(a)\\1$', reply: 'x' },
      ],
    };
    expect(await service.apply(bad)).toEqual({
      ok: false,
      issues: [
        { rule: 1, field: 'name', message: 'ping is already the name of rule 1' },
        {
          rule: 2,
          field: 'pattern',
          message:
            'invalid pattern: invalid escape sequence: `\\1` (backreferences are not supported: patterns use RE2 syntax)',
        },
      ],
      error:
        'rule 2, name: ping is already the name of rule 1; rule 3, pattern: invalid pattern: invalid escape sequence: `\\1` (backreferences are not supported: patterns use RE2 syntax)',
    });
    expect(service.state.table).toEqual(CLASSIC_TABLE);
    expect(server.table).toEqual(CLASSIC_TABLE);
    expect(await ask(c, 'PING', '\r\n')).toBe('Unknown command: PING\r\n');
    expect(changes).toEqual([]);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('refuses what is not a table at all', async () => {
    const { service } = await open();
    const outcome = await service.apply('PING');
    expect(outcome).toEqual({
      ok: false,
      issues: [{ message: 'Invalid input: expected object, received string' }],
      error: 'Invalid input: expected object, received string',
    });
  });

  it('keeps serving an applied table when it cannot be saved, and reports the problem until a save works', async () => {
    const { service, port, changes } = await open();
    await fs.mkdir(commandsFile()); // a folder where the file goes: the rename fails
    const outcome = await service.apply(PING);
    expect(outcome.ok).toBe(true);
    const problem = outcome.ok ? outcome.state.problem : undefined;
    expect(problem).toMatch(
      new RegExp(`^could not save the command table to ${escape(commandsFile())}: \\S`),
    );
    expect(service.state.table).toEqual(PING);
    expect(changes.at(-1)?.problem).toBe(problem);
    expect(await ask(await client(port), 'PING', '\r\n')).toBe('PONG\r\n');
    expect(await fs.readdir(dir)).toEqual([COMMANDS_FILE]);

    await fs.rmdir(commandsFile());
    const retry = await service.apply(PING);
    expect(retry).toEqual({ ok: true, state: { table: PING, presets: BUILT_INS, inbox: [] } });
    expect(await savedFile()).toEqual({ version: 1, table: PING, presets: [] });
  });

  it('saves into a data folder that does not exist yet', async () => {
    const nested = path.join(dir, 'a', 'b');
    const { service } = await open(nested);
    expect((await service.apply(PING)).ok).toBe(true);
    expect(JSON.parse(await fs.readFile(path.join(nested, COMMANDS_FILE), 'utf8'))).toEqual({
      version: 1,
      table: PING,
      presets: [],
    });
  });
});

describe('presets', () => {
  it('saves a preset under its trimmed name, lists the built-in Classic first, and remembers it', async () => {
    const { service, changes } = await open();
    const outcome = await service.savePreset('  Modem  ', PING);
    const modem = { name: 'Modem', builtIn: false, table: { ...PING, name: 'Modem' } };
    expect(outcome).toEqual({
      ok: true,
      state: { table: CLASSIC_TABLE, presets: [...BUILT_INS, modem], inbox: [] },
    });
    expect(changes).toHaveLength(1);
    expect(await savedFile()).toEqual({
      version: 1,
      table: CLASSIC_TABLE,
      presets: [{ name: 'Modem', table: { ...PING, name: 'Modem' } }],
    });

    await service.savePreset('Chat', { commands: [{ name: 'HI', reply: 'hello {1}' }] });
    const again = await open();
    expect(again.service.state.presets.map((p) => [p.name, p.builtIn])).toEqual([
      ...BUILT_INS.map((p) => [p.name, true]),
      ['Modem', false],
      ['Chat', false],
    ]);
  });

  it('overwrites a preset of the same name in any case, in its place', async () => {
    const { service } = await open();
    await service.savePreset('Modem', PING);
    await service.savePreset('Other', PING);
    const replacement: CommandTable = { commands: [{ name: 'AT', reply: 'OK' }] };
    const outcome = await service.savePreset('MODEM', replacement);
    expect(outcome.ok && outcome.state.presets).toEqual([
      ...BUILT_INS,
      { name: 'MODEM', builtIn: false, table: { ...replacement, name: 'MODEM' } },
      { name: 'Other', builtIn: false, table: { ...PING, name: 'Other' } },
    ]);
  });

  it.each(['', '   '])('refuses a preset without a name (%j)', async (name) => {
    const { service, changes } = await open();
    expect(await service.savePreset(name, PING)).toEqual({
      ok: false,
      issues: [{ field: 'name', message: 'give the preset a name' }],
      error: 'name: give the preset a name',
    });
    expect(changes).toEqual([]);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it.each(['Classic', 'classic', ' CLASSIC '])('refuses the built-in name %j', async (name) => {
    const { service } = await open();
    const trimmed = name.trim();
    expect(await service.savePreset(name, PING)).toEqual({
      ok: false,
      issues: [{ field: 'name', message: `${trimmed} is the built-in preset; choose another name` }],
      error: `name: ${trimmed} is the built-in preset; choose another name`,
    });
    expect(service.state.presets).toEqual(BUILT_INS);
  });

  it('refuses a preset whose table is not valid, naming the rule and field', async () => {
    const { service } = await open();
    const outcome = await service.savePreset('Bad', { commands: [{ name: 'A', reply: 'x', delayMs: -1 }] });
    expect(outcome).toEqual({
      ok: false,
      issues: [{ rule: 0, field: 'delayMs', message: 'delayMs cannot be negative' }],
      error: 'rule 1, delayMs: delayMs cannot be negative',
    });
    expect(service.state.presets).toEqual(BUILT_INS);
  });

  it('saving a preset does not change the table being served', async () => {
    const { service, server } = await open();
    await service.savePreset('Modem', PING);
    expect(server.table).toEqual(CLASSIC_TABLE);
    expect(service.state.table).toEqual(CLASSIC_TABLE);
  });

  it('deletes a preset, for good', async () => {
    const { service, changes } = await open();
    await service.savePreset('Modem', PING);
    await service.savePreset('Chat', PING);
    const outcome = await service.deletePreset('Modem');
    expect(outcome.ok && outcome.state.presets.map((p) => p.name)).toEqual([
      ...BUILT_INS.map((p) => p.name),
      'Chat',
    ]);
    expect(changes).toHaveLength(3);
    expect(changes.at(-1)?.presets.map((p) => p.name)).toEqual([...BUILT_INS.map((p) => p.name), 'Chat']);
    expect(await savedFile()).toEqual({
      version: 1,
      table: CLASSIC_TABLE,
      presets: [{ name: 'Chat', table: { ...PING, name: 'Chat' } }],
    });
    expect((await open()).service.state.presets.map((p) => p.name)).toEqual([
      ...BUILT_INS.map((p) => p.name),
      'Chat',
    ]);
  });

  it('cannot delete the built-in Classic', async () => {
    const { service } = await open();
    const outcome = await service.deletePreset('Classic');
    expect(outcome.ok && outcome.state.presets).toEqual(BUILT_INS);
  });
});

describe('the unknown-command inbox', () => {
  it('counts repeated lines, most frequent first, then most recent', async () => {
    const { service, changes } = await open();
    service.noteUnknown('AT+GMR', 1000);
    service.noteUnknown('STATUS', 1001);
    service.noteUnknown('AT+GMR', 1002);
    service.noteUnknown('VERSION', 1003);
    service.noteUnknown('AT+GMR', 1004);
    service.noteUnknown('STATUS', 1005);
    service.noteUnknown('LIST', 1006);
    expect(service.state.inbox).toEqual([
      { line: 'AT+GMR', count: 3, lastAt: 1004 },
      { line: 'STATUS', count: 2, lastAt: 1005 },
      { line: 'LIST', count: 1, lastAt: 1006 },
      { line: 'VERSION', count: 1, lastAt: 1003 },
    ]);
    // Noting is silent: the owner batches inbox updates.
    expect(changes).toEqual([]);
  });

  it(`keeps at most ${INBOX_LIMIT} lines, forgetting the rarest and, among those, the oldest`, async () => {
    const { service } = await open();
    for (let i = 0; i < INBOX_LIMIT; i++) service.noteUnknown(`L${i}`, 10_000 + i);
    service.noteUnknown('L0', 20_000); // L0 is no longer the rarest; L1 is the oldest of the rare ones
    service.noteUnknown('NEW', 30_000);
    let inbox = service.state.inbox;
    expect(inbox).toHaveLength(INBOX_LIMIT);
    expect(inbox.map((u) => u.line)).not.toContain('L1');
    expect(inbox[0]).toEqual({ line: 'L0', count: 2, lastAt: 20_000 });
    expect(inbox[1]).toEqual({ line: 'NEW', count: 1, lastAt: 30_000 });

    service.noteUnknown('NEWER', 40_000);
    inbox = service.state.inbox;
    expect(inbox).toHaveLength(INBOX_LIMIT);
    expect(inbox.map((u) => u.line)).not.toContain('L2');
    expect(inbox.map((u) => u.line)).toContain('NEW');
  });

  it('keeps only the first 500 characters of a very long line, counting such lines together', async () => {
    const { service } = await open();
    const head = 'x'.repeat(500);
    service.noteUnknown(`${head}AAAA`, 1);
    service.noteUnknown(`${head}BBBB`, 2);
    service.noteUnknown(head, 3);
    expect(service.state.inbox).toEqual([{ line: head, count: 3, lastAt: 3 }]);
  });

  it('clears the inbox, telling listeners', async () => {
    const { service, changes } = await open();
    service.noteUnknown('x', 1);
    const state = service.clearInbox();
    expect(state).toEqual({ table: CLASSIC_TABLE, presets: BUILT_INS, inbox: [] });
    expect(changes).toEqual([state]);
    expect(service.state.inbox).toEqual([]);
  });

  it('is not saved: a later open starts with an empty inbox', async () => {
    const { service } = await open();
    service.noteUnknown('x', 1);
    await service.apply(PING);
    expect((await open()).service.state.inbox).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
