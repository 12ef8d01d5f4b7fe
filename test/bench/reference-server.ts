/**
 * The bare reference the benchmarks compare Switchboard with: the classic
 * protocol subset (SONG, QUOTE, HAIKU, POEM, HELP, QUIT; CRLF replies;
 * session and one-shot modes) on a plain `net` server, with no events, no
 * log and no limits beyond a line cap.
 *
 * It runs as a child process, started the way Switchboard's command line is
 * (`node --import tsx`), so both pay the same process costs. It prints
 * `listening on HOST:PORT`, tracks its sockets, and on a stdin line `quit`
 * closes the listener, destroys every socket, prints
 * `stopped (N connections closed)` once all are closed, and exits.
 *
 * It imports nothing but Node, so its memory is Node's and its own.
 */
import net from 'node:net';
import readline from 'node:readline';
import { parseArgs } from 'node:util';

const HAIKU =
  'A haiku on "Error 404"\r\n\r\n  You step in the stream,\r\n  But the water has moved on.\r\n  This file is not here.\r\n';
const REPLIES = new Map<string, Buffer>([
  ['SONG', Buffer.from('Old McDonald had a farm, E-I-E-I-O!\r\n')],
  ['QUOTE', Buffer.from('And now for something completely different...\r\n')],
  ['HAIKU', Buffer.from(HAIKU)],
  ['POEM', Buffer.from(HAIKU)],
  ['HELP', Buffer.from('Commands: HAIKU HELP POEM QUIT QUOTE SONG\r\n')],
  ['QUIT', Buffer.from('Bye.\r\n')],
]);
const MAX_LINE = 4096;

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    mode: { type: 'string', default: 'session' },
  },
});
const oneShot = values.mode === 'one-shot';
const sockets = new Set<net.Socket>();

function serve(socket: net.Socket): void {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  socket.on('error', () => undefined);
  let rest: Buffer | null = null;
  let done = false;
  socket.on('data', (chunk: Buffer) => {
    if (done) return;
    const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
    rest = null;
    const out: Buffer[] = [];
    let start = 0;
    for (;;) {
      const lf = buf.indexOf(10, start);
      if (lf === -1) break;
      const line = buf.toString('utf8', start, lf).trim();
      start = lf + 1;
      if (line === '') continue;
      const space = line.search(/[ \t]/);
      const word = (space === -1 ? line : line.slice(0, space)).toUpperCase();
      out.push(REPLIES.get(word) ?? Buffer.from(`Unknown command: ${line}\r\n`));
      if (word === 'QUIT' || oneShot) {
        done = true;
        break;
      }
    }
    if (!done && start < buf.length) {
      if (buf.length - start > MAX_LINE) {
        socket.destroy();
        return;
      }
      rest = Buffer.from(buf.subarray(start));
    }
    const reply = out.length === 1 && out[0] ? out[0] : Buffer.concat(out);
    if (done) socket.end(reply);
    else if (reply.length > 0) socket.write(reply);
  });
}

const server = net.createServer({ noDelay: true }, serve);
server.listen({ host: values.host, port: Number(values.port) }, () => {
  const { port } = server.address() as net.AddressInfo;
  process.stdout.write(`listening on ${values.host}:${port}\n`);
});

let stopping = false;
readline.createInterface({ input: process.stdin, terminal: false }).on('line', (line) => {
  const word = line.trim().toLowerCase();
  if (stopping || (word !== 'quit' && word !== 'stop')) return;
  stopping = true;
  const count = sockets.size;
  server.close(() => {
    process.stdout.write(`stopped (${count} connections closed)\n`, () => process.exit(0));
  });
  for (const socket of sockets) socket.destroy();
});
