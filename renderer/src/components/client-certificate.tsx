/**
 * The certificate the TLS server showed the test client (docs/window.md):
 * subject, issuer, validity, SHA-256 fingerprint with a copy button, the
 * TLS version and cipher, and whether it was checked. Unchecked, the
 * fingerprint is what to compare with the one the server printed.
 */
import { useState, type ReactElement } from 'react';
import type { ClientCertificate } from '../../../electron/shared/ipc/models';

export function ClientCertificateView({ certificate }: { certificate: ClientCertificate }): ReactElement {
  const [copied, setCopied] = useState<string | null>(null);
  const c = certificate;
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(c.fingerprint256);
      setCopied('Copied');
    } catch {
      setCopied('Could not copy: select the fingerprint instead');
    }
  };
  return (
    <section className="client-certificate" aria-label="Server certificate">
      <dl className="client-certificate-fields">
        <dt>Subject</dt>
        <dd>{c.subject}</dd>
        <dt>Issuer</dt>
        <dd>{c.issuer}</dd>
        <dt>Valid</dt>
        <dd>
          {day(c.validFrom)} to {day(c.validTo)}
        </dd>
        <dt>SHA-256</dt>
        <dd className="client-certificate-fingerprint">
          <code>{c.fingerprint256}</code>
          <button
            type="button"
            className="button button--small button--quiet"
            aria-label="Copy fingerprint"
            onClick={() => void copy()}
          >
            Copy
          </button>
          {copied ? (
            <span className="client-certificate-copied" role="status">
              {copied}
            </span>
          ) : null}
        </dd>
        <dt>TLS</dt>
        <dd>
          {c.protocol}, {c.cipher}
        </dd>
        <dt>Checked</dt>
        <dd className={c.verified ? 'client-certificate-trusted' : 'client-certificate-unchecked'}>
          {c.verified
            ? 'Yes: checked and trusted'
            : 'No: Check certificate is off; compare the fingerprint with the server’s'}
        </dd>
      </dl>
    </section>
  );
}

/** An ISO 8601 time as its date and minute (UTC), as certificates state it. */
function day(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
