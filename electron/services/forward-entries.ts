/**
 * Turns a forwarding listener's events into log rows (docs/forwarding.md,
 * "The log"): what the client sent as `line` rows, what the upstream sent as
 * `reply` rows, each naming its direction, so the log reads the same for a
 * forwarder (TCP, TLS or UDP) as for a mock.
 */
import type { Direction, ForwarderEvents } from '../core/forwarder.js';
import { formatAddress } from '../shared/protocol/address.js';
import { escapeControlChars } from '../shared/protocol/text.js';
import type { LogEntry } from '../shared/ipc/models.js';

/** A forwarded entry: a log row, plus which way the bytes went. */
export type ForwardEntry = LogEntry & { direction?: Direction };

/** What a forwarder reports: the TCP/TLS one and the UDP one alike. */
export interface ForwardSource {
  on<K extends keyof ForwarderEvents>(event: K, listener: (payload: ForwarderEvents[K]) => void): unknown;
}

/** Turns forwarder events into log rows, the same rows a mock listener's log shows. */
export function forwardEntries(forwarder: ForwardSource, push: (entry: ForwardEntry) => void): void {
  let seq = 0;
  const remotes = new Map<number, string>();
  const row = (
    e: { at: number; conn: number },
    kind: LogEntry['kind'],
    detail: string,
    direction?: Direction,
  ): void =>
    push({
      seq: ++seq,
      at: e.at,
      conn: e.conn,
      remote: remotes.get(e.conn) ?? '',
      kind,
      detail,
      ...(direction ? { direction } : {}),
    });
  forwarder.on('open', (e) => {
    remotes.set(e.conn, formatAddress(e.remoteAddress, e.remotePort));
    row(e, 'open', e.tls ? `connected over ${e.tls.protocol}, ${e.tls.cipher}` : 'connected');
  });
  // Pipelined traffic repeats itself (the same command, the same answer):
  // the last frame's row text each way is kept, not rebuilt for every frame.
  const last = {
    client: { frame: Buffer.alloc(0), detail: 'client: ' },
    upstream: { frame: Buffer.alloc(0), detail: 'upstream: ' },
  };
  forwarder.on('data', (e) => {
    const seen = last[e.direction];
    const remote = remotes.get(e.conn) ?? '';
    const kind = e.direction === 'client' ? 'line' : 'reply';
    for (const frame of e.frames) {
      if (!frame.equals(seen.frame)) {
        seen.frame = Buffer.from(frame);
        seen.detail = `${e.direction}: ${escapeControlChars(frame.toString('utf8'))}`;
      }
      push({ seq: ++seq, at: e.at, conn: e.conn, remote, kind, detail: seen.detail, direction: e.direction });
    }
  });
  forwarder.on('close', (e: ForwarderEvents['close']) => {
    const why = e.reason.replace('-', ' ') + (e.message ? `: ${e.message}` : '');
    const seconds = (e.durationMs / 1000).toFixed(e.durationMs < 10_000 ? 3 : 1);
    row(e, 'close', `closed (${why}); ${e.bytesIn} bytes in, ${e.bytesOut} out, ${seconds} s`);
    remotes.delete(e.conn);
  });
  forwarder.on('error', (e) => row(e, 'error', e.message));
}
