/**
 * The bare relay the forwarding benchmark compares Switchboard with: every
 * connection piped to the upstream and back (`socket.pipe`), half-close
 * passing through, no events, no log, no toxics.
 *
 * A child process like the reference server: `--upstream HOST:PORT`, prints
 * `listening on HOST:PORT`, and on a stdin line `quit` destroys every socket
 * and exits. It imports nothing but Node.
 */
import net from 'node:net';
import readline from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    upstream: { type: 'string' },
  },
});
const [upstreamHost, upstreamPort] = (values.upstream ?? '').split(':');
const sockets = new Set<net.Socket>();

function track(socket: net.Socket): void {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  socket.on('error', () => socket.destroy());
}

const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (client) => {
  const upstream = net.connect({
    host: upstreamHost,
    port: Number(upstreamPort),
    noDelay: true,
    allowHalfOpen: true,
  });
  track(client);
  track(upstream);
  client.pipe(upstream);
  upstream.pipe(client);
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
});
server.listen({ host: values.host, port: Number(values.port) }, () => {
  const { port } = server.address() as net.AddressInfo;
  process.stdout.write(`listening on ${values.host}:${port}\n`);
});

readline.createInterface({ input: process.stdin, terminal: false }).on('line', (line) => {
  const word = line.trim().toLowerCase();
  if (word !== 'quit' && word !== 'stop') return;
  const count = sockets.size;
  server.close(() => process.stdout.write(`stopped (${count} connections closed)\n`, () => process.exit(0)));
  for (const socket of sockets) socket.destroy();
});
