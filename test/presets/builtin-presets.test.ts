import { promises as fs, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILT_IN_PRESETS } from '../../electron/services/builtin-presets.js';
import { CommandsService } from '../../electron/services/commands-service.js';
import { parseTableFile } from '../../electron/shared/protocol/command-table.js';
import { RawClient, startServer } from '../helpers/net.js';
import { ROOT } from '../helpers/process.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function openService(): Promise<{ service: CommandsService; port: number }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-presets-'));
  const { server, port } = await startServer();
  cleanups.push(
    () => server.stop(),
    () => fs.rm(dir, { recursive: true, force: true }),
  );
  return { service: await CommandsService.open(dir, server), port };
}

const PRESET_FILES = readdirSync(path.join(ROOT, 'presets')).filter((f) => f.endsWith('.json'));

describe('the presets shipped in presets/', () => {
  it.each(PRESET_FILES)('%s is a table the command line accepts, with a name', async (file) => {
    const check = parseTableFile(await fs.readFile(path.join(ROOT, 'presets', file), 'utf8'));
    expect(check.ok && check.table.name).toEqual(expect.any(String));
  });

  it('are every file of presets/, each listed once under its own name', () => {
    expect(BUILT_IN_PRESETS).toHaveLength(PRESET_FILES.length);
    const names = BUILT_IN_PRESETS.map((p) => p.name.toLowerCase());
    expect(new Set([...names, 'classic']).size).toBe(names.length + 1);
    for (const preset of BUILT_IN_PRESETS) expect(preset.table).not.toHaveProperty('$schema');
  });

  it('are listed as built-in presets right after Classic, and a saved preset cannot take their names', async () => {
    const { service } = await openService();
    expect(service.state.presets.map((p) => [p.name, p.builtIn])).toEqual([
      ['Classic', true],
      ...BUILT_IN_PRESETS.map((p) => [p.name, true]),
    ]);
    const outcome = await service.savePreset(' smtp ', { commands: [] });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toBe('name: smtp is the built-in preset; choose another name');
  });

  it('serve as listed when the window applies one: the SMTP preset greets a client', async () => {
    const { service, port } = await openService();
    const smtp = service.state.presets.find((p) => p.name === 'SMTP');
    expect((await service.apply(smtp?.table)).ok).toBe(true);
    const client = await RawClient.connect(port);
    cleanups.push(() => {
      client.destroy();
      return client.closed;
    });
    await client.waitFor('220 switchboard.test ESMTP mock ready\r\n');
    client.write('EHLO me\r\n');
    await client.waitFor('250 HELP\r\n');
  });
});
