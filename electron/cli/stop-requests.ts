/**
 * How a headless process is told to stop: a stdin line `quit` or `stop`
 * (any case), SIGINT or SIGTERM. End of stdin is not a stop request, so the
 * process can run with stdin closed.
 */
import readline from 'node:readline';

export function onStopRequest(stop: (why: string) => void): void {
  let requested = false;
  const once = (why: string): void => {
    if (requested) return;
    requested = true;
    stop(why);
  };
  const lines = readline.createInterface({ input: process.stdin, terminal: false });
  lines.on('line', (line) => {
    const word = line.trim().toLowerCase();
    if (word === 'quit' || word === 'stop') once(word);
  });
  // A closed stdin must not keep the process alive, nor end it.
  lines.on('close', () => undefined);
  process.on('SIGINT', () => once('SIGINT'));
  process.on('SIGTERM', () => once('SIGTERM'));
}
