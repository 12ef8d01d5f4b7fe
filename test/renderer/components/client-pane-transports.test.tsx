/**
 * The client pane's transports (docs/window.md): TCP, TLS with its "Check
 * certificate" toggle, and UDP; the TLS server's certificate shown with a
 * copy button; a refused check said in words; UDP never called connected.
 */
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CLASSIC_TABLE } from '../../../electron/shared/protocol/command-table';
import type { ClientSendOutcome, ClientSendRequest } from '../../../electron/shared/ipc/ipc-contract';
import type { ClientCertificate, ClientState, ClientTarget } from '../../../electron/shared/ipc/models';
import { ClientPane } from '../../../renderer/src/components/client-pane';
import { STOPPED, clientState } from '../fake-bridge';

const CERTIFICATE: ClientCertificate = {
  subject: 'CN=localhost, O=Switchboard (self-signed)',
  issuer: 'CN=localhost, O=Switchboard (self-signed)',
  validFrom: '2026-12-02T14:00:00.000Z',
  validTo: '2029-03-07T14:00:00.000Z',
  fingerprint256:
    'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89',
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
  verified: false,
};

const REFUSED =
  "could not connect to 127.0.0.1:31310: the server's certificate is not trusted (self-signed certificate); turn certificate checks off to connect anyway";

function renderPane(options: { client?: ClientState; connectOutcome?: ClientSendOutcome } = {}) {
  const sent: ClientSendRequest[] = [];
  const connects: ClientTarget[] = [];
  const onSend = vi.fn((request: ClientSendRequest): Promise<ClientSendOutcome> => {
    sent.push(request);
    return Promise.resolve({ ok: true, state: options.client ?? clientState() });
  });
  const onConnect = vi.fn((target: ClientTarget): Promise<ClientSendOutcome> => {
    connects.push(target);
    return Promise.resolve(
      options.connectOutcome ?? { ok: true, state: clientState({ connected: true, target }) },
    );
  });
  const user = userEvent.setup();
  const view = render(
    <ClientPane
      defaultTarget={{ host: '127.0.0.1', port: '31310' }}
      client={options.client ?? clientState()}
      transcript={[]}
      serverStatus={STOPPED}
      commandTable={CLASSIC_TABLE}
      onSend={onSend}
      onConnect={onConnect}
      onDisconnect={vi.fn()}
      onClear={vi.fn()}
    />,
  );
  return { ...view, sent, connects, user };
}

const transportSelect = (): HTMLSelectElement => screen.getByRole('combobox', { name: 'Client transport' });
const command = (): HTMLInputElement => screen.getByRole('textbox', { name: 'Command' });
const description = (el: HTMLElement): string =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
const header = (): string => document.querySelector('.client-state')?.textContent ?? '';

