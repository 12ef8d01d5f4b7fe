/**
 * Builds the window into out/renderer with the same Vite config the desktop
 * build uses, for browser mode (`npm run web` runs this first, as
 * `npm run build:renderer`) and the end-to-end tests. A build step, so it
 * lives with the scripts: product code never loads Vite.
 */
import { pathToFileURL } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { rendererConfig } from '../renderer/vite.config.js';

export async function buildRenderer(): Promise<void> {
  // Always React's production build. Under a test runner NODE_ENV is
  // "test", and Vite and the React plugin read it to choose React's
  // development build (many times slower under a flood of log rows); the
  // JSX transform and React's own build must agree, so set it for both.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      ...rendererConfig,
      configFile: false,
      plugins: [react(), ...rendererConfig.plugins],
      logLevel: 'warn',
      mode: 'production',
    });
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildRenderer().catch((error: unknown) => {
    process.stderr.write(
      `error: could not build the window: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
