/**
 * A real UDP client for tests: sends datagrams from one local port and
 * records every datagram that comes back.
 */
import dgram from 'node:dgram';
import { eventually } from './net.js';

export class UdpClient {
  readonly socket: dgram.Socket;
  readonly received: string[] = [];

  private constructor(
    socket: dgram.Socket,
    readonly port: number,
    readonly host: string,
  ) {
    this.socket = socket;
    socket.on('message', (data) => this.received.push(data.toString('utf8')));
  }

  /** A client bound to a free loopback port, talking to `port`. */
  static async open(port: number, host = '127.0.0.1'): Promise<UdpClient> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new UdpClient(socket, port, host);
  }

  get localPort(): number {
    return this.socket.address().port;
  }

  send(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.send(data, this.port, this.host, (error) => (error ? reject(error) : resolve())),
    );
  }

  /** Waits until `count` datagrams have come back; returns them all. */
  async waitFor(count: number, timeoutMs = 5000): Promise<string[]> {
    await eventually(() => this.received.length >= count, timeoutMs, `${count} datagrams`);
    return this.received;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
