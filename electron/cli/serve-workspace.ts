/**
 * `npm run serve -- --config FILE`, and the single listener of `--tls` or
 * `--udp` (docs/listeners.md): runs the listeners, prints one
 * `listening on HOST:PORT (NAME)` line each and every event naming its
 * listener, and stops them all on one stop request.
 */
import type { CommandTable } from '../shared/protocol/command-table.js';
import { formatAddress } from '../shared/protocol/address.js';
import type { LogEntry } from '../shared/ipc/models.js';
import { ControlApi } from '../services/control-api/index.js';
import { formatEntry } from '../services/log-entries.js';
import { LogFile } from '../services/log-file.js';
import {
  loadWorkspaceFile,
  planSingleListener,
  WorkspaceRunner,
  type ListenerOutcome,
  type ListenerPlan,
} from '../services/workspace.js';
import { BatchedWriter } from './batched-writer.js';
import { defaultDataDir } from './data-dir.js';
import type { ListenerOptions } from './listener-options.js';
import type { ServeOptions } from './serve-options.js';
import { onStopRequest } from './stop-requests.js';

/** True when the options ask for more than the plain TCP server. */
export function needsListenerRunner(
  options: ServeOptions,
): options is ServeOptions & { listeners: ListenerOptions } {
  return (
    options.listeners !== undefined &&
    (options.listeners.configFile !== null || options.listeners.transport !== 'tcp')
  );
}

/** An event line naming its listener: `TIME (NAME) #1 HOST:PORT kind detail`. */
export function formatNamedEntry(listener: string, entry: LogEntry): string {
  const line = formatEntry(entry);
  const space = line.indexOf(' ');
  return `${line.slice(0, space)} (${listener})${line.slice(space)}`;
}

async function plan(
  options: ServeOptions & { listeners: ListenerOptions },
  table: CommandTable,
): Promise<{ ok: true; plans: ListenerPlan[]; named: boolean } | { ok: false; message: string }> {
  const { configFile, transport, certFile, keyFile } = options.listeners;
  if (configFile !== null) {
    const load = await loadWorkspaceFile(configFile);
    if (!load.ok) return { ok: false, message: load.message };
    return { ok: true, plans: load.listeners, named: true };
  }
  const single = await planSingleListener({
    settings: options.settings,
    transport,
    table,
    certFile,
    keyFile,
  });
  return single.ok ? { ok: true, plans: [single.plan], named: false } : single;
}

/** Runs the listeners until a stop request; resolves with the exit code. */
export async function serveListeners(
  options: ServeOptions & { listeners: ListenerOptions },
  table: CommandTable,
): Promise<number> {
  const planned = await plan(options, table);
  if (!planned.ok) {
    process.stderr.write(`error: ${planned.message}\n`);
    return 1;
  }
  const { plans, named } = planned;
  const { json, quiet, logFile, logMaxBytes, logKeep } = options;
  const out = new BatchedWriter(process.stdout);
  const runner = new WorkspaceRunner(plans, { dataDir: options.listeners.dataDir ?? defaultDataDir() });
  // As for a single listener (serve.ts): the user's file, rotated only when asked to.
  const log = logFile === null ? null : new LogFile({ file: logFile, maxBytes: logMaxBytes, keep: logKeep });
  if (log) {
    runner.on('entry', ({ entry }) => log.append(entry));
    log.on('problem', ({ message }) => process.stderr.write(`warning: ${message}\n`));
    log.on('recovered', ({ dropped }) =>
      process.stderr.write(
        `warning: the log ${log.file} is written again; ${dropped} events were not logged\n`,
      ),
    );
  }
  if (!quiet) {
    runner.on('entry', ({ listener, entry }) => {
      // The listening and stopped lines below stand for these two events.
      if (entry.kind === 'listening' || entry.kind === 'stopped') return;
      if (json) out.line(JSON.stringify(named ? entry : { ...entry, listener: undefined }));
      else out.line(named ? formatNamedEntry(listener, entry) : formatEntry(entry));
    });
  }

  const outcomes = await runner.start();
  const suffix = (o: ListenerOutcome): string => (named ? ` (${o.name})` : '');
  for (const o of outcomes) {
    if (!o.ok) {
      process.stderr.write(`error: ${named ? `listener "${o.name}": ` : ''}${o.error}\n`);
      continue;
    }
    out.line(`listening on ${formatAddress(o.host, o.port)}${suffix(o)}`);
    if (o.fingerprint && !quiet) out.line(`tls fingerprint SHA256 ${o.fingerprint}${suffix(o)}`);
    for (const warning of o.warnings) process.stderr.write(`warning: ${warning}${suffix(o)}\n`);
  }
  // Listeners are independent: the ones that started serve on. Only when
  // none could start is there nothing to run.
  if (!outcomes.some((o) => o.ok)) {
    out.flush();
    await runner.stop();
    await log?.close();
    return 1;
  }
  // The control API sees every listener, and makes new ones into this workspace (docs/api.md).
  let api: ControlApi | null = null;
  if (options.api) {
    api = new ControlApi({ runner });
    const started = await api.start(options.api.host, options.api.port);
    if (!started.ok) {
      out.flush();
      await runner.stop();
      await log?.close();
      process.stderr.write(`error: the control API cannot start: ${started.message}\n`);
      return 1;
    }
    out.line(`api on http://${formatAddress(started.host, started.port)}`);
  }
  out.flush();

  return new Promise((resolve) => {
    onStopRequest(() => {
      void Promise.all([runner.stop(), api?.stop()]).then(async ([report]) => {
        await log?.close();
        if (log?.problem) process.stderr.write(`warning: ${log.problem}\n`);
        // A reader that does not read would hold this forever: close waits for it only briefly.
        await out.close(`stopped (${report.closed} connections closed)`);
        resolve(0);
      });
    });
  });
}
