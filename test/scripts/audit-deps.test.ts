import { describe, expect, it } from 'vitest';
import { judgeAudit } from '../../scripts/audit-deps.js';

const report = (high: number, critical: number, total: number): string =>
  JSON.stringify({
    metadata: {
      vulnerabilities: { info: 0, low: total - high - critical, moderate: 0, high, critical, total },
    },
  });

describe('the dependency audit', () => {
  it('passes a report with no high or critical advisory', () => {
    expect(judgeAudit(report(0, 0, 2))).toEqual({ kind: 'clean', total: 2 });
  });

  it('fails on a high or a critical advisory', () => {
    expect(judgeAudit(report(1, 0, 1))).toEqual({ kind: 'advisories', high: 1, critical: 0 });
    expect(judgeAudit(report(0, 2, 2))).toEqual({ kind: 'advisories', high: 0, critical: 2 });
  });

  it('says the service was unreachable rather than calling it clean', () => {
    const failure = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
    });
    expect(judgeAudit(failure)).toEqual({
      kind: 'unavailable',
      why: '405 Method Not Allowed - POST https://registry/-/npm/v1/security/advisories/bulk',
    });
    expect(judgeAudit('')).toEqual({ kind: 'unavailable', why: 'npm audit printed no report' });
  });
});
