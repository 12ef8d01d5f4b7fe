/**
 * How many connections the process can really hold: every socket is a file
 * descriptor, and past the process's limit accept fails (EMFILE) and a
 * newcomer waits in silence. Read without a native addon: /proc on Linux,
 * the shell's `ulimit -n` elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { openSync, closeSync, readFileSync, readdirSync } from 'node:fs';

/**
 * Descriptors kept free beyond the connections: for turning newcomers away
 * with `ERR server busy` (each needs one while it says so), the log file
 * and its rotation, a command table being read, and the spare one.
 */
export const DESCRIPTOR_HEADROOM = 64;

/** The soft limit on open files, or `null` when it cannot be read or there is none. */
export function readDescriptorLimit(): number | null {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const m = /^Max open files\s+(\S+)/m.exec(limits);
    if (m?.[1]) return m[1] === 'unlimited' ? null : Number(m[1]);
  } catch {
    // not Linux: ask a shell
  }
  try {
    const out = execFileSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'utf8', timeout: 2000 }).trim();
    return /^\d+$/.test(out) ? Number(out) : null;
  } catch {
    return null;
  }
}

/** Descriptors open in this process now, or `null` where that cannot be listed. */
export function countOpenDescriptors(): number | null {
  for (const dir of ['/proc/self/fd', '/dev/fd']) {
    try {
      return readdirSync(dir).length;
    } catch {
      // try the next
    }
  }
  return null;
}

export interface ConnectionCapacity {
  /** Connections the server will hold at once. */
  limit: number;
  /** Set when the descriptor limit lowered the configured one: what to tell the user. */
  warning?: string;
}

/** The connection limit the descriptor limit allows, given what is open already. */
export function connectionCapacity(
  maxConnections: number,
  descriptorLimit: number | null,
  openNow: number | null,
): ConnectionCapacity {
  if (descriptorLimit === null) return { limit: maxConnections };
  const free = descriptorLimit - (openNow ?? 0) - DESCRIPTOR_HEADROOM;
  if (free >= maxConnections) return { limit: maxConnections };
  const limit = Math.max(1, free);
  return {
    limit,
    warning:
      `the process may open only ${descriptorLimit} files (ulimit -n): ` +
      `serving at most ${limit} connections at once instead of ${maxConnections}; ` +
      `raise the limit to serve more`,
  };
}

/**
 * One descriptor held in reserve: given back when accept runs out of
 * descriptors anyway (something else opened files), so that the next
 * newcomer can at least be told `ERR server busy`.
 */
export class SpareDescriptor {
  #fd: number | null = null;

  /** Takes the spare, if it is not held and one is free. */
  hold(): void {
    if (this.#fd !== null) return;
    try {
      this.#fd = openSync('/dev/null', 'r');
    } catch {
      this.#fd = null; // none free now: try again when a connection closes
    }
  }

  /** Gives the spare back to the process. */
  release(): void {
    if (this.#fd === null) return;
    closeSync(this.#fd);
    this.#fd = null;
  }

  get held(): boolean {
    return this.#fd !== null;
  }
}
