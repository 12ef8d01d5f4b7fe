// This file runs in Node at build time, not in the window, so the window's ban on node: imports does not apply.
/* eslint-disable no-restricted-imports */
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Relaxes the page's Content-Security-Policy on the dev server only.
 *
 * React Refresh needs an inline preamble script and Vite injects imported CSS
 * as <style> elements while serving; the built window needs neither, so the
 * strict policy in index.html is what ships.
 */
export function devServerCsp(): Plugin {
  return {
    name: 'switchboard:dev-server-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
    },
  };
}

/**
 * The window's build, shared by the desktop app (electron.vite.config.ts) and
 * browser mode, so both serve the very same files. The React plugin is added
 * by each config that uses this one.
 */
export const rendererConfig = {
  root: here,
  base: './',
  plugins: [devServerCsp()],
  build: {
    outDir: path.resolve(here, '../out/renderer'),
    emptyOutDir: true,
    rolldownOptions: { input: { index: path.resolve(here, 'index.html') } },
    // The window loads from disk (desktop) or loopback (browser mode), never
    // over a network, so one ~850 kB script (React, uPlot, RE2 for checking
    // patterns as you type) costs milliseconds; the web-page default of 500 kB
    // would only add noise to every build.
    chunkSizeWarningLimit: 1200,
  },
} satisfies UserConfig;

export default defineConfig({ ...rendererConfig, plugins: [react(), ...rendererConfig.plugins] });
