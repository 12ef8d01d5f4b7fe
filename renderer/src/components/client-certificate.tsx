/**
 * The certificate the TLS server showed the test client (docs/window.md):
 * subject, issuer, validity, SHA-256 fingerprint with a copy button, the
 * TLS version and cipher, and whether it was checked. Unchecked, the
 * fingerprint is what to compare with the one the server printed. A
 * narrow pane shows one line, the check with Copy, and the rest on
 * Details, so the transcript keeps its room.
 */
import { useState, type ReactElement } from 'react';
import type { ClientCertificate } from '../../../electron/shared/ipc/models';

export function ClientCertificateView({ certificate }: { certificate: ClientCertificate }): ReactElement {
  const [copied, setCopied] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
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
    <section
      className={`client-certificate${open ? ' client-certificate--open' : ''}`}
      aria-label="Server certificate"
    >
      <dl className="client-certificate-fields">
        <div className="client-certificate-item client-certificate-detail">
          <dt>Subject</dt>
          <dd>{c.subject}</dd>
        </div>
        <div className="client-certificate-item client-certificate-detail">
          <dt>Issuer</dt>
          <dd>{c.issuer === c.subject ? 'itself (self-signed)' : c.issuer}</dd>
        </div>
        <div className="client-certificate-item client-certificate-detail">
          <dt>Valid</dt>
          <dd title={`${c.validFrom} to ${c.validTo}`}>
            {c.validFrom.slice(0, 10)} to {c.validTo.slice(0, 10)}
          </dd>
        </div>
        <div className="client-certificate-item client-certificate-detail">
          <dt>TLS</dt>
          <dd>
            {c.protocol}, {c.cipher}
          </dd>
        </div>
        <div className="client-certificate-item">
          <dt>Checked</dt>
          <dd className={c.verified ? 'client-certificate-trusted' : 'client-certificate-unchecked'}>
            {c.verified ? 'Yes: trusted' : 'No: Check certificate is off'}
          </dd>
        </div>
        <div className="client-certificate-item client-certificate-detail client-certificate-fingerprint">
          <dt>SHA-256</dt>
          <dd>
            <code>{c.fingerprint256}</code>
          </dd>
        </div>
      </dl>
      <div className="client-certificate-actions">
        <button
          type="button"
          className="button button--small button--quiet"
          aria-label="Copy fingerprint"
          title="Copy the SHA-256 fingerprint"
          onClick={() => void copy()}
        >
          Copy
        </button>
        <button
          type="button"
          className="button button--small button--quiet client-certificate-more"
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
        >
          Details
        </button>
        {copied ? (
          <span className="client-certificate-copied" role="status">
            {copied}
          </span>
        ) : null}
      </div>
    </section>
  );
}
