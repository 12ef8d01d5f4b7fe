/**
 * The test client's quick-command buttons: the command table's names when
 * the client talks to this window's own server, or the names another server
 * listed in its answer to HELP (`Commands: A B C`).
 */
import type { CommandTable } from '../../../electron/shared/protocol/command-table';
import type { ClientEvent, ServerStatus } from '../../../electron/shared/ipc/models';
import { formatHostPort } from './format';

export interface QuickCommands {
  /** Where the names came from; `none` offers HELP alone, to ask for them. */
  source: 'table' | 'help' | 'none';
  commands: readonly string[];
}

/** The table's named rules in order, then the built-in HELP and QUIT unless the table turns them off. */
export function tableCommands(table: CommandTable): string[] {
  const names: string[] = [];
  for (const rule of table.commands) if (rule.name !== undefined) names.push(rule.name);
  if (table.builtins?.help !== false) names.push('HELP');
  if (table.builtins?.quit !== false) names.push('QUIT');
  return unique(names);
}

/** Commands are matched case-insensitively, so `song` and `SONG` are one button. */
function unique(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const key = n.toUpperCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const HELP_REPLY = /^Commands:\s*(.*)$/;

/**
 * The names in the newest `Commands: …` reply of the current session with
 * `target`: replies from before the last connect belong to some other
 * server, or to an older state of this one.
 */
export function helpCommands(
  transcript: readonly ClientEvent[],
  target: { host: string; port: number },
): string[] | null {
  let found: string[] | null = null;
  for (let i = transcript.length - 1; i >= 0; i--) {
    const event = transcript[i];
    if (!event) continue;
    if (event.kind === 'connected') {
      const here = event.text === `connected to ${formatHostPort(target.host, target.port)}`;
      return here ? found : null;
    }
    if (found === null && event.kind === 'reply') {
      const m = HELP_REPLY.exec(event.text);
      if (m) found = unique((m[1] ?? '').split(/\s+/).filter((n) => n !== ''));
    }
  }
  return null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Whether `target` reaches the server this window runs. */
export function isOwnServer(target: { host: string; port: number }, status: ServerStatus): boolean {
  if (status.state !== 'running' || target.port !== status.port) return false;
  const host = target.host.trim().toLowerCase();
  const server = status.host.trim().toLowerCase();
  if (host === server) return true;
  // A server on every interface, or on loopback, answers on each loopback name.
  const anyOrLoopback = server === '0.0.0.0' || server === '::' || LOOPBACK.has(server);
  return anyOrLoopback && LOOPBACK.has(host);
}

export function quickCommands(options: {
  table: CommandTable | null;
  transcript: readonly ClientEvent[];
  target: { host: string; port: number } | null;
  status: ServerStatus;
}): QuickCommands {
  const { table, transcript, target, status } = options;
  if (!target) return { source: 'none', commands: ['HELP'] };
  if (table && isOwnServer(target, status)) return { source: 'table', commands: tableCommands(table) };
  const listed = helpCommands(transcript, target);
  if (listed && listed.length > 0) return { source: 'help', commands: inTableOrder(listed, table) };
  return { source: 'none', commands: ['HELP'] };
}

/**
 * HELP lists names sorted; when they are all the table's (this window's
 * server, stopped or reached by another name), the buttons keep the
 * table's order, so they do not reshuffle between the two sources.
 */
function inTableOrder(listed: string[], table: CommandTable | null): string[] {
  if (!table) return listed;
  const order = new Map(tableCommands(table).map((n, i) => [n.toUpperCase(), i]));
  if (!listed.every((n) => order.has(n.toUpperCase()))) return listed;
  return [...listed].sort((a, b) => (order.get(a.toUpperCase()) ?? 0) - (order.get(b.toUpperCase()) ?? 0));
}
