/**
 * Binds the UDP socket of a listener or a UDP forwarder (docs/listeners.md,
 * "UDP"): IPv4 or IPv6 by the host, the port for this process alone. A
 * failure while binding comes back as the start's failure, in the same
 * words as a TCP listener's; errors after it go to `onError`.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { describeListenError, type StartFailure } from './start-errors.js';

export type UdpBound = { ok: true; socket: dgram.Socket; port: number } | StartFailure;

export function bindUdp(
  host: string,
  port: number,
  onMessage: (data: Buffer, rinfo: dgram.RemoteInfo) => void,
  onError: (error: Error) => void,
): Promise<UdpBound> {
  const ipv6 = net.isIPv6(host.replace(/^\[(.*)\]$/, '$1'));
  const socket = dgram.createSocket({ type: ipv6 ? 'udp6' : 'udp4' });
  return new Promise((resolve) => {
    const failed = (error: Error): void => {
      socket.close();
      resolve(describeListenError(error, host, port));
    };
    socket.once('error', failed);
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.off('error', failed);
      socket.on('error', onError);
      socket.on('message', onMessage);
      resolve({ ok: true, socket, port: socket.address().port });
    });
  });
}
