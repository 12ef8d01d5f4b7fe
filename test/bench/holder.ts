/**
 * Holds many idle client connections in a process of its own, so that the
 * bench process that times Stop is not busy with their close events while
 * it polls for the refused connect.
 *
 * stdin, one command a line:
 *   open ID PORT COUNT   opens COUNT connections to 127.0.0.1:PORT, prints
 *                        `opened ID`; once every one of them has seen its end
 *                        or close, prints `closed ID NS` (process.hrtime,
 *                        the same monotonic clock in every process)
 *   quit                 exits
 */
import net from 'node:net';
import readline from 'node:readline';

const PARALLEL = 256;

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

async function open(id: string, port: number, count: number): Promise<void> {
  const sockets: net.Socket[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      sockets.push(await connect(port));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(PARALLEL, count) }, worker));
  } catch (error) {
    for (const s of sockets) s.destroy();
    process.stdout.write(`error ${id} ${error instanceof Error ? error.message : String(error)}\n`);
    return;
  }
  let open = sockets.length;
  for (const socket of sockets) {
    let gone = false;
    const onGone = (): void => {
      if (gone) return;
      gone = true;
      socket.destroy();
      if (--open === 0) process.stdout.write(`closed ${id} ${process.hrtime.bigint()}\n`);
    };
    socket.once('end', onGone);
    socket.once('close', onGone);
  }
  process.stdout.write(`opened ${id}\n`);
}

readline.createInterface({ input: process.stdin, terminal: false }).on('line', (line) => {
  const [word, id = '', port = '0', count = '0'] = line.trim().split(/\s+/);
  if (word === 'open') void open(id, Number(port), Number(count));
  else if (word === 'quit') process.exit(0);
});
process.stdout.write('ready\n');
