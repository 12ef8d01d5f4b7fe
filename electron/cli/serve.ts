/**
 * `npm run serve`: the Switchboard server with no window (docs/command-line.md).
 */
import { promises as fs } from 'node:fs';
import { LineServer } from '../core/server.js';
import { formatAddress } from '../shared/protocol/address.js';
import {
  CLASSIC_TABLE,
  describeTableIssue,
  parseTableFile,
  type CommandTable,
} from '../shared/protocol/command-table.js';
import { formatEntry } from '../services/log-entries.js';
import { holdWhileBehind, LogFile } from '../services/log-file.js';
import { ServerController } from '../services/server-controller.js';
import { BatchedWriter } from './batched-writer.js';
import { parseServeArgs, SERVE_USAGE } from './serve-options.js';
import { CLI_LISTENER_NAME, runForward, startControlApi } from './serve-forward.js';
import { mockListener } from '../services/control-api/listeners.js';
import { onStopRequest } from './stop-requests.js';
import { needsListenerRunner, serveListeners } from './serve-workspace.js';
import { lockDataDir } from '../services/data-dir-lock.js';

/** Frees the data folder's lock (taken with --data-dir) before the process exits. */
let releaseDataDir = (): Promise<void> => Promise.resolve();

/** The table in `file`, or the error text to print: every issue, each naming its place. */
async function readTableFile(file: string): Promise<CommandTable | string> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    return `error: cannot read the commands file ${file}: ${error instanceof Error ? error.message : String(error)}\n`;
  }
  const check = parseTableFile(text);
  if (check.ok) return check.table;
  const issues = check.issues.map((issue) => `  ${describeTableIssue(issue)}\n`).join('');
  return `error: the commands file ${file} was refused:\n${issues}`;
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseServeArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'bad') {
    process.stderr.write(`error: ${parsed.message}\n\n${SERVE_USAGE}\n`);
    return 2;
  }
  const { settings, json, quiet, logFile, logMaxBytes, logKeep, commandsFile } = parsed.options;
  const table = commandsFile === null ? CLASSIC_TABLE : await readTableFile(commandsFile);
  if (typeof table === 'string') {
    process.stderr.write(table);
    return 2;
  }
  // One process per data folder, as in browser mode: a second one names the holder and exits.
  const dataDir = parsed.options.listeners?.dataDir ?? null;
  if (dataDir !== null) {
    try {
      const lock = await lockDataDir(dataDir);
      if (!lock.ok) {
        process.stderr.write(`error: ${lock.message}\n`);
        return 1;
      }
      releaseDataDir = () => lock.release();
    } catch (error) {
      // A read-only folder: nothing can be overwritten there either; say so and serve on.
      const why = error instanceof Error ? error.message : String(error);
      process.stderr.write(`warning: could not lock the data folder ${dataDir} (${why})\n`);
    }
  }
  // With --forward, the table is checked above but its rules are not consulted (docs/forwarding.md).
  if (parsed.options.forward) return runForward(parsed.options, commandsFile === null ? null : table);
  // Several listeners, TLS or UDP: docs/listeners.md.
  if (needsListenerRunner(parsed.options)) return serveListeners(parsed.options, table);
  const out = new BatchedWriter(process.stdout);
  const server = new LineServer(table);
  const controller = new ServerController(server);
  // The user named this file: append to it, and rotate it only when asked to.
  const log = logFile === null ? null : new LogFile({ file: logFile, maxBytes: logMaxBytes, keep: logKeep });
  if (log) {
    controller.addSink(log);
    holdWhileBehind(log, server);
    // Said at once, not at Stop: the user may be counting on the file.
    log.on('problem', ({ message }) => process.stderr.write(`warning: ${message}\n`));
    log.on('recovered', ({ dropped }) =>
      process.stderr.write(
        `warning: the log ${log.file} is written again; ${dropped} events were not logged\n`,
      ),
    );
  }

  if (!quiet) {
    controller.on('entry', (entry) => {
      // The listening and stopped lines below stand for these two events.
      if (entry.kind === 'listening' || entry.kind === 'stopped') return;
      out.line(json ? JSON.stringify(entry) : formatEntry(entry));
    });
  }

  const started = await controller.start(settings);
  if (!started.ok) {
    await log?.close();
    process.stderr.write(`error: ${started.error}\n`);
    return 1;
  }
  const { host, port, warning } = started.status;
  out.line(`listening on ${formatAddress(host, port)}`);
  if (warning) process.stderr.write(`warning: ${warning}\n`);
  if (server.capacity.warning) process.stderr.write(`warning: ${server.capacity.warning}\n`);
  const api = parsed.options.api
    ? await startControlApi(parsed.options, mockListener(CLI_LISTENER_NAME, controller.server))
    : null;
  if (typeof api === 'string') {
    await controller.stop();
    await log?.close();
    process.stderr.write(`error: ${api}\n`);
    return 1;
  }
  if (api?.address) out.line(`api on http://${formatAddress(api.address.host, api.address.port)}`);
  out.flush();

  return new Promise((resolve) => {
    onStopRequest(() => {
      void controller.stop().then(async (report) => {
        await api?.stop();
        // Every event up to the stop is in the log file before we say so.
        await log?.close();
        if (log?.problem) process.stderr.write(`warning: ${log.problem}\n`);
        // A reader that does not read would hold this forever: close waits for it only briefly.
        await out.close(`stopped (${report.closed} connections closed)`);
        resolve(0);
      });
    });
  });
}

void main(process.argv.slice(2)).then(async (code) => {
  await releaseDataDir().catch(() => undefined);
  // Exit explicitly: stdin may still be open, and nothing else should keep us.
  process.exit(code);
});