describe('the client pane’s transports', () => {
  it('offers TCP, TLS and UDP, TCP first, with the certificate check only for TLS and on by default', async () => {
    const { user, sent, connects } = renderPane();
    expect(
      within(transportSelect())
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['TCP', 'TLS', 'UDP']);
    expect(transportSelect().value).toBe('tcp');
    expect(screen.queryByRole('checkbox', { name: 'Check certificate' })).toBeNull();

    await user.selectOptions(transportSelect(), 'tls');
    const check = screen.getByRole<HTMLInputElement>('checkbox', { name: 'Check certificate' });
    expect(check.checked).toBe(true);
    expect(description(check)).toMatch(/^Self-signed certificates .* fail the check: turn it off/);
    await user.type(command(), 'SONG{Enter}');
    await user.click(check);
    expect(check.checked).toBe(false);
    expect(description(check)).toMatch(/compare its SHA-256 fingerprint/);
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(sent).toEqual([
      { host: '127.0.0.1', port: 31310, line: 'SONG', lineEnding: 'crlf', transport: 'tls', tlsVerify: true },
    ]);
    expect(connects).toEqual([{ host: '127.0.0.1', port: 31310, transport: 'tls', tlsVerify: false }]);
  });

  it('shows the TLS server’s certificate, and copies its fingerprint', async () => {
    const client = clientState({
      connected: true,
      target: { host: '127.0.0.1', port: 31310, transport: 'tls', tlsVerify: false },
      certificate: CERTIFICATE,
    });
    const { user } = renderPane({ client });
    // A reloaded window shows the open connection's transport and check, not the defaults.
    expect(transportSelect().value).toBe('tls');
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Check certificate' }).checked).toBe(false);
    expect(header()).toBe('Connected over TLS to 127.0.0.1:31310');
    const shown = screen.getByRole('region', { name: 'Server certificate' });
    const fields = [...shown.querySelectorAll('dt')].map(
      (dt) => `${dt.textContent}: ${dt.nextElementSibling?.textContent}`,
    );
    expect(fields).toEqual([
      'Subject: CN=localhost, O=Switchboard (self-signed)',
      'Issuer: itself (self-signed)',
      'Valid: 2026-12-02 to 2029-03-07',
      'TLS: TLSv1.3, TLS_AES_256_GCM_SHA384',
      'Checked: No: Check certificate is off',
      `SHA-256: ${CERTIFICATE.fingerprint256}`,
    ]);
    // Connected with this transport and check: nothing to connect.
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Connect' }).disabled).toBe(true);

    await user.click(within(shown).getByRole('button', { name: 'Copy fingerprint' }));
    expect(await navigator.clipboard.readText()).toBe(CERTIFICATE.fingerprint256);
    expect(within(shown).getByRole('status').textContent).toContain('Copied');
    // Narrow panes keep the details behind this button.
    const details = within(shown).getByRole('button', { name: 'Details' });
    expect(details.getAttribute('aria-expanded')).toBe('false');
    await user.click(details);
    expect(details.getAttribute('aria-expanded')).toBe('true');
  });

  it('says a checked certificate was trusted', () => {
    const client = clientState({
      connected: true,
      target: { host: 'localhost', port: 31310, transport: 'tls' },
      certificate: { ...CERTIFICATE, issuer: 'CN=Test CA', verified: true },
    });
    renderPane({ client });
    expect(screen.getByRole('region', { name: 'Server certificate' }).textContent).toContain(
      'IssuerCN=Test CA',
    );
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Check certificate' }).checked).toBe(true);
    expect(screen.getByRole('region', { name: 'Server certificate' }).textContent).toContain(
      'Checked' + 'Yes: trusted',
    );
  });

  it('says in words why a checked connection was refused, and shows no certificate', async () => {
    const { user } = renderPane({
      connectOutcome: {
        ok: false,
        error: REFUSED,
        state: clientState({ target: { host: '127.0.0.1', port: 31310, transport: 'tls' } }),
      },
    });
    await user.selectOptions(transportSelect(), 'tls');
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(screen.getByRole('log', { name: 'Client transcript' }).textContent).toContain(REFUSED);
    expect(screen.queryByRole('region', { name: 'Server certificate' })).toBeNull();
    expect(header()).toBe('Not connected');
  });

  it('reconnects over TCP when TCP is chosen while connected over TLS', async () => {
    const client = clientState({
      connected: true,
      target: { host: '127.0.0.1', port: 31310, transport: 'tls', tlsVerify: false },
      certificate: CERTIFICATE,
    });
    const { user, sent } = renderPane({ client });
    await user.selectOptions(transportSelect(), 'tcp');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Connect' }).disabled).toBe(false);
    await user.type(command(), 'SONG{Enter}');
    expect(sent).toEqual([
      { host: '127.0.0.1', port: 31310, line: 'SONG', lineEnding: 'crlf', transport: 'tcp' },
    ]);
  });

  it('over UDP, sends datagrams and says so instead of "connected"', async () => {
    const { user, sent, rerender } = renderPane();
    await user.selectOptions(transportSelect(), 'udp');
    expect(header()).toBe('UDP: no socket open');
    expect(screen.getByText(/Each send is one datagram; replies show as received rows/)).toBeTruthy();
    expect(screen.queryByRole('checkbox', { name: 'Check certificate' })).toBeNull();
    await user.type(command(), 'SONG{Enter}');
    expect(sent).toEqual([
      { host: '127.0.0.1', port: 31310, line: 'SONG', lineEnding: 'crlf', transport: 'udp' },
    ]);
    rerender(
      <ClientPane
        defaultTarget={{ host: '127.0.0.1', port: '31310' }}
        client={clientState({
          connected: true,
          target: { host: '127.0.0.1', port: 31310, transport: 'udp' },
        })}
        transcript={[]}
        serverStatus={STOPPED}
        commandTable={CLASSIC_TABLE}
        onSend={vi.fn()}
        onConnect={vi.fn()}
        onDisconnect={vi.fn()}
        onClear={vi.fn()}
      />,
    );
    expect(header()).toBe('UDP: datagrams to 127.0.0.1:31310');
    expect(header()).not.toMatch(/connected/i);
    expect(screen.queryByRole('region', { name: 'Server certificate' })).toBeNull();
  });
});
