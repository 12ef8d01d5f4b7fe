/**
 * `npm run serve -- --forward HOST:PORT` (docs/forwarding.md): a forwarding
 * listener with both directions in the log, an optional recording written on
 * stop, and the control API beside it (`--api`).
 */
import { Forwarder } from '../core/forwarder.js';
import { displayFramerFor } from '../core/framing-display.js';
import { framingConfigOf } from '../core/framing/index.js';
import { Recorder } from '../core/recorder.js';
import type { CommandTable } from '../shared/protocol/command-table.js';
import { resolveFraming } from '../shared/protocol/table-framing.js';
import { resolveToxic } from '../shared/protocol/toxics.js';
import { formatAddress } from '../shared/protocol/address.js';
import { ControlApi } from '../services/control-api/index.js';
import { forwarderListener, type ApiListener } from '../services/control-api/listeners.js';
import { writeAtomically } from '../services/json-file.js';
import { forwardEntries, forwardEntryBatches } from '../services/forward-entries.js';
import { formatEntry } from '../services/log-entries.js';
import { LogFile } from '../services/log-file.js';
import { BatchedWriter } from './batched-writer.js';
import { defaultDataDir } from './data-dir.js';
import type { ServeOptions } from './serve-options.js';
import { onStopRequest } from './stop-requests.js';

/** The name the command line's own listener has in the API. */
export const CLI_LISTENER_NAME = 'default';

export { forwardEntries, type ForwardEntry } from '../services/forward-entries.js';

/** Starts the control API for `--api`; the error to print when it cannot. */
export async function startControlApi(
  options: ServeOptions,
  listener: ApiListener,
  adopt?: Forwarder,
): Promise<ControlApi | string> {
  if (!options.api) return 'no --api';
  // Listeners made through the API keep a self-signed certificate where --tls would.
  const api = new ControlApi({ dataDir: options.listeners?.dataDir ?? defaultDataDir() });
  api.addListener(listener);
  if (adopt) api.proxies.adopt(listener.name, adopt);
  const started = await api.start(options.api.host, options.api.port);
  if (!started.ok) return `the control API cannot start: ${started.message}`;
  return api;
}

/**
 * Runs the forwarding listener. `table` (from `--commands`) sets the framing
 * the log and the recording use, and the toxics; its rules are not consulted.
 */
export async function runForward(options: ServeOptions, table: CommandTable | null): Promise<number> {
  const { settings, json, quiet, logFile, recordFile } = options;
  const upstream = options.forward;
  if (!upstream) return 2;
  const out = new BatchedWriter(process.stdout);
  const framing = framingConfigOf(resolveFraming(table?.framing));
  const forwarder = new Forwarder({
    framer: displayFramerFor(framing),
    toxics: (table?.toxics ?? []).map(resolveToxic),
  });
  const recorder =
    recordFile === null
      ? null
      : new Recorder(forwarder, formatAddress(upstream.host, upstream.port), framing);
  const log = logFile === null ? null : new LogFile({ file: logFile, maxBytes: Infinity });
  // Quiet and no log file: nobody reads the rows, so none are made (nor frames cut for them).
  if (log && quiet) {
    // Only the file reads the rows: a read's frames go to it whole, encoded with no entry per frame.
    forwardEntryBatches(
      forwarder,
      (entry) => log.append(entry),
      (rows) => log.appendFrames(rows),
    );
  } else if (log || !quiet) {
    forwardEntries(forwarder, (entry) => {
      log?.append(entry);
      if (!quiet) out.line(json ? JSON.stringify(entry) : formatEntry(entry));
    });
  }

  const started = await forwarder.start({ host: settings.host, port: settings.port, upstream });
  if (!started.ok) {
    await log?.close();
    process.stderr.write(`error: ${started.message}\n`);
    return 1;
  }
  out.line(`listening on ${formatAddress(started.host, started.port)}`);
  if (!quiet) out.line(`forwarding to ${formatAddress(upstream.host, upstream.port)}`);

  let api: ControlApi | null = null;
  if (options.api) {
    const made = await startControlApi(options, forwarderListener(CLI_LISTENER_NAME, forwarder), forwarder);
    if (typeof made === 'string') {
      await forwarder.stop();
      await log?.close();
      process.stderr.write(`error: ${made}\n`);
      return 1;
    }
    api = made;
    const address = api.address;
    if (address) out.line(`api on http://${formatAddress(address.host, address.port)}`);
  }
  out.flush();

  return new Promise((resolve) => {
    onStopRequest(() => {
      void (async () => {
        const report = await forwarder.stop();
        await api?.stop();
        let code = 0;
        if (recorder && recordFile) {
          recorder.detach();
          const table = recorder.table();
          try {
            await writeAtomically(recordFile, `${JSON.stringify(table, null, 2)}\n`);
            if (!quiet) out.line(`recorded ${table.commands.length} rules to ${recordFile}`);
          } catch (error) {
            process.stderr.write(
              `error: cannot write the recording ${recordFile}: ${error instanceof Error ? error.message : String(error)}\n`,
            );
            code = 1;
          }
        }
        await log?.close();
        if (log?.problem) process.stderr.write(`warning: ${log.problem}\n`);
        out.line(`stopped (${report.closed} connections closed)`);
        await out.close();
        resolve(code);
      })();
    });
  });
}
