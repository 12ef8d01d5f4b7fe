import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SETTINGS_FILE, SettingsStore } from '../../electron/services/settings-store.js';
import { DEFAULT_SETTINGS, type ServerSettings } from '../../electron/shared/protocol/settings.js';

let dir = '';
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-settings-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const CUSTOM: ServerSettings = {
  host: '0.0.0.0',
  port: 4242,
  mode: 'one-shot',
  maxConnections: 7,
  idleTimeoutSec: 1.5,
  maxLineBytes: 128,
  lineTimeoutSec: 60,
  maxPerRemote: 0,
  kind: 'mock',
  forward: '',
};

function settingsFile(): string {
  return path.join(dir, SETTINGS_FILE);
}

async function writeSettingsFile(text: string): Promise<void> {
  await fs.writeFile(settingsFile(), text, 'utf8');
}

describe('opening', () => {
  it('uses the defaults, without a problem, when there is no file', async () => {
    const store = await SettingsStore.open(dir);
    expect(store.state).toEqual({ settings: DEFAULT_SETTINGS });
    expect(store.file).toBe(settingsFile());
    expect(await fs.readdir(dir)).toEqual([]); // opening writes nothing
  });

  it('uses the defaults when even the data folder does not exist yet, and creates it on save', async () => {
    const nested = path.join(dir, 'a', 'b');
    const store = await SettingsStore.open(nested);
    expect(store.state).toEqual({ settings: DEFAULT_SETTINGS });
    await store.save(CUSTOM);
    expect(JSON.parse(await fs.readFile(path.join(nested, SETTINGS_FILE), 'utf8'))).toEqual({
      version: 1,
      server: CUSTOM,
    });
  });

  it('moves a file that is not JSON aside, uses the defaults, and says so naming the file', async () => {
    await writeSettingsFile('{"version": 1, "server": {');
    const store = await SettingsStore.open(dir);
    expect(store.state.settings).toEqual(DEFAULT_SETTINGS);
    const problem = store.state.problem ?? '';
    expect(problem).toContain(`${settingsFile()} is damaged (not valid JSON: `);
    expect(problem).toContain('using default settings');
    const entries = await fs.readdir(dir);
    expect(entries).toHaveLength(1);
    const aside = entries[0] ?? '';
    expect(aside).toMatch(/^settings\.json\.damaged-\d{4}-\d{2}-\d{2}T[\d-]+Z$/);
    expect(problem).toContain(`the old file is kept as ${path.join(dir, aside)}`);
    expect(await fs.readFile(path.join(dir, aside), 'utf8')).toBe('{"version": 1, "server": {');
  });

  it('refuses a value out of range, naming the field, and uses the defaults', async () => {
    await writeSettingsFile(JSON.stringify({ version: 1, server: { ...CUSTOM, port: 99999 } }));
    const store = await SettingsStore.open(dir);
    expect(store.state.settings).toEqual(DEFAULT_SETTINGS);
    expect(store.state.problem).toContain(`${settingsFile()} is damaged (port: port must be 0 to 65535)`);
    expect((await fs.readdir(dir)).filter((f) => f.startsWith('settings.json.damaged-'))).toHaveLength(1);
  });

  it.each([
    ['a wrong type', { ...CUSTOM, mode: 'forever' }, 'mode: mode must be session or one-shot'],
    ['an unknown key', { ...CUSTOM, colour: 'blue' }, 'Unrecognized key: "colour"'],
    ['a missing key', { host: 'h', port: 1 }, 'mode: mode must be session or one-shot'],
  ])('refuses %s with a message naming it', async (_, server, why) => {
    await writeSettingsFile(JSON.stringify({ version: 1, server }));
    const store = await SettingsStore.open(dir);
    expect(store.state.settings).toEqual(DEFAULT_SETTINGS);
    expect(store.state.problem).toContain(why);
  });

  it.each(['null', '[]', '42', '{}'])('treats the JSON %s as damaged, never throwing', async (text) => {
    await writeSettingsFile(text);
    const store = await SettingsStore.open(dir);
    expect(store.state.settings).toEqual(DEFAULT_SETTINGS);
    expect(store.state.problem).toContain(`${settingsFile()} is damaged (`);
  });

  it('reports a settings path it cannot read (a folder), using the defaults', async () => {
    await fs.mkdir(settingsFile());
    const store = await SettingsStore.open(dir);
    expect(store.state.settings).toEqual(DEFAULT_SETTINGS);
    expect(store.state.problem).toMatch(
      new RegExp(
        `^could not read ${escapeRegExp(settingsFile())} \\(it is a folder, not a file\\); using default settings$`,
      ),
    );
  });

  it('reports a data folder whose parent is a regular file, using the defaults', async () => {
    const blocker = path.join(dir, 'not-a-folder');
    await fs.writeFile(blocker, 'x');
    const store = await SettingsStore.open(path.join(blocker, 'data'));
    expect(store.state.settings).toEqual(DEFAULT_SETTINGS);
    expect(store.state.problem).toMatch(/^could not read .*ENOTDIR.*; using default settings$/);
  });
});

