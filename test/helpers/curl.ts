/**
 * curl, as a script would drive the control API (docs/api.md).
 */
import { spawn } from 'node:child_process';

/** Runs curl; resolves with the status and the parsed JSON body (or null). */
export function curl(args: string[], input?: Buffer): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-s', '-S', '-w', '\n%{http_code}', ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) {
        reject(new Error(`curl exited ${code}: ${err}`));
        return;
      }
      const cut = out.lastIndexOf('\n');
      const text = out.slice(0, cut).trim();
      resolve({
        status: Number(out.slice(cut + 1)),
        body: text === '' ? null : (JSON.parse(text) as unknown),
      });
    });
    if (input) child.stdin.end(input);
    else child.stdin.end();
  });
}
