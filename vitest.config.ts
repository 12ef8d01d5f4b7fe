import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * Four projects: plain Node for the core, main and the command line; jsdom
 * for the window's components; the end-to-end runs in real Chromium (and in
 * Electron where its binary exists), which start real processes; and the
 * abuse suite (hostile clients against a real server process), which
 * `npm test` leaves to `npm run test:abuse`.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/renderer/**', 'test/bench/**'],
          testTimeout: 20_000,
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: 'tsconfig.node.json' },
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['test/renderer/setup.ts'],
          // A whole window rendered in jsdom on a busy two-core machine can take seconds: the
          // default 5 s bound would fail tests on a timing, not on what they check.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Real browsers and processes on two cores: one file at a time.
          fileParallelism: false,
        },
      },
      {
        // Hostile clients against real server processes, minutes long: only
        // `npm run test:abuse` runs them (`npm test` names the other three).
        test: {
          name: 'abuse',
          environment: 'node',
          include: ['test/abuse/**/*.abuse.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // Each case measures one server's memory and latency: nothing else may run beside it.
          fileParallelism: false,
        },
      },
    ],
  },
});
