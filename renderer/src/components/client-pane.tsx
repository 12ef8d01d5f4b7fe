/**
 * The built-in test client: an address (the running server unless edited),
 * a line ending, the transcript and the Command input with its history.
 *
 * Main owns the socket: in session mode it keeps one connection open, in
 * one-shot mode it opens one per command. The pane just sends each line.
 */
import { useState, type KeyboardEvent, type ReactElement } from 'react';
import type { ClientSendOutcome, ClientSendRequest } from '../../../electron/shared/ipc-contract';
import type { ClientEvent, ClientState } from '../../../electron/shared/models';
import { useCommandHistory } from '../hooks/use-command-history';
import { parseTarget, type TargetDraft } from '../lib/client-target';
import { formatHostPort } from '../lib/format';
import { EraseIcon, SendIcon, UnplugIcon } from './icons';
import { Transcript } from './transcript';
import './client-pane.css';

type LineEnding = ClientSendRequest['lineEnding'];

const LINE_ENDINGS: readonly { value: LineEnding; label: string }[] = [
  { value: 'crlf', label: 'CRLF' },
  { value: 'lf', label: 'LF' },
  { value: 'none', label: 'None' },
];

const IDS = { host: 'client-host', port: 'client-port', command: 'client-command', ending: 'client-ending' };

interface ClientPaneProps {
  /** Where the client connects until the user edits the address. */
  defaultTarget: TargetDraft;
  client: ClientState;
  transcript: readonly ClientEvent[];
  onSend: (request: ClientSendRequest) => Promise<ClientSendOutcome>;
  onDisconnect: () => void;
  onClear: () => void;
}

export function ClientPane({
  defaultTarget,
  client,
  transcript,
  onSend,
  onDisconnect,
  onClear,
}: ClientPaneProps): ReactElement {
  // Null while untouched, so the fields follow the server; an edit pins them.
  const [hostEdit, setHostEdit] = useState<string | null>(null);
  const [portEdit, setPortEdit] = useState<string | null>(null);
  const [lineEnding, setLineEnding] = useState<LineEnding>('crlf');
  const [sendError, setSendError] = useState<string | null>(null);
  // Address errors show once the user touches the address or tries to send, not for a default.
  const [attempted, setAttempted] = useState(false);
  const history = useCommandHistory(client.history);

  const target = { host: hostEdit ?? defaultTarget.host, port: portEdit ?? defaultTarget.port };
  const parsed = parseTarget(target);
  const showErrors = attempted || hostEdit !== null || portEdit !== null;
  const errors = parsed.ok || !showErrors ? {} : parsed.errors;

  const send = async (): Promise<void> => {
    const line = history.value;
    if (line === '') return;
    if (!parsed.ok) {
      setAttempted(true);
      document.getElementById(parsed.errors.host ? IDS.host : IDS.port)?.focus();
      return;
    }
    history.commit(line);
    setSendError(null);
    const outcome = await onSend({ host: parsed.host, port: parsed.port, line, lineEnding });
    if (!outcome.ok) setSendError(outcome.error);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.nativeEvent.isComposing || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (e.key === 'ArrowUp') {
      e.preventDefault();
      history.older();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      history.newer();
    }
  };

  const hostError = errors.host;
  const portError = errors.port;

  return (
    <section className="pane client-pane">
      <header className="pane-header">
        <h2 className="pane-title">Test client</h2>
        <span className={`client-state${client.connected ? ' client-state--connected' : ''}`}>
          <span className="status-dot" aria-hidden="true" />
          {client.connected && client.target
            ? `Connected to ${formatHostPort(client.target.host, client.target.port)}`
            : 'Not connected'}
        </span>
        <div className="pane-actions">
          <button
            type="button"
            className="button button--small"
            disabled={!client.connected}
            onClick={onDisconnect}
          >
            <UnplugIcon />
            Disconnect
          </button>
          <button
            type="button"
            className="button button--small button--quiet"
            disabled={transcript.length === 0 && sendError === null}
            onClick={() => {
              setSendError(null);
              onClear();
            }}
          >
            <EraseIcon />
            Clear
          </button>
        </div>
      </header>
      <div className="client-target">
        <div className={`address${hostError || portError ? ' address--invalid' : ''}`}>
          <label className="address-label" htmlFor={IDS.host}>
            Client host
          </label>
          <input
            id={IDS.host}
            className="input address-host"
            value={target.host}
            onChange={(e) => setHostEdit(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={hostError ? true : undefined}
            aria-describedby={hostError ? `${IDS.host}-error` : undefined}
          />
          <label className="address-label" htmlFor={IDS.port}>
            Client port
          </label>
          <input
            id={IDS.port}
            className="input address-port"
            value={target.port}
            inputMode="numeric"
            onChange={(e) => setPortEdit(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={portError ? true : undefined}
            aria-describedby={portError ? `${IDS.port}-error` : undefined}
          />
        </div>
        <div className="line-ending">
          <label className="address-label" htmlFor={IDS.ending}>
            Line ending
          </label>
          <select
            id={IDS.ending}
            className="input select"
            value={lineEnding}
            onChange={(e) => setLineEnding(e.target.value as LineEnding)}
          >
            {LINE_ENDINGS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        {hostError || portError ? (
          <div className="client-target-errors">
            {hostError ? (
              <p className="field-error" id={`${IDS.host}-error`}>
                {hostError}
              </p>
            ) : null}
            {portError ? (
              <p className="field-error" id={`${IDS.port}-error`}>
                {portError}
              </p>
            ) : null}
          </div>
        ) : null}
      </div>
      <Transcript events={transcript} sendError={sendError} />
      <form
        className="command-bar"
        onSubmit={(e) => {
          // The window never navigates (and its CSP forbids form actions): Enter and Send just send.
          e.preventDefault();
          void send();
        }}
      >
        <label className="sr-only" htmlFor={IDS.command}>
          Command
        </label>
        <span className="command-prompt" aria-hidden="true">
          ›
        </span>
        <input
          id={IDS.command}
          className="command-input"
          value={history.value}
          onChange={(e) => history.edit(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder="Type a command, such as HELP or SONG"
          spellCheck={false}
          autoComplete="off"
          aria-describedby="client-command-hint"
        />
        <span className="command-hint" aria-hidden="true">
          ↑↓ history
        </span>
        <span id="client-command-hint" className="sr-only">
          Enter sends. The up and down arrows recall earlier commands.
        </span>
        <button type="submit" className="button button--primary button--small">
          <SendIcon />
          Send
        </button>
      </form>
    </section>
  );
}
