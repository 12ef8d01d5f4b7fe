import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GENERATED_VALID_DAYS,
  ensureSelfSignedIdentity,
  loadUserIdentity,
  makeSelfSigned,
  type IdentityResult,
  type TlsIdentity,
} from '../../electron/services/certificates.js';

let dir = '';
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-tls-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function identity(result: IdentityResult): TlsIdentity {
  if (!result.ok) throw new Error(result.message);
  return result.identity;
}

function refusal(result: IdentityResult): string {
  if (result.ok) throw new Error('expected a refusal');
  return result.message;
}

/** The SHA-256 of the certificate's DER bytes, as `AB:CD:…`, computed without X509Certificate. */
function derFingerprint(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)?.join(':') ?? '';
}

describe('the self-signed certificate', () => {
  it('is made once for localhost and 127.0.0.1, kept in <dataDir>/tls with a private key file, and reused', async () => {
    const made = identity(await ensureSelfSignedIdentity(dir));
    expect(made.source).toBe('generated');
    expect(made.certFile).toBe(path.join(dir, 'tls', 'cert.pem'));
    expect(made.keyFile).toBe(path.join(dir, 'tls', 'key.pem'));
    const cert = new X509Certificate(await fs.readFile(made.certFile, 'utf8'));
    expect(cert.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(cert.subject).toContain('CN=localhost');
    expect(made.fingerprint256).toBe(derFingerprint(made.cert));
    expect(made.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect((await fs.stat(made.keyFile)).mode & 0o777).toBe(0o600);
    expect(cert.checkPrivateKey(createPrivateKey(made.key))).toBe(true);

    const again = identity(await ensureSelfSignedIdentity(dir));
    expect(again.source).toBe('reused');
    expect(again.fingerprint256).toBe(made.fingerprint256);
  });

  it('is made afresh when the kept one is damaged', async () => {
    const made = identity(await ensureSelfSignedIdentity(dir));
    await fs.writeFile(made.certFile, 'not a certificate');
    const fresh = identity(await ensureSelfSignedIdentity(dir));
    expect(fresh.source).toBe('generated');
    expect(fresh.fingerprint256).not.toBe(made.fingerprint256);
  });

  it('is made afresh when the kept one is about to expire', async () => {
    const made = identity(await ensureSelfSignedIdentity(dir));
    const nearEnd = new Date(Date.now() + (GENERATED_VALID_DAYS - 0.5) * 24 * 3600 * 1000);
    const fresh = identity(await ensureSelfSignedIdentity(dir, nearEnd));
    expect(fresh.source).toBe('generated');
    expect(fresh.fingerprint256).not.toBe(made.fingerprint256);
  });

  it('names the folder when it cannot be kept', async () => {
    const blocker = path.join(dir, 'file');
    await fs.writeFile(blocker, '');
    expect(refusal(await ensureSelfSignedIdentity(blocker))).toMatch(
      /^cannot keep a self-signed certificate in .*file\/tls/,
    );
  });
});

describe("the user's certificate", () => {
  async function writePair(name: string): Promise<{ cert: string; key: string }> {
    const pems = await makeSelfSigned();
    const cert = path.join(dir, `${name}.crt`);
    const key = path.join(dir, `${name}.key`);
    await fs.writeFile(cert, pems.cert);
    await fs.writeFile(key, pems.key);
    return { cert, key };
  }

  it('is loaded from PEM files', async () => {
    const files = await writePair('user');
    const loaded = identity(await loadUserIdentity(files.cert, files.key));
    expect(loaded.source).toBe('user');
    expect(loaded.fingerprint256).toBe(derFingerprint(loaded.cert));
  });

  it('refuses a missing file, naming it', async () => {
    const files = await writePair('user');
    const missing = path.join(dir, 'nope.pem');
    expect(refusal(await loadUserIdentity(missing, files.key))).toBe(
      `cannot read the certificate file ${missing}: no such file`,
    );
    expect(refusal(await loadUserIdentity(files.cert, missing))).toBe(
      `cannot read the key file ${missing}: no such file`,
    );
  });

  it('refuses files that are not PEM', async () => {
    const files = await writePair('user');
    const junk = path.join(dir, 'junk.pem');
    await fs.writeFile(junk, 'hello\n');
    expect(refusal(await loadUserIdentity(junk, files.key))).toMatch(/junk\.pem is not a PEM certificate/);
    expect(refusal(await loadUserIdentity(files.cert, junk))).toMatch(/junk\.pem is not a PEM private key/);
    const broken = path.join(dir, 'broken.pem');
    await fs.writeFile(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(refusal(await loadUserIdentity(broken, files.key))).toMatch(
      /broken\.pem is not a valid PEM certificate/,
    );
  });

  it('refuses a key that does not belong to the certificate', async () => {
    const one = await writePair('one');
    const other = await writePair('other');
    expect(refusal(await loadUserIdentity(one.cert, other.key))).toBe(
      `the key in ${other.key} does not belong to the certificate in ${one.cert}`,
    );
  });
});
