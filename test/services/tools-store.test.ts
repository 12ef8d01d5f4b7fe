import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../electron/services/app-services.js';
import { TOOLS_FILE } from '../../electron/services/tools-store.js';
import { DEFAULT_SETTINGS } from '../../electron/shared/protocol/settings.js';
import { SONG } from '../helpers/classic.js';
import type { ToolsState } from '../../electron/shared/ipc/listener-tools.js';
import { eventually, occupyPort, RawClient } from '../helpers/net.js';

let dir = '';
const running: AppServices[] = [];
const clients: RawClient[] = [];

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-tools-store-'));
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(running.splice(0).map((s) => s.shutdown()));
  await fs.rm(dir, { recursive: true, force: true });
});

async function open(): Promise<AppServices> {
  const services = await createAppServices({ dataDir: dir });
  running.push(services);
  return services;
}

/** Quits the app as the window's Quit does. */
async function quit(services: AppServices): Promise<void> {
  running.splice(running.indexOf(services), 1);
  await services.shutdown();
}

/** Starts the mock listener on a free port and asks SONG once; resolves with the milliseconds the reply took. */
async function songTime(services: AppServices): Promise<number> {
  const started = await services.handlers['server:start']({ ...DEFAULT_SETTINGS, port: 0 });
  if (!started.ok) throw new Error(started.error);
  const client = await RawClient.connect(started.status.port);
  clients.push(client);
  const t0 = performance.now();
  client.write('SONG\n');
  await client.waitFor(SONG, 10_000);
  return performance.now() - t0;
}

