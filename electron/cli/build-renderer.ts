/**
 * Builds the window into out/renderer with the same Vite config the desktop
 * build uses, for browser mode and the end-to-end tests.
 */
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { rendererConfig } from '../../renderer/vite.config.js';

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
