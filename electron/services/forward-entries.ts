/**
 * Turns a forwarder's events into connection-log rows (docs/forwarding.md,
 * "The log"): what the client sent as `line` rows, what the upstream sent
 * as `reply` rows, one per frame of the listener's framing, each saying its
 * direction. The command line prints these rows, the window shows them.
 */
import type { Direction, ForwardCloseReason, ForwarderEvents } from '../core/forwarder.js';
import { formatAddress } from '../shared/protocol/address.js';
import { escapeControlChars } from '../shared/protocol/text.js';
import type { LogCloseReason, LogEntry } from '../shared/ipc/models.js';
import type { EntryDraft } from './log-entries.js';
import type { FrameRows } from './log-file.js';

/** What a forwarder reports: the TCP/TLS one and the UDP one alike. */
export interface ForwardSource {
  on<K extends keyof ForwarderEvents>(event: K, listener: (payload: ForwarderEvents[K]) => void): () => void;
}

/** A forwarded entry with its number: what the command line prints and the workspace's listeners emit. */
export type ForwardEntry = LogEntry & { direction?: Direction };

/** A forwarded row: a log row, plus which way the bytes went. */
export type ForwardDraft = EntryDraft & { direction?: Direction };

/** How a row says its direction, before the frame's text. */
export type DirectionLabels = Record<Direction, string>;

/** The command line's words: `client: PING`, `upstream: +PONG`. */
export const CLI_LABELS: DirectionLabels = { client: 'client: ', upstream: 'upstream: ' };
/** The window's: `client → upstream: PING`, `upstream → client: +PONG`. */
export const WINDOW_LABELS: DirectionLabels = {
  client: 'client → upstream: ',
  upstream: 'upstream → client: ',
};

/**
 * A forwarded close as the log's close reasons say it, where one fits: so
 * the window's Problems filter finds an unreachable upstream or a reset.
 */
const CLOSE_REASONS: Partial<Record<ForwardCloseReason, LogCloseReason>> = {
  'client-closed': 'eof',
  unreachable: 'error',
  error: 'error',
  'client-reset': 'reset',
  'upstream-reset': 'reset',
  stop: 'stop',
};

/** Calls `push` with a row for every event of `forwarder`; returns the function that stops. */
export function forwardDrafts(
  forwarder: ForwardSource,
  push: (draft: ForwardDraft) => void,
  labels: DirectionLabels = CLI_LABELS,
): () => void {
  return draftsOf(forwarder, push, labels, null);
}

/** One read's frames, for a sink that takes them whole; `remote` is the connection's address. */
type DataSink = (e: ForwarderEvents['data'], remote: string) => void;

function draftsOf(
  forwarder: ForwardSource,
  push: (draft: ForwardDraft) => void,
  labels: DirectionLabels,
  data: DataSink | null,
): () => void {
  const remotes = new Map<number, string>();
  const row = (e: { at: number; conn: number }, kind: LogEntry['kind'], detail: string): ForwardDraft => ({
    at: e.at,
    conn: e.conn,
    remote: remotes.get(e.conn) ?? '',
    kind,
    detail,
  });
  // Pipelined traffic repeats itself (the same command, the same answer):
  // the last frame's row text each way is kept, not rebuilt for every frame.
  const last = {
    client: { frame: Buffer.alloc(0), detail: labels.client, text: '' },
    upstream: { frame: Buffer.alloc(0), detail: labels.upstream, text: '' },
  };
  const offs = [
    forwarder.on('open', (e) => {
      remotes.set(e.conn, formatAddress(e.remoteAddress, e.remotePort));
      push(row(e, 'open', e.tls ? `connected over ${e.tls.protocol}, ${e.tls.cipher}` : 'connected'));
    }),
    forwarder.on('data', (e) => {
      const remote = remotes.get(e.conn) ?? '';
      if (data) {
        data(e, remote);
        return;
      }
      const seen = last[e.direction];
      const kind = e.direction === 'client' ? 'line' : 'reply';
      const dir = e.direction === 'client' ? 'in' : 'out';
      for (const frame of e.frames) {
        if (!frame.equals(seen.frame)) {
          seen.frame = Buffer.from(frame);
          seen.text = frame.toString('utf8');
          seen.detail = `${labels[e.direction]}${escapeControlChars(seen.text)}`;
        }
        push({
          at: e.at,
          conn: e.conn,
          remote,
          kind,
          detail: seen.detail,
          direction: e.direction,
          dir,
          text: seen.text,
          bytes: frame.length,
        });
      }
    }),
    forwarder.on('close', (e: ForwarderEvents['close']) => {
      const why = e.reason.replace('-', ' ') + (e.message ? `: ${e.message}` : '');
      const seconds = (e.durationMs / 1000).toFixed(e.durationMs < 10_000 ? 3 : 1);
      const draft = row(
        e,
        'close',
        `closed (${why}); ${e.bytesIn} bytes in, ${e.bytesOut} out, ${seconds} s`,
      );
      draft.bytesIn = e.bytesIn;
      draft.bytesOut = e.bytesOut;
      draft.durationMs = e.durationMs;
      const reason = CLOSE_REASONS[e.reason];
      if (reason) draft.reason = reason;
      push(draft);
      remotes.delete(e.conn);
    }),
    forwarder.on('error', (e) => push(row(e, 'error', escapeControlChars(e.message)))),
  ];
  return () => {
    for (const off of offs) off();
  };
}

/** The rows of {@link forwardDrafts}, numbered, with the command line's direction words. */
export function forwardEntries(forwarder: ForwardSource, push: (entry: ForwardEntry) => void): () => void {
  let seq = 0;
  return forwardDrafts(forwarder, (draft) => {
    const { at, conn, remote, kind, detail, direction } = draft;
    push({ seq: ++seq, at, conn, remote, kind, detail, ...(direction ? { direction } : {}) });
  });
}

/**
 * The rows of {@link forwardEntries}, numbered the same way, but a read's
 * frames come whole to `frames` (for the durable log's
 * `LogFile.appendFrames`), with no entry object per frame; the other
 * rows come to `push` one by one.
 */
export function forwardEntryBatches(
  forwarder: ForwardSource,
  push: (entry: ForwardEntry) => void,
  frames: (rows: FrameRows) => void,
): () => void {
  let seq = 0;
  // A frame's detail as forwardDrafts makes it, with the command line's words.
  const details: Record<Direction, (frame: Buffer) => string> = {
    client: (frame) => `${CLI_LABELS.client}${escapeControlChars(frame.toString('utf8'))}`,
    upstream: (frame) => `${CLI_LABELS.upstream}${escapeControlChars(frame.toString('utf8'))}`,
  };
  return draftsOf(
    forwarder,
    (draft) => {
      const { at, conn, remote, kind, detail, direction } = draft;
      push({ seq: ++seq, at, conn, remote, kind, detail, ...(direction ? { direction } : {}) });
    },
    CLI_LABELS,
    (e, remote) => {
      const firstSeq = seq + 1;
      seq += e.frames.length;
      frames({
        firstSeq,
        at: e.at,
        conn: e.conn,
        remote,
        kind: e.direction === 'client' ? 'line' : 'reply',
        direction: e.direction,
        frames: e.frames,
        detail: details[e.direction],
      });
    },
  );
}