describe('the faults and the control API switch survive a restart', () => {
  it('brings the faults back on the next start, acting on a real connection', async () => {
    const first = await open();
    const set = await first.handlers['faults:set']({
      toxics: [{ name: 'slow', type: 'latency', attributes: { latency: 300 } }],
    });
    expect(set.ok).toBe(true);
    await quit(first);

    const second = await open();
    expect(second.startProblems).toEqual([]);
    const state = await second.handlers['tools:state'](undefined);
    expect(state.faults.toxics).toEqual([
      {
        name: 'slow',
        type: 'latency',
        stream: 'downstream',
        toxicity: 1,
        attributes: { latency: 300, jitter: 0 },
      },
    ]);
    // The reply waits at least the latency the saved toxic asks for.
    expect(await songTime(second)).toBeGreaterThanOrEqual(295);
    expect(state.api.on).toBe(false);

    // Clearing them is saved too.
    await second.handlers['faults:set']({ toxics: [] });
    await quit(second);
    const third = await open();
    expect(third.server.forward.toxics).toEqual([]);
  });

  it('keeps toxics a script set through the API on the window’s listener: shown in the panel, back after a restart', async () => {
    const first = await open();
    const pushed: unknown[] = [];
    first.subscribe((channel, payload) => {
      if (channel === 'tools:state') pushed.push(payload);
    });
    const on = await first.handlers['api:set']({ on: true, host: '127.0.0.1', port: 0 });
    if (!on.ok) throw new Error(on.error);
    const base = on.state.api.address ?? '';
    const created = await fetch(`${base}/switchboard/listeners/default/toxics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'scripted', type: 'latency', attributes: { latency: 300 } }),
    });
    expect(created.status).toBe(200);
    const shown = (await first.handlers['tools:state'](undefined)).faults.toxics;
    expect(shown.map((t) => t.name)).toEqual(['scripted']);
    // The window is told without asking.
    const named = (state: unknown): boolean =>
      (state as ToolsState | undefined)?.faults.toxics.some((t) => t.name === 'scripted') ?? false;
    await eventually(() => named(pushed.at(-1)), 5000, 'the panel to show the scripted toxic');
    // It acts on the mock listener the window starts.
    expect(await songTime(first)).toBeGreaterThanOrEqual(295);
    await quit(first);

    const second = await open();
    const state = await second.handlers['tools:state'](undefined);
    expect(state.faults.toxics).toEqual([
      {
        name: 'scripted',
        type: 'latency',
        stream: 'downstream',
        toxicity: 1,
        attributes: { latency: 300, jitter: 0 },
      },
    ]);
    // Removing it through the API is saved too.
    const removed = await fetch(`${state.api.address ?? ''}/switchboard/listeners/default/toxics/scripted`, {
      method: 'DELETE',
    });
    expect(removed.status).toBe(204);
    expect((await second.handlers['tools:state'](undefined)).faults.toxics).toEqual([]);
    await quit(second);
    const third = await open();
    expect(third.server.forward.toxics).toEqual([]);
  });

  it('makes a table a script sets through the API on the window’s listener the editor’s table, saved as the editor saves', async () => {
    const first = await open();
    const on = await first.handlers['api:set']({ on: true, host: '127.0.0.1', port: 0 });
    if (!on.ok) throw new Error(on.error);
    const table = { name: 'Scripted', commands: [{ name: 'PING', reply: 'PONG' }] };
    // The editor is told once the table is saved.
    const saved = new Promise<void>((resolve) => first.commands.once('changed', () => resolve()));
    const put = await fetch(`${on.state.api.address ?? ''}/switchboard/listeners/default/table`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(table),
    });
    expect(put.status).toBe(200);
    expect(first.commands.state.table).toMatchObject(table);
    await saved;
    expect(first.commands.state.problem).toBeUndefined();
    // The next start serves it, and the editor opens it.
    await quit(first);
    const second = await open();
    expect(second.commands.state.table).toMatchObject(table);
  });

  it('starts the control API only if it was on, at its saved address', async () => {
    const first = await open();
    const on = await first.handlers['api:set']({ on: true, host: '127.0.0.1', port: 0 });
    if (!on.ok) throw new Error(on.error);
    await quit(first);

    const second = await open();
    const state = await second.handlers['tools:state'](undefined);
    expect(state.api).toMatchObject({ on: true, host: '127.0.0.1' });
    const version = await fetch(`${state.api.address ?? ''}/version`);
    expect(version.status).toBe(200);
    await second.handlers['api:set']({ on: false, host: '127.0.0.1', port: 0 });
    await quit(second);

    const third = await open();
    expect((await third.handlers['tools:state'](undefined)).api).toMatchObject({ on: false, address: null });
  });

  it('shows a taken port as the control API’s error at start, not a crash', async () => {
    const taken = await occupyPort();
    try {
      await fs.writeFile(
        path.join(dir, TOOLS_FILE),
        JSON.stringify({ version: 1, faults: [], api: { on: true, host: '127.0.0.1', port: taken.port } }),
      );
      const services = await open();
      const state = await services.handlers['tools:state'](undefined);
      expect(state.api).toMatchObject({ on: false, port: taken.port });
      expect(state.api.error).toContain('already in use');
      expect(services.startProblems).toEqual([]);
    } finally {
      await taken.release();
    }
  });
});

describe('a saved tools file that cannot be used', () => {
  it('is a start problem when damaged, and the app starts with no faults', async () => {
    await fs.writeFile(path.join(dir, TOOLS_FILE), '{"version": 1, "faults": [');
    const services = await open();
    expect(services.startProblems).toEqual([
      expect.stringMatching(
        /listener-tools\.json is damaged \(not valid JSON: .*\); starting with no faults/,
      ),
    ]);
    const snapshot = await services.handlers['app:snapshot'](undefined);
    expect(snapshot.startProblems).toEqual(services.startProblems);
    expect(services.server.forward.toxics).toEqual([]);
    // Moved aside, not destroyed.
    expect((await fs.readdir(dir)).some((f) => f.startsWith(`${TOOLS_FILE}.damaged-`))).toBe(true);
  });

  it('refuses a file with one invalid toxic as a whole, saying where', async () => {
    await fs.writeFile(
      path.join(dir, TOOLS_FILE),
      JSON.stringify({
        version: 1,
        faults: [
          { name: 'ok', type: 'bandwidth', attributes: { rate: 10 } },
          { name: 'bad', type: 'latency', attributes: { latency: -1 } },
        ],
        api: { on: false, host: '127.0.0.1', port: 8474 },
      }),
    );
    const services = await open();
    expect(services.startProblems).toEqual([
      expect.stringContaining(
        'is damaged (faults: fault 2, attributes.latency: latency cannot be negative); starting with no faults',
      ),
    ]);
    expect(services.server.forward.toxics).toEqual([]);
  });
});
