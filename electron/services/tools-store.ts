/**
 * The window listener's faults and the control API switch on disk
 * (docs/window.md, "Faults" and "Control API"): JSON in the app's data
 * folder, written atomically, checked on load with the same schemas the
 * window's requests are. A damaged file is moved aside and the app starts
 * with no faults and the API off; the window is told why.
 */
import path from 'node:path';
import { z } from 'zod';
import type { FaultIssue } from '../shared/ipc/listener-tools.js';
import { describeIssues, serverSettingsSchema } from '../shared/protocol/settings.js';
import { resolveToxic, toxicsSchema, type Toxic } from '../shared/protocol/toxics.js';
import { JsonFileWriter, readJsonFile } from './json-file.js';

export const TOOLS_FILE = 'listener-tools.json';

export interface ApiSwitch {
  on: boolean;
  host: string;
  port: number;
}

export interface SavedTools {
  faults: Toxic[];
  api: ApiSwitch;
}

export type FaultsCheck = { ok: true; toxics: Toxic[] } | { ok: false; error: string; issues: FaultIssue[] };

/** Checks every toxic with the table format's schema and that no name repeats; all or nothing. */
export function checkFaults(toxics: unknown): FaultsCheck {
  const parsed = toxicsSchema.safeParse(toxics);
  const issues: FaultIssue[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [index, ...rest] = issue.path;
      issues.push({
        index: typeof index === 'number' ? index : null,
        field: rest.map(String).join('.'),
        message: issue.message,
      });
    }
  } else {
    const seen = new Map<string, number>();
    parsed.data.forEach((toxic, index) => {
      const first = seen.get(toxic.name);
      if (first !== undefined) {
        issues.push({
          index,
          field: 'name',
          message: `${toxic.name} is already the name of fault ${first + 1}`,
        });
      } else seen.set(toxic.name, index);
    });
  }
  if (!parsed.success || issues.length > 0) {
    const error = issues
      .map((i) =>
        i.index === null ? i.message : `fault ${i.index + 1}${i.field ? `, ${i.field}` : ''}: ${i.message}`,
      )
      .join('; ');
    return { ok: false, error, issues };
  }
  return { ok: true, toxics: parsed.data.map(resolveToxic) };
}

/** The API switch as the file holds it: the address checked as the listener's own is. */
const apiSwitchSchema = serverSettingsSchema
  .pick({ host: true, port: true })
  .extend({ on: z.boolean({ error: 'on must be true or false' }) })
  .strict();

export class ToolsStore {
  readonly #writer: JsonFileWriter;

  private constructor(readonly file: string) {
    this.#writer = new JsonFileWriter(file);
  }

  /** Reads the saved tools in `dataDir`: null when there are none, or with a problem when the file is damaged. */
  static async open(
    dataDir: string,
  ): Promise<{ store: ToolsStore; saved: SavedTools | null; problem?: string }> {
    const file = path.join(dataDir, TOOLS_FILE);
    const read = await readJsonFile(file, parseTools, 'starting with no faults and the control API off');
    return {
      store: new ToolsStore(file),
      saved: read.value,
      ...(read.problem ? { problem: read.problem } : {}),
    };
  }

  /** Resolves once `tools` are on disk; rejects with "could not save …". */
  save(tools: SavedTools): Promise<void> {
    return this.#writer.write({ version: 1, ...tools }, 'the faults and the control API switch');
  }
}

function parseTools(json: unknown): SavedTools | string {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'not a JSON object';
  const file = json as Record<string, unknown>;
  if (file.version !== 1) return 'version must be 1';
  const faults = checkFaults(file.faults ?? []);
  if (!faults.ok) return `faults: ${faults.error}`;
  const api = apiSwitchSchema.safeParse(file.api);
  if (!api.success) return `api: ${describeIssues(api.error)}`;
  return { faults: faults.toxics, api: api.data };
}
