/**
 * The rule tester's question and answer (docs/window.md, "Rule tester"):
 * some input bytes and the state a connection is in, and what a server
 * serving the table would do with them — how its framing cuts the input
 * into requests, which rule answers each, and the exact bytes it sends.
 *
 * Main answers with the engine the server runs (electron/core), so the
 * answer is the server's own; this module holds only the shapes and the
 * small pure helpers both sides use to show bytes.
 */
import { z } from 'zod';
import { START_STATE } from './command-table.js';

/** The most input bytes one trial takes: a few requests, not a capture. */
export const MAX_TRIAL_INPUT_CHARS = 64 * 1024;
/** Requests answered per trial; the rest of the input is reported, not answered. */
export const MAX_TRIAL_FRAMES = 64;
/** Bytes of a request or a reply shown in a trial's answer; longer ones say their full length. */
export const TRIAL_SHOWN_BYTES = 4096;

export const trialRequestSchema = z
  .object({
    /** The table to try: checked as Apply checks it. */
    table: z.looseObject({ commands: z.array(z.unknown()).max(10_000) }),
    /** The input as typed. */
    input: z.string().max(MAX_TRIAL_INPUT_CHARS, `the input is at most ${MAX_TRIAL_INPUT_CHARS} characters`),
    /** `text`: UTF-8 as typed; `hex`: hex pairs; `escapes`: text with \r, \n, \xHH… (see client-input.ts). */
    inputMode: z.enum(['text', 'hex', 'escapes']),
    /** The state the connection is in before the first request; `start` when left out. */
    state: z.string().max(64).optional(),
  })
  .strict();

export type TrialRequest = z.output<typeof trialRequestSchema>;

/** What a rule (or a built-in) answered to one request. */
export interface TrialAnswer {
  kind: 'rule' | 'help' | 'quit' | 'unknown';
  /** 0-based index of the rule, for `kind: 'rule'`. */
  rule?: number;
  /** The reply's bytes as hex pairs ("0d 0a"), at most TRIAL_SHOWN_BYTES of them. */
  hex: string;
  /** The reply read as text (UTF-8; bytes replies as latin1), at most TRIAL_SHOWN_BYTES. */
  text: string;
  /** The reply's full length in bytes. */
  bytes: number;
  delayMs: number;
  close: boolean;
  /** The state the connection moves to, or null when it stays. */
  nextState: string | null;
}

export interface TrialFrame {
  /** The request as hex pairs, without its terminator, at most TRIAL_SHOWN_BYTES. */
  hex: string;
  /** The request as the rules read it: a trimmed line, or the bytes as latin1. */
  text: string;
  bytes: number;
  /** Longer than the server's max line: the server answers `ERR line too long` and closes. */
  overLimit: boolean;
  /** The state it was matched in. */
  state: string;
  /** What answers it; null for a blank line (no answer) or an over-limit request. */
  answer: TrialAnswer | null;
}

export type TrialOutcome =
  | {
      ok: true;
      frames: TrialFrame[];
      /**
       * Input bytes no request holds: a partial frame `fixed` or `lengthField`
       * drops at the end, or what comes after a reply that closes.
       */
      leftover: string;
      /** The state after the last request. */
      state: string;
      /** A reply closed the connection (or a request was over the limit). */
      closed: boolean;
      /** More requests than MAX_TRIAL_FRAMES: the rest were not answered. */
      truncated: boolean;
      /** What the table sends as a client connects, before any request; null without a greeting. */
      greeting: { hex: string; text: string; bytes: number } | null;
    }
  | { ok: false; error: string };

export const TRIAL_START_STATE = START_STATE;

/** Bytes as spaced hex pairs, lower case: "48 45 4c 4f". */
export function hexPairs(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0) out += ' ';
    out += (bytes[i] ?? 0).toString(16).padStart(2, '0');
  }
  return out;
}
