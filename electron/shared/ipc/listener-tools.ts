/**
 * What the window's listener tools say across IPC (docs/window.md): the
 * Faults panel, Record, the control API switch, and sending to or closing
 * one connection. The requests' shapes are checked by the contract; what
 * their values mean is judged in main, which answers with data.
 */
import { z } from 'zod';
import type { CommandTable } from '../protocol/command-table.js';
import type { Toxic } from '../protocol/toxics.js';

export interface FaultsState {
  /** The listener's toxics, defaults filled in, in the order they act. */
  toxics: Toxic[];
  /** The listener runs in a mode the toxics act in. */
  acting: boolean;
  /** Open connections of the running listener. */
  connections: number;
  /** For each toxic (by name), on how many open connections it acts (toxicity is drawn per connection). */
  active: Record<string, number>;
}

export interface RecordState {
  /** Record is on: forwarding Starts record, and a Stop opens the recording in the editor. */
  on: boolean;
  /** Requests recorded in this run, while a recording is going. */
  requests: number | null;
}

export interface ApiState {
  on: boolean;
  /** Where it listens (or would): loopback by default. */
  host: string;
  port: number;
  /** `http://HOST:PORT` while on. */
  address: string | null;
  /** Why the last switch-on failed. */
  error?: string;
}

export interface ToolsState {
  faults: FaultsState;
  record: RecordState;
  api: ApiState;
}

/** A toxic the Faults panel refused, with where: the toxic's index and field. */
export interface FaultIssue {
  index: number | null;
  field: string;
  message: string;
}

export type FaultsOutcome =
  { ok: true; state: ToolsState } | { ok: false; error: string; issues: FaultIssue[]; state: ToolsState };

export type ApiOutcome = { ok: true; state: ToolsState } | { ok: false; error: string; state: ToolsState };

export type ConnectionOutcome = { ok: true; sent: number } | { ok: false; error: string };

/** A recording made when a forwarding listener stopped with Record on, ready for the editor. */
export interface RecordingReady {
  table: CommandTable;
  /** Rules in it, requests seen, and the upstream it was recorded from. */
  rules: number;
  requests: number;
  upstream: string;
  /** Anything the recording could not keep (skipped requests, cut replies, a greeting left out). */
  note?: string;
}

/** Faults as the window sends them: a list; main checks each toxic with the table format's schema. */
export const faultsRequest = z.object({ toxics: z.array(z.unknown()).max(1000) }).strict();

export const recordRequest = z.object({ on: z.boolean() }).strict();

export const apiRequest = z.object({ on: z.boolean(), host: z.string().max(300), port: z.number() }).strict();

/** A line (or bytes) for one connection, or for every one: read as the test client reads its input. */
export const connectionSendRequest = z
  .object({
    conn: z.union([z.number(), z.literal('all')]),
    line: z.string().max(1024 * 1024),
    lineEnding: z.enum(['crlf', 'lf', 'none']),
    inputMode: z.enum(['text', 'hex', 'escapes']).optional(),
  })
  .strict();

export type ConnectionSendRequest = z.output<typeof connectionSendRequest>;

export const connectionCloseRequest = z.object({ conn: z.number() }).strict();
