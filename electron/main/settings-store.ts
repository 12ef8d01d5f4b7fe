/**
 * The server settings on disk: JSON in the app's data folder, written
 * atomically (temp file + rename) so a crash mid-write leaves the old file.
 *
 * A corrupt or unreadable file never stops the app: it is moved aside,
 * defaults are used, and the problem is reported to the window.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SettingsState } from '../shared/models.js';
import { DEFAULT_SETTINGS, describeIssues, serverSettingsSchema, type ServerSettings } from '../shared/settings.js';

export const SETTINGS_FILE = 'settings.json';

interface SettingsFile {
  version: 1;
  server: ServerSettings;
}

export class SettingsStore {
  #state: SettingsState;
  #writes: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    state: SettingsState,
  ) {
    this.#state = state;
  }

  /** Reads the settings in `dataDir`, or falls back to defaults with a reason. */
  static async open(dataDir: string): Promise<SettingsStore> {
    const file = path.join(dataDir, SETTINGS_FILE);
    return new SettingsStore(file, await load(file));
  }

  get state(): SettingsState {
    return this.#state;
  }

  /** Saves new settings; resolves once they are on disk, rejects with a readable message. */
  save(settings: ServerSettings): Promise<void> {
    const body: SettingsFile = { version: 1, server: settings };
    const write = this.#writes.then(() => writeAtomically(this.file, `${JSON.stringify(body, null, 2)}\n`));
    // Later saves wait for this one, but do not inherit its failure.
    this.#writes = write.catch(() => undefined);
    return write.then(
      () => {
        this.#state = { settings };
      },
      (error: unknown) => {
        throw new Error(`could not save settings to ${this.file}: ${reason(error)}`);
      },
    );
  }
}

async function load(file: string): Promise<SettingsState> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return { settings: { ...DEFAULT_SETTINGS } };
    return { settings: { ...DEFAULT_SETTINGS }, problem: `could not read ${file} (${reason(error)}); using default settings` };
  }
  const problem = parse(text);
  if (typeof problem !== 'string') return { settings: problem };
  const aside = await moveAside(file);
  return {
    settings: { ...DEFAULT_SETTINGS },
    problem: `${file} is damaged (${problem}); using default settings${aside ? `, the old file is kept as ${aside}` : ''}`,
  };
}

/** The settings in the file, or a message saying what is wrong with it. */
function parse(text: string): ServerSettings | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `not valid JSON: ${reason(error)}`;
  }
  const server = typeof json === 'object' && json !== null && 'server' in json ? json.server : undefined;
  const parsed = serverSettingsSchema.safeParse(server);
  return parsed.success ? parsed.data : describeIssues(parsed.error);
}

async function moveAside(file: string): Promise<string | null> {
  const aside = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    await fs.rename(file, aside);
    return aside;
  } catch {
    return null;
  }
}

/** Writes `text` to `file` so that readers see either the old or the new file, never half of one. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