describe('saving', () => {
  it('saves, and a store opened later restores exactly what was saved', async () => {
    const store = await SettingsStore.open(dir);
    await store.save(CUSTOM);
    expect(store.state).toEqual({ settings: CUSTOM });
    const reopened = await SettingsStore.open(dir);
    expect(reopened.state).toEqual({ settings: CUSTOM });
  });

  it('writes readable JSON with a version, ending in a newline', async () => {
    const store = await SettingsStore.open(dir);
    await store.save(CUSTOM);
    const text = await fs.readFile(settingsFile(), 'utf8');
    expect(text).toBe(`${JSON.stringify({ version: 1, server: CUSTOM }, null, 2)}\n`);
  });

  it('clears an earlier problem once good settings are saved', async () => {
    await writeSettingsFile('garbage');
    const store = await SettingsStore.open(dir);
    expect(store.state.problem).toBeDefined();
    await store.save(CUSTOM);
    expect(store.state).toEqual({ settings: CUSTOM });
  });

  it('leaves no temporary file behind', async () => {
    const store = await SettingsStore.open(dir);
    await store.save(CUSTOM);
    await store.save({ ...CUSTOM, port: 1 });
    expect(await fs.readdir(dir)).toEqual([SETTINGS_FILE]);
  });

  it('many saves at once: every one resolves, the file is whole JSON holding the last, and no temp file is left', async () => {
    const store = await SettingsStore.open(dir);
    const saves = Array.from({ length: 50 }, (_, i) => ({ ...CUSTOM, port: 1000 + i }));
    // While they run, a reader only ever sees complete JSON (the old or a new file).
    let reads = 0;
    const saving = { done: false };
    const reader = (async () => {
      while (!saving.done) {
        const text = await fs.readFile(settingsFile(), 'utf8').catch((e: unknown) => {
          if (e instanceof Error && 'code' in e && e.code === 'ENOENT') return null;
          throw e;
        });
        if (text !== null) {
          const parsed = JSON.parse(text) as { server: ServerSettings };
          expect(parsed.server.port).toBeGreaterThanOrEqual(1000);
          reads++;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await Promise.all(saves.map((s) => store.save(s)));
    saving.done = true;
    await reader;
    expect(JSON.parse(await fs.readFile(settingsFile(), 'utf8'))).toEqual({
      version: 1,
      server: saves.at(-1),
    });
    expect(store.state).toEqual({ settings: saves.at(-1) });
    expect(await fs.readdir(dir)).toEqual([SETTINGS_FILE]);
    expect(reads).toBeGreaterThan(0);
  });

  it('rejects with a readable message when the folder cannot be made, and keeps its state', async () => {
    const blocker = path.join(dir, 'not-a-folder');
    await fs.writeFile(blocker, 'x');
    const store = await SettingsStore.open(path.join(blocker, 'data'));
    const before = store.state;
    const target = path.join(blocker, 'data', SETTINGS_FILE);
    await expect(store.save(CUSTOM)).rejects.toThrow(`could not save settings to ${target}: `);
    expect(store.state).toBe(before);
    expect(store.state.settings).toEqual(DEFAULT_SETTINGS);
    expect(await fs.readFile(blocker, 'utf8')).toBe('x');
  });

  it('a failed save does not stop a later one from working', async () => {
    const store = await SettingsStore.open(dir);
    await store.save(CUSTOM);
    // Block the file's place with a folder that holds something, so the rename fails.
    await fs.rm(settingsFile());
    await fs.mkdir(settingsFile());
    await fs.writeFile(path.join(settingsFile(), 'keep'), 'x');
    await expect(store.save({ ...CUSTOM, port: 1 })).rejects.toThrow(
      `could not save settings to ${settingsFile()}: `,
    );
    expect(store.state).toEqual({ settings: CUSTOM });
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await fs.rm(settingsFile(), { recursive: true });
    await store.save({ ...CUSTOM, port: 2 });
    expect(store.state).toEqual({ settings: { ...CUSTOM, port: 2 } });
    expect((await SettingsStore.open(dir)).state).toEqual({ settings: { ...CUSTOM, port: 2 } });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('the durable log’s retention', () => {
  it('is read from "log" in the file, kept across a save, and refused out of range', async () => {
    await writeSettingsFile(
      JSON.stringify({ version: 1, server: DEFAULT_SETTINGS, log: { maxBytes: 65_536, keep: 2 } }),
    );
    const store = await SettingsStore.open(dir);
    expect(store.logRetention).toEqual({ maxBytes: 65_536, keep: 2 });
    await store.save(CUSTOM);
    const saved = JSON.parse(await fs.readFile(settingsFile(), 'utf8')) as { log: unknown };
    expect(saved.log).toEqual({ maxBytes: 65_536, keep: 2 });

    await writeSettingsFile(
      JSON.stringify({ version: 1, server: DEFAULT_SETTINGS, log: { maxBytes: 10, keep: 2 } }),
    );
    const refused = await SettingsStore.open(dir);
    expect(refused.logRetention).toBeNull();
    expect(refused.state.problem).toContain('(log: maxBytes: maxBytes must be at least 4096)');
  });

  it('is what the app rotates by, and the snapshot says so', async () => {
    await writeSettingsFile(
      JSON.stringify({ version: 1, server: DEFAULT_SETTINGS, log: { maxBytes: 8192, keep: 1 } }),
    );
    const { createAppServices } = await import('../../electron/services/app-services.js');
    const app = await createAppServices({ dataDir: dir });
    try {
      const snapshot = await app.handlers['app:snapshot'](undefined);
      expect(snapshot.logRetention).toMatchObject({
        maxBytes: 8192,
        keep: 1,
        rowsInFiles: 0,
        rowsRotatedAway: 0,
      });
    } finally {
      await app.shutdown();
    }
  });
});
