/**
 * Builds the window into out/renderer with the same Vite config the desktop
 * build uses, for browser mode and the end-to-end tests.
 */
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { rendererConfig } from '../../renderer/vite.config.js';

export async function buildRenderer(): Promise<void> {
  await build({
    ...rendererConfig,
    configFile: false,
    plugins: [react(), ...rendererConfig.plugins],
    logLevel: 'warn',
    // Always React's production build: under a test runner NODE_ENV is
    // "test", which would otherwise give the window React's development
    // build, many times slower under a flood of log rows.
    mode: 'production',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  });
}
