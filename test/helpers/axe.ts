/**
 * axe-core in a page of the end-to-end runs: the serious and critical
 * violations only, each with its rule and where it is.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './process.js';

const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

export async function seriousViolations(page: Page): Promise<Violation[]> {
  if (await page.evaluate<boolean>('typeof window.axe === "undefined"')) {
    // Evaluated, not added as a <script>: the page's Content-Security-Policy refuses inline scripts.
    await page.evaluate(await fs.readFile(AXE, 'utf8'));
  }
  return page.evaluate<Violation[]>(`(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '').split('\\n').slice(1, 2).join('')),
      }));
  })()`);
}
