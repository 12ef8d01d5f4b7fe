/**
 * `npm run serve`: the Switchboard server with no window (CONTRACT §2).
 */
import { formatAddress } from '../core/start-errors.js';
import { formatEntry } from '../main/log-entries.js';
import { ServerController } from '../main/server-controller.js';
import { BatchedWriter } from './batched-writer.js';
import { parseServeArgs, SERVE_USAGE } from './serve-options.js';
import { onStopRequest } from './stop-requests.js';

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
  const { settings, json, quiet } = parsed.options;
  const out = new BatchedWriter(process.stdout);
  const controller = new ServerController();

  if (!quiet) {
    controller.on('entry', (entry) => {
      // The listening and stopped lines below stand for these two events.
      if (entry.kind === 'listening' || entry.kind === 'stopped') return;
      out.line(json ? JSON.stringify(entry) : formatEntry(entry));
    });
  }

  const started = await controller.start(settings);
  if (!started.ok) {
    process.stderr.write(`error: ${started.error}\n`);
    return 1;
  }
  const { host, port, warning } = started.status;
  out.line(`listening on ${formatAddress(host, port)}`);
  if (warning) process.stderr.write(`warning: ${warning}\n`);
  out.flush();

  return new Promise((resolve) => {
    onStopRequest(() => {
      void controller.stop().then(async (report) => {
        out.line(`stopped (${report.closed} connections closed)`);
        await out.close();
        resolve(0);
      });
    });
  });
}

void main(process.argv.slice(2)).then((code) => {
  // Exit explicitly: stdin may still be open, and nothing else should keep us.
  process.exit(code);
});
