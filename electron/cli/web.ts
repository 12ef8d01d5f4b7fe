/**
 * `npm run web`: the window in a browser, with the same main-process code
 * behind it (docs/browser-mode.md).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAppServices } from '../services/app-services.js';
import { lockDataDir } from '../services/data-dir-lock.js';
import { reason } from '../services/json-file.js';
import { DEFAULT_LOG_KEEP, DEFAULT_LOG_MAX_BYTES } from '../services/log-file.js';
import { defaultDataDir } from './data-dir.js';
import { MAX_LOG_KEEP, MIN_LOG_MAX_BYTES, wholeNumber } from './serve-options.js';
import { onStopRequest } from './stop-requests.js';
import { startWebHost } from './web-host.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STATIC_DIR = path.join(ROOT, 'out', 'renderer');

export const WEB_USAGE = `Usage: npm run web -- [options]

Serves the Switchboard window to a browser on this machine.

Options:
  --port PORT       port for the page, 0 for any free port (default 0)
  --data-dir DIR    where settings are kept (default ${defaultDataDir()})
  --log-max BYTES   rotate the durable log past BYTES (default ${DEFAULT_LOG_MAX_BYTES}, or settings.json's "log")
  --log-keep N      rotated log files kept (default ${DEFAULT_LOG_KEEP})
  --help            show this help

Type "quit" or "stop" (or press Ctrl+C) to stop.`;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: 'string', default: '0' },
        'data-dir': { type: 'string' },
        'log-max': { type: 'string' },
        'log-keep': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(
      `error: ${error instanceof Error ? error.message : String(error)}\n\n${WEB_USAGE}\n`,
    );
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${WEB_USAGE}\n`);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(
      `error: --port needs a whole number from 0 to 65535, got "${values.port}"\n\n${WEB_USAGE}\n`,
    );
    return 2;
  }
  const logMax = wholeNumber('--log-max', values['log-max'], MIN_LOG_MAX_BYTES, Number.MAX_SAFE_INTEGER);
  const logKeep = wholeNumber('--log-keep', values['log-keep'], 0, MAX_LOG_KEEP);
  for (const bad of [logMax, logKeep]) {
    if (typeof bad === 'string') {
      process.stderr.write(`error: ${bad}\n\n${WEB_USAGE}\n`);
      return 2;
    }
  }
  const dataDir = values['data-dir'] ?? defaultDataDir();
  // One process per data folder: a second one would move the first one's live log aside.
  const startProblems: string[] = [];
  let release = (): Promise<void> => Promise.resolve();
  try {
    const lock = await lockDataDir(dataDir);
    if (!lock.ok) {
      process.stderr.write(`error: ${lock.message}\n`);
      return 1;
    }
    release = () => lock.release();
  } catch (error) {
    // A read-only or unwritable folder: nothing can be overwritten there either.
    startProblems.push(`could not lock the data folder ${dataDir} (${reason(error)})`);
  }
  // After the lock, so a folder in use is named whether or not the window is built.
  if (!existsSync(path.join(STATIC_DIR, 'index.html'))) {
    process.stderr.write(
      `error: ${STATIC_DIR} has no index.html: build the window with npm run build:renderer (npm run web does it first)\n`,
    );
    await release();
    return 1;
  }
  const services = await createAppServices({
    dataDir,
    startProblems,
    ...(typeof logMax === 'number' ? { logMaxBytes: logMax } : {}),
    ...(typeof logKeep === 'number' ? { logKeep } : {}),
  });
  for (const problem of services.startProblems) process.stderr.write(`warning: ${problem}\n`);
  let host;
  try {
    host = await startWebHost({ port, staticDir: STATIC_DIR, services });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    const message =
      code === 'EADDRINUSE'
        ? `port ${port} on 127.0.0.1 is already in use`
        : error instanceof Error
          ? error.message
          : String(error);
    process.stderr.write(`error: ${message}\n`);
    await services.shutdown();
    await release();
    return 1;
  }
  process.stdout.write(`open ${host.url}\n`);
  services.logFile.on('problem', ({ message }) => process.stderr.write(`warning: ${message}\n`));

  return new Promise((resolve) => {
    onStopRequest(() => {
      void (async () => {
        const report = await services.server.stop();
        await services.shutdown();
        await host.close();
        await release();
        process.stdout.write(`stopped (${report.closed} connections closed)\n`, () => resolve(0));
      })();
    });
  });
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
