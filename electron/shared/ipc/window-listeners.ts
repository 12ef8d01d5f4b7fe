/**
 * The window's extra listeners across IPC (docs/window.md, "Listeners"):
 * beside the window's own listener (`default`), listeners of any transport
 * (TCP, TLS, UDP), each a mock with its own table or a forwarder, started
 * and stopped alone or all together, saved as a workspace file
 * (docs/listeners.md). The contract checks the requests' shapes; main
 * judges their values and answers with data.
 */
import { z } from 'zod';
import type { Transport } from '../protocol/workspace.js';
import type { ServerSettings } from '../protocol/settings.js';
import type { ServerStats } from './models.js';

/** One row of the window's list of listeners (the extra ones; `default` is the window's own). */
export interface ListenerRow {
  name: string;
  transport: Transport;
  /** Where it listens (or will). */
  host: string;
  port: number;
  kind: 'mock' | 'forward';
  /** Forward mode: HOST:PORT it forwards to. */
  forward?: string;
  /** Forward mode over TLS: whether the target's certificate is checked. */
  forwardTls?: 'checked' | 'unchecked';
  /** Mock mode: where its table came from (`applied table`, a preset's name, a file's name). */
  tableLabel: string;
  state: 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';
  /** Open connections (UDP: remotes heard from and not idle yet). */
  connections: number;
  /** How many toxics act on it (docs/window.md, "Faults"). */
  toxics: number;
  /** TLS: the SHA-256 fingerprint of the certificate it presents. */
  fingerprint?: string;
  /** Why the last start failed. */
  error?: string;
  /** Listening beyond this machine, fewer connections than asked for. */
  warnings?: string[];
  /** Its own counters (the Live card shows them when it is picked), counted from its rows. */
  stats?: ServerStats;
}

export interface ListenersState {
  listeners: ListenerRow[];
  /** The workspace file in the data folder, where the list is kept. */
  file: string;
}

const name = z.string().max(200);

export const listenerAddRequest = z
  .object({
    name,
    transport: z.string().max(20),
    host: z.string().max(1000),
    /** Left out: the next free port. */
    port: z.number().optional(),
    /** HOST:PORT to forward to; left out, a mock answering by `commands`. */
    forward: z.string().max(1000).optional(),
    /** The mock's command table (checked in main). */
    commands: z.looseObject({ commands: z.array(z.unknown()).max(10_000) }).optional(),
    tableLabel: z.string().max(300).optional(),
    /** Its own toxics (TCP and TLS), as a workspace file gives them (docs/listeners.md). */
    toxics: z.array(z.unknown()).max(100).optional(),
    /** Its own limits; left out, the defaults (checked in main as the workspace file's). */
    maxConnections: z.number().optional(),
    idleTimeoutSec: z.number().optional(),
    lineTimeoutSec: z.number().optional(),
    maxPerRemote: z.number().optional(),
    /** Forward mode: reach the target over TLS, `true` checking its certificate (docs/listeners.md). */
    forwardTls: z
      .union([
        z.boolean(),
        z.object({ verify: z.boolean().optional(), servername: z.string().max(300).optional() }).strict(),
      ])
      .optional(),
  })
  .strict();
export type ListenerAddRequest = z.output<typeof listenerAddRequest>;

export const listenerNameRequest = z.object({ name }).strict();

/** A workspace file's text, as read by the window. */
export const workspaceImportRequest = z.object({ text: z.string().max(64 * 1024 * 1024) }).strict();

export type ListenersOutcome =
  { ok: true; state: ListenersState } | { ok: false; error: string; state: ListenersState };

/** Start of one or all: the state after, and each listener that could not start. */
export interface ListenersStartOutcome {
  state: ListenersState;
  failed: { name: string; error: string }[];
}

export type WorkspaceImportOutcome =
  | {
      ok: true;
      state: ListenersState;
      /** The window's own listener's settings, when the file had `default` (the form takes them). */
      settings?: ServerSettings;
      /** What the user should know: `default` is running, so its settings apply at its next Start. */
      note?: string;
    }
  | { ok: false; error: string; problems: string[]; state: ListenersState };

export interface WorkspaceExport {
  /** The workspace file's text (docs/listeners.md). */
  text: string;
  fileName: string;
}
