/**
 * The certificate a TLS listener presents (docs/listeners.md).
 *
 * Without a certificate of the user's, a self-signed one for `localhost` and
 * `127.0.0.1` is made once with `selfsigned` (pure JavaScript: no OpenSSL
 * binary is needed at run time) and kept in the data folder, so clients that
 * pinned its fingerprint keep trusting it across restarts. A certificate of
 * the user's is checked before any listener starts: a missing file, a file
 * that is not PEM, or a key that does not belong to the certificate is
 * refused with a message naming the file.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface TlsIdentity {
  /** PEM text of the certificate (chain) and of its private key. */
  readonly cert: string;
  readonly key: string;
  /** SHA-256 fingerprint, upper-case hex pairs separated by colons (`AB:CD:…`). */
  readonly fingerprint256: string;
  readonly subject: string;
  readonly issuer: string;
  readonly validFrom: string;
  readonly validTo: string;
  /** Where it came from: made just now, made on an earlier start, or the user's files. */
  readonly source: 'generated' | 'reused' | 'user';
  readonly certFile: string;
  readonly keyFile: string;
}

export type IdentityResult = { ok: true; identity: TlsIdentity } | { ok: false; message: string };

/** The folder under the data folder that holds the generated certificate. */
export const TLS_FOLDER = 'tls';
/** How long a generated certificate is valid for. */
export const GENERATED_VALID_DAYS = 825;
/** A generated certificate this close to its end is made afresh at start. */
const RENEW_BEFORE_MS = 24 * 3600 * 1000;

function reason(error: unknown): string {
  if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return 'no such file';
  return error instanceof Error ? error.message : String(error);
}

/** Parses a PEM certificate, or says why it is not one. */
function parseCertificate(text: string, file: string): X509Certificate | string {
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    return `${file} is not a PEM certificate (no "-----BEGIN CERTIFICATE-----" line)`;
  }
  try {
    return new X509Certificate(text);
  } catch (error) {
    return `${file} is not a valid PEM certificate: ${reason(error)}`;
  }
}

/** Parses a PEM private key, or says why it is not one. */
function parsePrivateKey(text: string, file: string): KeyObject | string {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    return `${file} is not a PEM private key (no "-----BEGIN … PRIVATE KEY-----" line)`;
  }
  try {
    return createPrivateKey(text);
  } catch (error) {
    return `${file} is not a usable private key: ${reason(error)}`;
  }
}

/** Checks a certificate and key pair; the identity, or a message naming the file at fault. */
export function checkIdentity(
  certText: string,
  keyText: string,
  files: { certFile: string; keyFile: string },
  source: TlsIdentity['source'],
): IdentityResult {
  const cert = parseCertificate(certText, files.certFile);
  if (typeof cert === 'string') return { ok: false, message: cert };
  const key = parsePrivateKey(keyText, files.keyFile);
  if (typeof key === 'string') return { ok: false, message: key };
  if (!cert.checkPrivateKey(key)) {
    return {
      ok: false,
      message: `the key in ${files.keyFile} does not belong to the certificate in ${files.certFile}`,
    };
  }
  return {
    ok: true,
    identity: {
      cert: certText,
      key: keyText,
      fingerprint256: cert.fingerprint256,
      subject: cert.subject,
      issuer: cert.issuer,
      validFrom: cert.validFrom,
      validTo: cert.validTo,
      source,
      ...files,
    },
  };
}

/** Loads the user's PEM certificate and key (`--cert`, `--key`). */
export async function loadUserIdentity(certFile: string, keyFile: string): Promise<IdentityResult> {
  const read = async (file: string, what: string): Promise<string | { message: string }> => {
    try {
      return await fs.readFile(file, 'utf8');
    } catch (error) {
      return { message: `cannot read the ${what} file ${file}: ${reason(error)}` };
    }
  };
  const certText = await read(certFile, 'certificate');
  if (typeof certText !== 'string') return { ok: false, ...certText };
  const keyText = await read(keyFile, 'key');
  if (typeof keyText !== 'string') return { ok: false, ...keyText };
  return checkIdentity(certText, keyText, { certFile, keyFile }, 'user');
}

/** Makes a new self-signed certificate for localhost and 127.0.0.1 (PEM text). */
export async function makeSelfSigned(now = new Date()): Promise<{ cert: string; key: string }> {
  const notAfterDate = new Date(now.getTime() + GENERATED_VALID_DAYS * 24 * 3600 * 1000);
  const pems = await generate(
    [
      { name: 'commonName', value: 'localhost' },
      { name: 'organizationName', value: 'Switchboard (self-signed)' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: new Date(now.getTime() - 60_000), // a client with a slightly slow clock accepts it too
      notAfterDate,
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    },
  );
  return { cert: pems.cert, key: pems.private };
}

/**
 * The self-signed certificate kept in `<dataDir>/tls/`: the one made on an
 * earlier start when it is still good, else a new one (written with the key
 * readable by its owner only). A kept pair that is damaged, mismatched or
 * about to expire is replaced: it is ours, never the user's.
 */
export async function ensureSelfSignedIdentity(dataDir: string, now = new Date()): Promise<IdentityResult> {
  const folder = path.join(dataDir, TLS_FOLDER);
  const files = { certFile: path.join(folder, 'cert.pem'), keyFile: path.join(folder, 'key.pem') };
  try {
    const [certText, keyText] = await Promise.all([
      fs.readFile(files.certFile, 'utf8'),
      fs.readFile(files.keyFile, 'utf8'),
    ]);
    const kept = checkIdentity(certText, keyText, files, 'reused');
    if (kept.ok && Date.parse(kept.identity.validTo) - now.getTime() > RENEW_BEFORE_MS) return kept;
  } catch {
    // Not made yet (or unreadable): make it below.
  }
  try {
    const made = await makeSelfSigned(now);
    await fs.mkdir(folder, { recursive: true, mode: 0o700 });
    // The key first, created private, so it is never readable by others even for a moment.
    await writePrivate(files.keyFile, made.key);
    await fs.writeFile(files.certFile, made.cert, { mode: 0o644 });
    return checkIdentity(made.cert, made.key, files, 'generated');
  } catch (error) {
    return { ok: false, message: `cannot keep a self-signed certificate in ${folder}: ${reason(error)}` };
  }
}

/** Writes `file` with mode 0600, whatever mode an older file of that name had. */
async function writePrivate(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, text, { mode: 0o600 });
  await fs.chmod(temp, 0o600); // the umask can only take bits away, but be explicit
  await fs.rename(temp, file);
}
