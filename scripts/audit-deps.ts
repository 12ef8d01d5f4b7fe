/**
 * `npm run audit:deps`: known high or critical advisories in what the app
 * ships (runtime dependencies only) fail the build.
 *
 * Some build machines cannot reach the registry's advisory service; there
 * the check says so plainly and neither passes nor fails the build, rather
 * than pretending the dependencies were checked.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const reportSchema = z.object({
  metadata: z.object({
    vulnerabilities: z.object({ high: z.number(), critical: z.number(), total: z.number() }),
  }),
});
const failureSchema = z.object({ message: z.string(), statusCode: z.number().optional() });

export type AuditVerdict =
  | { kind: 'clean'; total: number }
  | { kind: 'advisories'; high: number; critical: number }
  | { kind: 'unavailable'; why: string };

/** What `npm audit --json` printed means. */
export function judgeAudit(json: string): AuditVerdict {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { kind: 'unavailable', why: 'npm audit printed no report' };
  }
  const report = reportSchema.safeParse(value);
  if (report.success) {
    const { high, critical, total } = report.data.metadata.vulnerabilities;
    return high + critical > 0 ? { kind: 'advisories', high, critical } : { kind: 'clean', total };
  }
  const failure = failureSchema.safeParse(value);
  return { kind: 'unavailable', why: failure.success ? failure.data.message : 'npm audit printed no report' };
}

function main(): number {
  const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: ROOT, encoding: 'utf8' });
  const verdict = judgeAudit(run.stdout);
  switch (verdict.kind) {
    case 'clean':
      process.stdout.write(`npm audit --omit=dev: no high or critical advisory (${verdict.total} lower)\n`);
      return 0;
    case 'advisories':
      process.stdout.write(
        `npm audit --omit=dev: ${verdict.high} high and ${verdict.critical} critical advisories; run npm audit --omit=dev\n`,
      );
      return 1;
    case 'unavailable':
      process.stdout.write(
        `npm audit --omit=dev: NOT CHECKED, the advisory service is unreachable here (${verdict.why})\n`,
      );
      return 0;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main());
