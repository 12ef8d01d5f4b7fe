/**
 * `npm run audit:electron`: runs @doyensec/electronegativity over the
 * sources (electron/ and renderer/, where a reviewer reads the options) and
 * over the built app, and fails on any finding not reviewed in
 * electronegativity.json.
 *
 * The scanner's parser predates private class fields, so the bundles are
 * first lowered to ES2019 (in a temporary copy) for it to read them at all;
 * what it checks (options, calls, the CSP) is unchanged by that.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { z } from 'zod';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const acceptedSchema = z.object({
  accepted: z.array(z.object({ check: z.string(), file: z.string(), reason: z.string().min(20) })),
});

export interface Finding {
  check: string;
  severity: string;
  file: string;
  location: string;
  description: string;
}

/** Reads the scanner's CSV report (RFC 4180 quoting). */
export function parseReport(csv: string): Finding[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv.charAt(i);
    if (quoted) {
      if (c === '"' && csv.charAt(i + 1) === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows
    .slice(1)
    .filter((r) => r.length >= 7)
    .map((r) => ({
      check: r[0] ?? '',
      severity: r[1] ?? '',
      file: r[3] ?? '',
      location: r[4] ?? '',
      description: r[6] ?? '',
    }));
}

const acceptedList = (): z.output<typeof acceptedSchema>['accepted'] =>
  acceptedSchema.parse(JSON.parse(readFileSync(path.join(ROOT, 'electronegativity.json'), 'utf8'))).accepted;

function electronVersion(): string {
  return (
    JSON.parse(readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
}

/** Runs the scanner over `dir`; findings name files relative to it. */
function scan(dir: string): Finding[] {
  const report = path.join(dir, 'report.csv');
  execFileSync(
    path.join(ROOT, 'node_modules/.bin/electronegativity'),
    ['-i', dir, '-e', electronVersion(), '-r', '-v', 'false', '-o', report],
    // It tries to fetch Electron's release list and goes on without it when offline.
    { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return parseReport(readFileSync(report, 'utf8'));
}

/**
 * The sources as written: electron/ and renderer/ together (the scanner's
 * global checks, navigation limits and permission handlers, need both).
 */
export function scanSources(): Finding[] {
  const work = mkdtempSync(path.join(os.tmpdir(), 'switchboard-audit-src-'));
  try {
    for (const part of ['electron', 'renderer', 'package.json']) {
      cpSync(path.join(ROOT, part), path.join(work, part), { recursive: true });
    }
    return scan(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The built app, after a build. */
function scanBuild(): Finding[] {
  execFileSync('npx', ['electron-vite', 'build', '-c', 'electron.vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const work = mkdtempSync(path.join(os.tmpdir(), 'switchboard-audit-'));
  try {
    cpSync(path.join(ROOT, 'out'), path.join(work, 'out'), { recursive: true });
    cpSync(path.join(ROOT, 'package.json'), path.join(work, 'package.json'));
    for (const [file, format] of [
      ['out/main/index.js', 'esm'],
      ['out/preload/index.cjs', 'cjs'],
    ] as const) {
      const full = path.join(work, file);
      writeFileSync(
        full,
        transformSync(readFileSync(full, 'utf8'), { target: 'es2019', format, loader: 'js' }).code,
      );
    }
    return scan(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The findings not reviewed in electronegativity.json. */
export function unreviewed(findings: Finding[]): Finding[] {
  const accepted = acceptedList();
  return findings.filter((f) => !accepted.some((a) => a.check === f.check && a.file === f.file));
}

function main(): number {
  const accepted = acceptedList();
  const findings = [...scanSources(), ...scanBuild()];
  const open = unreviewed(findings);
  for (const f of findings) {
    const ok = accepted.find((a) => a.check === f.check && a.file === f.file);
    process.stdout.write(
      `${ok ? 'accepted' : 'OPEN    '} ${f.severity.padEnd(6)} ${f.check} ${f.file}:${f.location}${ok ? `\n         ${ok.reason}` : `\n         ${f.description}`}\n`,
    );
  }
  process.stdout.write(`electronegativity: ${findings.length} findings, ${open.length} not reviewed\n`);
  return open.length === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main());
