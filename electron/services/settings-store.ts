/**
 * The server settings on disk: JSON in the app's data folder, written
 * atomically so a crash mid-write leaves the old file. A damaged file is
 * moved aside and defaults are used; the window is told why.
 */
import path from 'node:path';
import type { SettingsState } from '../shared/ipc/models.js';
import {
  DEFAULT_SETTINGS,
  describeIssues,
  serverSettingsSchema,
  type ServerSettings,
} from '../shared/protocol/settings.js';
import { JsonFileWriter, readJsonFile } from './json-file.js';

export const SETTINGS_FILE = 'settings.json';

interface SettingsFile {
  version: 1;
  server: ServerSettings;
}

export class SettingsStore {
  #state: SettingsState;
  readonly #writer: JsonFileWriter;

  private constructor(
    readonly file: string,
    state: SettingsState,
  ) {
    this.#state = state;
    this.#writer = new JsonFileWriter(file);
  }

  /** Reads the settings in `dataDir`, or falls back to defaults with a reason. */
  static async open(dataDir: string): Promise<SettingsStore> {
    const file = path.join(dataDir, SETTINGS_FILE);
    const read = await readJsonFile(file, parseSettings, 'using default settings');
    const state: SettingsState = read.value
      ? { settings: read.value }
      : { settings: { ...DEFAULT_SETTINGS }, ...(read.problem ? { problem: read.problem } : {}) };
    return new SettingsStore(file, state);
  }

  get state(): SettingsState {
    return this.#state;
  }

  /** Saves new settings; resolves once they are on disk, rejects with a readable message. */
  async save(settings: ServerSettings): Promise<void> {
    const body: SettingsFile = { version: 1, server: settings };
    await this.#writer.write(body, 'settings');
    this.#state = { settings };
  }
}

/** The settings in the file's JSON, or what is wrong with them. */
function parseSettings(json: unknown): ServerSettings | string {
  const server = typeof json === 'object' && json !== null && 'server' in json ? json.server : undefined;
  const parsed = serverSettingsSchema.safeParse(server);
  return parsed.success ? parsed.data : describeIssues(parsed.error);
}
