import { describe, expect, it } from 'vitest';
import { defaultTarget, dialableHost, parseTarget } from '../../../renderer/src/lib/client-target';
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
