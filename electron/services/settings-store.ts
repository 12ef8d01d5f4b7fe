/**
 * The server settings on disk: JSON in the app's data folder, written
 * atomically so a crash mid-write leaves the old file. A damaged file is
 * moved aside and defaults are used; the window is told why.
 */
import path from 'node:path';
import { z } from 'zod';
import type { SettingsState } from '../shared/ipc/models.js';
import {
  DEFAULT_SETTINGS,
  describeIssues,
  serverSettingsSchema,
  type ServerSettings,
} from '../shared/protocol/settings.js';
import { JsonFileWriter, readJsonFile } from './json-file.js';

export const SETTINGS_FILE = 'settings.json';

/** The durable log's retention, when the user chose one (README.md gives the defaults). */
export interface LogRetentionSettings {
  maxBytes: number;
  keep: number;
}

interface SettingsFile {
  version: 1;
  server: ServerSettings;
  log?: LogRetentionSettings;
}

/** Bounds of a chosen retention: a file of at least 4 KiB, at most 1000 old files. */
export const MIN_LOG_FILE_BYTES = 4096;
export const MAX_LOG_FILES_KEPT = 1000;

export class SettingsStore {
  #state: SettingsState;
  readonly #writer: JsonFileWriter;
  #log: LogRetentionSettings | null;

  private constructor(
    readonly file: string,
    state: SettingsState,
    log: LogRetentionSettings | null,
  ) {
    this.#state = state;
    this.#log = log;
    this.#writer = new JsonFileWriter(file);
  }

  /** The log retention saved in the file (`"log": {"maxBytes", "keep"}`), or null for the defaults. */
  get logRetention(): LogRetentionSettings | null {
    return this.#log;
  }

  /** Reads the settings in `dataDir`, or falls back to defaults with a reason. */
  static async open(dataDir: string): Promise<SettingsStore> {
    const file = path.join(dataDir, SETTINGS_FILE);
    const read = await readJsonFile(file, parseSettings, 'using default settings');
    const state: SettingsState = read.value
      ? { settings: read.value.server }
      : { settings: { ...DEFAULT_SETTINGS }, ...(read.problem ? { problem: read.problem } : {}) };
    return new SettingsStore(file, state, read.value?.log ?? null);
  }

  get state(): SettingsState {
    return this.#state;
  }

  /** Saves new settings; resolves once they are on disk, rejects with a readable message. */
  async save(settings: ServerSettings): Promise<void> {
    const body: SettingsFile = { version: 1, server: settings, ...(this.#log ? { log: this.#log } : {}) };
    await this.#writer.write(body, 'settings');
    this.#state = { settings };
  }

  /** Saves the durable log's retention beside the server settings; it is read at the next start. */
  async saveLogRetention(log: LogRetentionSettings): Promise<void> {
    const body: SettingsFile = { version: 1, server: this.#state.settings, log };
    await this.#writer.write(body, 'settings');
    this.#log = log;
  }
}

/** The settings in the file's JSON, or what is wrong with them. */
function parseSettings(json: unknown): { server: ServerSettings; log?: LogRetentionSettings } | string {
  const server = typeof json === 'object' && json !== null && 'server' in json ? json.server : undefined;
  const parsed = serverSettingsSchema.safeParse(server);
  if (!parsed.success) return describeIssues(parsed.error);
  const log = typeof json === 'object' && json !== null && 'log' in json ? json.log : undefined;
  if (log === undefined) return { server: parsed.data };
  const retention = logRetentionSchema.safeParse(log);
  if (!retention.success) return `log: ${describeIssues(retention.error)}`;
  return { server: parsed.data, log: retention.data };
}

/** A retention as settings.json and the window give it. */
export const logRetentionSchema = z
  .object({
    maxBytes: z.number().int().min(MIN_LOG_FILE_BYTES, `maxBytes must be at least ${MIN_LOG_FILE_BYTES}`),
    keep: z.number().int().min(0).max(MAX_LOG_FILES_KEPT, `keep must be 0 to ${MAX_LOG_FILES_KEPT}`),
  })
  .strict();
