import { describe, expect, it } from 'vitest';
import type { ClientState, ClientTarget } from '../../../electron/shared/ipc/models';
import {
  connectionSummary,
  defaultTarget,
  dialableHost,
  isConnectedTo,
  parseTarget,
  transportFields,
} from '../../../renderer/src/lib/client-target';
import { RUNNING, STOPPED } from '../fake-bridge';

describe('client target', () => {
  it('dials loopback when the server listens on every interface', () => {
    expect(dialableHost('0.0.0.0')).toBe('127.0.0.1');
    expect(dialableHost('::')).toBe('::1');
    expect(dialableHost('192.168.1.5')).toBe('192.168.1.5');
  });

  it('follows the running server, whatever the settings say', () => {
    const status = { ...RUNNING, host: '0.0.0.0', port: 40123, text: 'Running on 0.0.0.0:40123' };
    expect(defaultTarget(status, '127.0.0.1', '0')).toEqual({ host: '127.0.0.1', port: '40123' });
  });

  it('uses the settings while the server is stopped, leaving port 0 for the user', () => {
    expect(defaultTarget(STOPPED, '::', '31310')).toEqual({ host: '::1', port: '31310' });
    expect(defaultTarget(STOPPED, '127.0.0.1', '0')).toEqual({ host: '127.0.0.1', port: '' });
  });

  it('parses an address and unbrackets IPv6', () => {
    expect(parseTarget({ host: ' [::1] ', port: '31310' })).toEqual({ ok: true, host: '::1', port: 31310 });
    expect(parseTarget({ host: '', port: '0' })).toEqual({
      ok: false,
      errors: { host: 'enter the host to connect to', port: 'port must be 1 to 65535' },
    });
    expect(parseTarget({ host: 'x', port: '12ab' })).toMatchObject({
      ok: false,
      errors: { port: 'port must be 1 to 65535' },
    });
  });
});

describe('client transports', () => {
  const tls: ClientTarget = { host: '127.0.0.1', port: 1, transport: 'tls', tlsVerify: false };

  it('names the transport in a request, leaving plain TCP out unless the open connection is not TCP', () => {
    expect(transportFields('tcp', true)).toEqual({});
    expect(transportFields('tcp', true, { host: 'h', port: 1 })).toEqual({});
    expect(transportFields('tcp', true, tls)).toEqual({ transport: 'tcp' });
    expect(transportFields('tls', false)).toEqual({ transport: 'tls', tlsVerify: false });
    expect(transportFields('udp', false)).toEqual({ transport: 'udp' });
  });

  it('is connected to a target only over the same transport and check', () => {
    const open: ClientState = { connected: true, target: tls };
    const to = { host: '127.0.0.1', port: 1 };
    expect(isConnectedTo(open, to, 'tls', false)).toBe(true);
    expect(isConnectedTo(open, to, 'tls', true)).toBe(false);
    expect(isConnectedTo(open, to, 'tcp', false)).toBe(false);
    expect(isConnectedTo(open, { ...to, port: 2 }, 'tls', false)).toBe(false);
    expect(isConnectedTo({ ...open, connected: false }, to, 'tls', false)).toBe(false);
    expect(isConnectedTo({ connected: true, target: to }, to, 'tcp', true)).toBe(true);
  });

  it('says UDP sends datagrams rather than being connected', () => {
    expect(connectionSummary({ connected: false, target: tls })).toEqual({
      text: 'Not connected',
      where: '',
      live: false,
    });
    expect(
      connectionSummary({ connected: true, target: { host: '::1', port: 9, transport: 'udp' } }),
    ).toEqual({
      text: 'UDP: datagrams',
      where: ' to [::1]:9',
      live: true,
    });
    expect(connectionSummary({ connected: true, target: tls })).toEqual({
      text: 'Connected',
      where: ' over TLS to 127.0.0.1:1',
      live: true,
    });
    expect(connectionSummary({ connected: true, target: { host: 'h', port: 9 } }).text).toBe('Connected');
  });
});
