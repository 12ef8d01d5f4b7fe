import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkListenAddress, describeListenError } from '../../electron/core/start-errors.js';
import { formatAddress } from '../../electron/shared/protocol/address.js';
import { occupyPort } from '../helpers/net.js';

function errno(code: string, message = `listen ${code}`): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

describe('formatAddress', () => {
  it('writes host:port for names and IPv4', () => {
    expect(formatAddress('127.0.0.1', 31310)).toBe('127.0.0.1:31310');
    expect(formatAddress('localhost', 0)).toBe('localhost:0');
  });

  it('puts an IPv6 address in brackets', () => {
    expect(formatAddress('::1', 80)).toBe('[::1]:80');
    expect(formatAddress('::', 31310)).toBe('[::]:31310');
    expect(formatAddress('fe80::1%eth0', 8080)).toBe('[fe80::1%eth0]:8080');
  });
});

describe('describeListenError', () => {
  it('says a port in use is already in use, naming port and host', () => {
    expect(describeListenError(errno('EADDRINUSE'), '127.0.0.1', 31310)).toEqual({
      ok: false,
      code: 'EADDRINUSE',
      message: 'port 31310 on 127.0.0.1 is already in use',
    });
  });

  it.each(['EACCES', 'EPERM'])('explains %s as missing permission', (code) => {
    expect(describeListenError(errno(code), '0.0.0.0', 80)).toEqual({
      ok: false,
      code: 'EACCES',
      message:
        'no permission to listen on port 80 on 0.0.0.0 (ports below 1024 usually need administrator rights)',
    });
  });

  it('explains EADDRNOTAVAIL as an address not on this machine', () => {
    expect(describeListenError(errno('EADDRNOTAVAIL'), '10.99.99.99', 5000)).toEqual({
      ok: false,
      code: 'EADDRNOTAVAIL',
      message: 'cannot listen on 10.99.99.99:5000: 10.99.99.99 is not an address of this machine',
    });
  });

  it.each(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME'])('explains %s as a host not found', (code) => {
    expect(describeListenError(errno(code), 'no.such.host', 7)).toEqual({
      ok: false,
      code: 'ENOTFOUND',
      message: 'cannot listen on no.such.host:7: host no.such.host was not found',
    });
  });

  it('passes on the message of any other error, naming host and port (IPv6 in brackets)', () => {
    expect(describeListenError(errno('EWEIRD', 'something odd'), '::1', 9)).toEqual({
      ok: false,
      code: 'UNKNOWN',
      message: 'cannot listen on [::1]:9: something odd',
    });
    expect(describeListenError('not even an Error', 'h', 1)).toEqual({
      ok: false,
      code: 'UNKNOWN',
      message: 'cannot listen on h:1: not even an Error',
    });
  });

  it('describes the real error a busy port gives', async () => {
    const busy = await occupyPort();
    try {
      const error = await new Promise<Error>((resolve) => {
        const server = net.createServer();
        server.once('error', resolve);
        server.listen(busy.port, '127.0.0.1');
      });
      expect(describeListenError(error, '127.0.0.1', busy.port).message).toBe(
        `port ${busy.port} on 127.0.0.1 is already in use`,
      );
    } finally {
      await busy.release();
    }
  });
});

describe('checkListenAddress', () => {
  it('accepts ports 0 to 65535 on ordinary hosts', () => {
    for (const port of [0, 1, 31310, 65535]) expect(checkListenAddress('127.0.0.1', port)).toBeNull();
    for (const host of ['localhost', '::', '0.0.0.0', 'example.com']) {
      expect(checkListenAddress(host, 80)).toBeNull();
    }
  });

  it.each([-1, 65536, 1.5, Number.NaN, Infinity])('refuses port %s', (port) => {
    expect(checkListenAddress('127.0.0.1', port)).toEqual({
      ok: false,
      code: 'EINVAL',
      message: `invalid port ${String(port)} on 127.0.0.1: use a whole number from 0 to 65535`,
    });
  });

  it.each(['', '   ', 'local host', 'a/b', 'a\\b', 'x\ty'])('refuses host %j', (host) => {
    expect(checkListenAddress(host, 80)).toEqual({
      ok: false,
      code: 'EINVAL',
      message: `invalid host "${host}" (port 80): use an address such as 127.0.0.1`,
    });
  });
});
