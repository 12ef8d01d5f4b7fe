/**
 * WebSocket at the byte level, for sending what no well-behaved client
 * would: a real upgrade over a plain TCP socket, then frames built by hand.
 */
import net from 'node:net';

export interface RawTab {
  socket: net.Socket;
  /** Bytes received after the upgrade response. */
  received: () => Buffer;
  /** Resolves when the server ends the socket, with the close code of a close frame seen, if any. */
  closed: Promise<{ code: number | null; reason: string }>;
}

/** Opens the control socket of the browser-mode host on `port` over raw TCP. */
export function rawUpgrade(port: number, token: string, options: { read?: boolean } = {}): Promise<RawTab> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let head = Buffer.alloc(0);
    let body: Buffer[] = [];
    let upgraded = false;
    const closed = new Promise<{ code: number | null; reason: string }>((done) => {
      socket.on('close', () => done(closeOf(Buffer.concat(body))));
    });
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      if (upgraded) {
        body.push(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      const status = head.subarray(0, head.indexOf('\r\n')).toString();
      if (!status.includes(' 101 ')) {
        reject(new Error(`upgrade refused: ${status}`));
        socket.destroy();
        return;
      }
      upgraded = true;
      body = [head.subarray(end + 4)];
      if (options.read === false) socket.pause();
      resolve({ socket, received: () => Buffer.concat(body), closed });
    });
    socket.on('connect', () =>
      socket.write(
        `GET /ipc?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\n` +
          'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      ),
    );
  });
}

/** One WebSocket frame, masked as a client's must be unless told otherwise. */
export function frame(
  opcode: number,
  payload: Buffer,
  options: { masked?: boolean; rsv1?: boolean; length?: number } = {},
): Buffer {
  const masked = options.masked ?? true;
  const length = options.length ?? payload.length;
  const first = 0x80 | (options.rsv1 ? 0x40 : 0) | opcode;
  let header: Buffer;
  if (length < 126) header = Buffer.from([first, (masked ? 0x80 : 0) | length]);
  else if (length < 65536) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const body = Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] ?? 0)));
  return Buffer.concat([header, mask, body]);
}

/** The server's frames in `bytes` (unmasked, as a server sends them), complete ones only. */
export function parseFrames(bytes: Buffer): { opcode: number; payload: Buffer }[] {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let o = 0;
  while (o + 2 <= bytes.length) {
    const opcode = (bytes[o] ?? 0) & 0x0f;
    let length = (bytes[o + 1] ?? 0) & 0x7f;
    let start = o + 2;
    if (length === 126) {
      if (start + 2 > bytes.length) break;
      length = bytes.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      if (start + 8 > bytes.length) break;
      length = Number(bytes.readBigUInt64BE(start));
      start += 8;
    }
    if (start + length > bytes.length) break;
    frames.push({ opcode, payload: bytes.subarray(start, start + length) });
    o = start + length;
  }
  return frames;
}

function closeOf(bytes: Buffer): { code: number | null; reason: string } {
  const close = parseFrames(bytes).find((f) => f.opcode === 0x8);
  if (!close || close.payload.length < 2) return { code: null, reason: '' };
  return { code: close.payload.readUInt16BE(0), reason: close.payload.subarray(2).toString('utf8') };
}
