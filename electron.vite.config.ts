import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './renderer/vite.config.js';

/**
 * Builds the three parts of the desktop app into out/:
 *   out/main/index.js      Electron's main process (ESM)
 *   out/preload/index.cjs  the preload, one CommonJS file with nothing external
 *                          but electron, because a sandboxed preload cannot
 *                          load modules
 *   out/renderer/          the window
 */
export default defineConfig({
  main: {
    build: {
      rolldownOptions: { input: { index: 'electron/main/index.ts' } },
    },
  },
  preload: {
    build: {
      // Bundle zod and the contract into the one file a sandboxed preload may load.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: 'electron/preload/index.ts' },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    plugins: [react(), ...rendererConfig.plugins],
  },
});
