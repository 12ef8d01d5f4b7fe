/**
 * Real-socket helpers shared by every test that talks TCP.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { LineServer, type ServerConfig } from '../../electron/core/server.js';

const DEFAULT_WAIT_MS = 5000;

/** A raw TCP client that records every byte it receives. */
export class RawClient {
  readonly socket: net.Socket;
  #received: Buffer[] = [];
  #waiters = new Set<() => void>();
  /** Resolves when the server has closed its side (FIN) or the socket closed. */
  readonly closed: Promise<void>;
  #isClosed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#received.push(chunk);
      this.#notify();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      const closed = (): void => {
        this.#isClosed = true;
        this.#notify();
        resolve();
      };
      socket.on('end', closed);
      socket.on('close', closed);
    });
  }

  static connect(
    port: number,
    host = '127.0.0.1',
    options: { allowHalfOpen?: boolean } = {},
  ): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host, allowHalfOpen: options.allowHalfOpen ?? true });
      socket.once('connect', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Everything received so far, as bytes. */
  get bytes(): Buffer {
    if (this.#received.length > 1) this.#received = [Buffer.concat(this.#received)];
    return this.#received[0] ?? Buffer.alloc(0);
  }

  /** Everything received so far, decoded as UTF-8. */
  get text(): string {
    return this.bytes.toString('utf8');
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Half-closes: sends FIN, keeps reading. */
  end(data?: string | Buffer): void {
    if (data === undefined) this.socket.end();
    else this.socket.end(data);
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Waits until the received text satisfies `done` (or contains it, for a string). */
  async waitFor(done: string | ((text: string) => boolean), timeoutMs = DEFAULT_WAIT_MS): Promise<string> {
    const test = typeof done === 'string' ? (t: string) => t.includes(done) : done;
    await this.#until(
      () => test(this.text),
      timeoutMs,
      () => `waiting for ${JSON.stringify(done.toString())}, got ${JSON.stringify(this.text)}`,
    );
    return this.text;
  }

  /** Waits until the server closes the connection; returns all that was received. */
  async waitClosed(timeoutMs = DEFAULT_WAIT_MS): Promise<string> {
    await this.#until(
      () => this.#isClosed,
      timeoutMs,
      () => `waiting for close, got ${JSON.stringify(this.text)}`,
    );
    return this.text;
  }

  #notify(): void {
    for (const w of this.#waiters) w();
  }

  #until(ready: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!ready()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out ${describe()}`));
      }, timeoutMs);
      this.#waiters.add(check);
    });
  }
}

/** Sends `input` on a fresh connection, half-closes, and returns all it got back. */
export async function exchange(port: number, input: string | Buffer): Promise<string> {
  const client = await RawClient.connect(port);
  client.end(input);
  return client.waitClosed();
}

/**
 * Sends `command` on a fresh connection and times the reply: resolves once
 * `expected` has arrived, with the milliseconds from the connect to its
 * last byte. The connection is then half-closed and left to the server to close.
 */
export async function timedProbe(
  port: number,
  command: string,
  expected: string,
  timeoutMs = DEFAULT_WAIT_MS,
): Promise<{ ms: number; client: RawClient }> {
  const t0 = performance.now();
  const client = await RawClient.connect(port);
  client.socket.setNoDelay(true);
  client.write(command);
  await client.waitFor((text) => text.length >= expected.length || client.isClosed, timeoutMs);
  const ms = performance.now() - t0;
  if (client.text !== expected) {
    client.destroy();
    throw new Error(`probe ${JSON.stringify(command)} got ${JSON.stringify(client.text)}`);
  }
  client.end();
  return { ms, client };
}

/**
 * Runs `task(0)` … `task(count - 1)` with at most `concurrency` of them
 * under way at a time; resolves when all are done, or rejects with the first failure.
 */
export async function forEachConcurrently(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Resolves true when a connect to the port is refused, false when it is accepted. */
export function isRefused(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** Starts a LineServer on a free loopback port; fails the test if it cannot. */
export async function startServer(
  config: Partial<ServerConfig> = {},
  server = new LineServer(),
): Promise<{ server: LineServer; port: number }> {
  const result = await server.start({ host: '127.0.0.1', port: 0, ...config });
  if (!result.ok) throw new Error(result.message);
  return { server, port: result.port };
}

/** Holds a port busy with a plain listener, for start-failure tests. */
export async function occupyPort(
  host = '127.0.0.1',
): Promise<{ port: number; release: () => Promise<void> }> {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, host, resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  return { port, release: () => new Promise((resolve) => blocker.close(() => resolve())) };
}

/** Waits until `ready()` is true, checking after each turn of the event loop. */
export async function eventually(
  ready: () => boolean,
  timeoutMs = DEFAULT_WAIT_MS,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A plain TCP server (not a LineServer) for client tests: it records every
 * byte each connection sends, and `onConnection` scripts the server's side.
 */
export class PlainServer {
  readonly sockets: net.Socket[] = [];
  #received: Buffer[][] = [];
  #server: net.Server;
  #port = 0;

  private constructor(server: net.Server) {
    this.#server = server;
  }

  static async start(
    onConnection: (socket: net.Socket, index: number) => void = () => undefined,
  ): Promise<PlainServer> {
    const server = net.createServer();
    const plain = new PlainServer(server);
    server.on('connection', (socket) => {
      const index = plain.sockets.length;
      plain.sockets.push(socket);
      plain.#received.push([]);
      socket.on('data', (chunk: Buffer) => plain.#received[index]?.push(chunk));
      socket.on('error', () => undefined);
      onConnection(socket, index);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    plain.#port = (server.address() as net.AddressInfo).port;
    return plain;
  }

  get port(): number {
    return this.#port;
  }

  /** Connections accepted so far. */
  get connections(): number {
    return this.sockets.length;
  }

  /** Everything connection `index` sent so far. */
  bytes(index = 0): Buffer {
    return Buffer.concat(this.#received[index] ?? []);
  }

  /** Waits until connection `index` has sent at least `count` bytes; returns them all. */
  async waitForBytes(count: number, index = 0, timeoutMs = DEFAULT_WAIT_MS): Promise<Buffer> {
    await eventually(
      () => this.bytes(index).length >= count,
      timeoutMs,
      `${count} bytes on connection ${index}`,
    );
    return this.bytes(index);
  }

  /** Destroys every connection and closes the listener. */
  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** A loopback port nothing listens on (it was free a moment ago), for connection-refused tests. */
export async function closedPort(): Promise<number> {
  const { port, release } = await occupyPort();
  await release();
  return port;
}
