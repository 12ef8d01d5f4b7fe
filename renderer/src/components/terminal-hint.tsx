/**
 * How to reach the server from a terminal: the quickest check that it
 * answers to more than the built-in client.
 */
import type { ReactElement } from 'react';
import type { ServerStatus } from '../../../electron/shared/ipc/models';
import { dialableHost } from '../lib/client-target';

export function TerminalHint({ status }: { status: ServerStatus }): ReactElement | null {
  if (status.state !== 'running') return null;
  const host = dialableHost(status.host);
  return (
    <section className="card">
      <header className="card-header">
        <h2 className="card-title">From a terminal</h2>
      </header>
      <code className="terminal-command">
        nc {host} {status.port}
      </code>
      <p className="card-footnote">
        Or <code>telnet</code>. Type <kbd>HELP</kbd> for the commands.
      </p>
    </section>
  );
}
