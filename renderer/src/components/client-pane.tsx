/**
 * The built-in test client: an address (the running server unless edited),
 * Connect and Disconnect, a line ending, the hex view, quick-command
 * buttons, the conversation, and the send row: the Command input with its
 * history, how it is read (text, hex or C-style escapes) and a repeat timer.
 *
 * Main owns the socket: it keeps one connection open and connects by itself
 * when a line is sent without one. The pane just asks. A send that fails
 * says so once and leaves the command in the input.
 */
import { useMemo, useState, type KeyboardEvent, type ReactElement } from 'react';
import { addsLineEnding, type InputMode } from '../../../electron/shared/ipc/client-input';
import type { CommandTable } from '../../../electron/shared/protocol/command-table';
import type { FramingField, LineFramingName } from '../../../electron/shared/protocol/table-framing';
import type { ClientSendOutcome, ClientSendRequest } from '../../../electron/shared/ipc/ipc-contract';
import type {
  ClientEvent,
  ClientState,
  ClientTarget,
  ServerStatus,
} from '../../../electron/shared/ipc/models';
import { useCommandHistory } from '../hooks/use-command-history';
import { parseRepeat, useRepeatSend } from '../hooks/use-repeat-send';
import {
  CLIENT_TRANSPORTS,
  connectionSummary,
  isConnectedTo,
  parseTarget,
  transportFields,
  type ClientTransport,
  type TargetDraft,
} from '../lib/client-target';
import { formatCount } from '../lib/format';
import { ClientCertificateView } from './client-certificate';
import { quickCommands } from '../lib/quick-commands';
import { EraseIcon, PlugIcon, SendIcon, UnplugIcon } from './icons';
import { QuickCommands } from './quick-commands';
import { Transcript } from './transcript';
import './client-pane.css';

type LineEnding = ClientSendRequest['lineEnding'];

const LINE_ENDINGS: readonly { value: LineEnding; label: string }[] = [
  { value: 'crlf', label: 'CRLF' },
  { value: 'lf', label: 'LF' },
  { value: 'cr', label: 'CR' },
  { value: 'none', label: 'None' },
];

/** How the client cuts what it receives: the served table's framing, or a line framing chosen here. */
type FramingChoice = 'table' | LineFramingName;

const FRAMINGS: readonly { value: FramingChoice; label: string }[] = [
  { value: 'table', label: '✂ table' },
  { value: 'lf', label: '✂ LF' },
  { value: 'crlf', label: '✂ CRLF' },
  { value: 'cr', label: '✂ CR' },
  { value: 'nul', label: '✂ NUL' },
];

const INPUT_MODES: readonly { value: InputMode; label: string; placeholder: string }[] = [
  { value: 'text', label: 'Text', placeholder: 'Type a command, such as HELP or SONG' },
  { value: 'hex', label: 'Hex', placeholder: 'Bytes in hex, such as 48 45 4C 50 0D 0A' },
  { value: 'escapes', label: 'Escapes', placeholder: 'Text with escapes, such as HELP\\r\\n or \\x1B' },
];

const UDP_HINT =
  'Each send is one datagram; replies show as received rows. No handshake: only a reply tells that a server is there.';

/** What the certificate check means, in a sentence. */
function verifyHint(on: boolean): string {
  return on
    ? 'Self-signed certificates (serve --tls makes one) fail the check: turn it off, then compare the fingerprint.'
    : 'Any certificate is accepted: compare its SHA-256 fingerprint with the one the server printed.';
}

/** The Command input's id: the focus-command shortcut finds it by this. */
export const COMMAND_INPUT_ID = 'client-command';

const IDS = {
  host: 'client-host',
  port: 'client-port',
  command: COMMAND_INPUT_ID,
  ending: 'client-ending',
  framing: 'client-framing',
  mode: 'client-input-mode',
  every: 'client-repeat-every',
  times: 'client-repeat-times',
  transport: 'client-transport',
  verify: 'client-tls-verify',
};

interface ClientPaneProps {
  /** Where the client connects until the user edits the address. */
  defaultTarget: TargetDraft;
  client: ClientState;
  /** The command history main kept from earlier sessions; read once, when the pane mounts. */
  history?: readonly string[];
  transcript: readonly ClientEvent[];
  /** The window's own server, to tell when the client talks to it. */
  serverStatus: ServerStatus;
  /** The command table that server answers with, for the quick commands. */
  commandTable: CommandTable | null;
  onSend: (request: ClientSendRequest) => Promise<ClientSendOutcome>;
  onConnect: (target: ClientTarget & { framing?: FramingField }) => Promise<ClientSendOutcome>;
  onDisconnect: () => void;
  onClear: () => void;
}

export function ClientPane({
  defaultTarget,
  client,
  history: savedHistory = [],
  transcript,
  serverStatus,
  commandTable,
  onSend,
  onConnect,
  onDisconnect,
  onClear,
}: ClientPaneProps): ReactElement {
  // Null while untouched, so the fields follow the server; an edit pins them.
  const [hostEdit, setHostEdit] = useState<string | null>(null);
  const [portEdit, setPortEdit] = useState<string | null>(null);
  // Null while untouched, so a reloaded window shows the open connection's transport.
  const [transportEdit, setTransportEdit] = useState<ClientTransport | null>(null);
  const [verifyEdit, setVerifyEdit] = useState<boolean | null>(null);
  const transport = transportEdit ?? client.target?.transport ?? 'tcp';
  const tlsVerify = verifyEdit ?? client.target?.tlsVerify ?? true;
  const transportPart = transportFields(transport, tlsVerify, client.target);
  const [lineEnding, setLineEnding] = useState<LineEnding>('crlf');
  const [framingChoice, setFramingChoice] = useState<FramingChoice>('table');
  const framing: FramingField = framingChoice === 'table' ? (commandTable?.framing ?? 'lf') : framingChoice;
  // `lf` is what main does unasked.
  const framingPart = framing === 'lf' ? {} : { framing };
  const [inputMode, setInputMode] = useState<InputMode>('text');
  const [sendError, setSendError] = useState<string | null>(null);
  /** Something to say about a send that went out (such as: not kept in the history). */
  const [notice, setNotice] = useState<string | null>(null);
  const [hex, setHex] = useState(false);
  const [repeatEvery, setRepeatEvery] = useState('1000');
  const [repeatTimes, setRepeatTimes] = useState('10');
  const repeat = useRepeatSend();
  const [connecting, setConnecting] = useState(false);
  // Address errors show once the user touches the address or tries to send, not for a default.
  const [attempted, setAttempted] = useState(false);
  const history = useCommandHistory(savedHistory);

  const target = { host: hostEdit ?? defaultTarget.host, port: portEdit ?? defaultTarget.port };
  const parsed = parseTarget(target);
  const showErrors = attempted || hostEdit !== null || portEdit !== null;
  const errors = parsed.ok || !showErrors ? {} : parsed.errors;

  const parsedTarget = parsed.ok ? { host: parsed.host, port: parsed.port } : null;
  const quick = useMemo(
    () => quickCommands({ table: commandTable, transcript, target: parsedTarget, status: serverStatus }),
    // The target's parts, not the object made afresh each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [commandTable, transcript, parsedTarget?.host, parsedTarget?.port, serverStatus],
  );

  /** The target to use, or null after pointing at the field to fix. */
  const checkedTarget = (): ClientTarget | null => {
    if (parsed.ok) return { host: parsed.host, port: parsed.port };
    setAttempted(true);
    document.getElementById(parsed.errors.host ? IDS.host : IDS.port)?.focus();
    return null;
  };

  /**
   * Sends one line; true when it went out. Only then is it kept in the
   * history and, when typed, cleared from the input: a failed send leaves
   * the command where it was, with one message.
   */
  const sendLine = async (line: string, mode: InputMode, fromInput: boolean): Promise<boolean> => {
    if (line === '') return false;
    const to = checkedTarget();
    if (!to) return false;
    setSendError(null);
    const outcome = await onSend({
      ...to,
      line,
      lineEnding,
      ...framingPart,
      ...transportPart,
      ...(mode === 'text' ? {} : { inputMode: mode }),
    });
    if (!outcome.ok) {
      setSendError(outcome.error);
      setNotice(null);
      return false;
    }
    if (fromInput) history.commit(line);
    else history.remember(line);
    setNotice(outcome.notice ?? null);
    return true;
  };

  const startRepeat = (): void => {
    const line = history.value;
    if (line === '') {
      setSendError('Type the command to repeat first.');
      return;
    }
    const parsedRepeat = parseRepeat(repeatEvery, repeatTimes);
    if (!parsedRepeat.ok) {
      setSendError(parsedRepeat.error);
      return;
    }
    // The command stays in the input while it repeats; each send is remembered like a quick command.
    const mode = inputMode;
    repeat.start(parsedRepeat.plan, () => sendLine(line, mode, false));
  };

  const connect = async (): Promise<void> => {
    const to = checkedTarget();
    if (!to) return;
    setSendError(null);
    setConnecting(true);
    try {
      const outcome = await onConnect({ ...to, ...framingPart, ...transportPart });
      if (!outcome.ok) setSendError(outcome.error);
    } finally {
      setConnecting(false);
    }
  };

  const connectedHere = isConnectedTo(client, parsedTarget, transport, tlsVerify);
  const summary = connectionSummary(client, transport);
  const certificate = client.connected && client.target?.transport === 'tls' ? client.certificate : undefined;

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

  const placeholder = INPUT_MODES.find((m) => m.value === inputMode)?.placeholder;
  const endingApplies = addsLineEnding(inputMode);
  const hostError = errors.host;
  const portError = errors.port;

  return (
    <section className="pane client-pane">
      <header className="pane-header">
        <h2 className="pane-title">Test client</h2>
        <span className={`client-state${summary.live ? ' client-state--connected' : ''}`}>
          <span className="status-dot" aria-hidden="true" />
          {summary.live ? (
            // One flex item, so the gap between dot and text does not split the words.
            <span>
              {summary.text}
              {/* Left out of narrow panes, where the address fields below say it. */}
              <span className="client-state-where">{summary.where}</span>
            </span>
          ) : (
            summary.text
          )}
        </span>
        <div className="pane-actions">
          <button
            type="button"
            className="button button--small"
            disabled={connecting || connectedHere}
            title={
              connectedHere
                ? 'Connected to this address'
                : transport === 'udp'
                  ? 'Open a UDP socket for the address below (no handshake: nothing is checked)'
                  : 'Open a connection to the address below'
            }
            onClick={() => void connect()}
          >
            <PlugIcon />
            Connect
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={!client.connected}
            title={client.target?.transport === 'udp' ? 'Close the UDP socket' : undefined}
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
          <label className="address-label line-ending-label" htmlFor={IDS.ending}>
            Line ending
          </label>
          <select
            id={IDS.ending}
            className="input select"
            value={lineEnding}
            onChange={(e) => setLineEnding(e.target.value as LineEnding)}
            disabled={!endingApplies}
            title={endingApplies ? undefined : 'Hex sends exactly the bytes typed: no line ending is added'}
          >
            {LINE_ENDINGS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          <label className="address-label line-ending-label" htmlFor={IDS.framing}>
            Client framing
          </label>
          <select
            id={IDS.framing}
            className="input select client-framing"
            value={framingChoice}
            onChange={(e) => setFramingChoice(e.target.value as FramingChoice)}
            title="How the client cuts what it receives: as the served table frames requests, or at LF, CRLF, CR or NUL"
          >
            {FRAMINGS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="toggle"
            aria-pressed={hex}
            title={
              hex ? 'Show the conversation as text only' : 'Show each row’s bytes in hex beside its text'
            }
            onClick={() => setHex((h) => !h)}
          >
            Hex
          </button>
        </div>
        <div className="client-transport">
          <label className="address-label" htmlFor={IDS.transport}>
            Client transport
          </label>
          <select
            id={IDS.transport}
            className="input select client-transport-select"
            value={transport}
            onChange={(e) => setTransportEdit(e.target.value as ClientTransport)}
          >
            {CLIENT_TRANSPORTS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          {transport === 'tls' ? (
            <>
              <label className="client-verify">
                <input
                  id={IDS.verify}
                  type="checkbox"
                  checked={tlsVerify}
                  onChange={(e) => setVerifyEdit(e.target.checked)}
                  aria-describedby={`${IDS.verify}-hint`}
                />
                Check certificate
              </label>
              <span className="client-transport-hint" id={`${IDS.verify}-hint`} title={verifyHint(tlsVerify)}>
                {verifyHint(tlsVerify)}
              </span>
            </>
          ) : transport === 'udp' ? (
            <span className="client-transport-hint" title={UDP_HINT}>
              {UDP_HINT}
            </span>
          ) : null}
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
      {certificate ? <ClientCertificateView certificate={certificate} /> : null}
      <QuickCommands quick={quick} onSend={(command) => void sendLine(command, 'text', false)} />
      <Transcript events={transcript} sendError={sendError} hex={hex} />
      <form
        className="command-bar"
        onSubmit={(e) => {
          // The window never navigates (and its CSP forbids form actions): Enter and Send just send.
          e.preventDefault();
          void sendLine(history.value, inputMode, true);
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
          placeholder={placeholder}
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
        <label className="command-mode-label" htmlFor={IDS.mode}>
          Input as
        </label>
        <select
          id={IDS.mode}
          className="input select command-mode"
          value={inputMode}
          onChange={(e) => setInputMode(e.target.value as InputMode)}
          title="How the command is read: as text, as hex bytes (41 42 0D 0A), or as text with C-style escapes (\x41 \r \n \t \\ \0)"
        >
          {INPUT_MODES.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <button type="submit" className="button button--primary button--small">
          <SendIcon />
          Send
        </button>
      </form>
      <div className="repeat-bar">
        <label className="repeat-label" htmlFor={IDS.every}>
          Repeat every
        </label>
        <input
          id={IDS.every}
          className="input repeat-number"
          value={repeatEvery}
          inputMode="numeric"
          onChange={(e) => setRepeatEvery(e.target.value)}
          disabled={repeat.progress.running}
          aria-label="Repeat every (ms)"
        />
        <span className="repeat-unit" aria-hidden="true">
          ms,
        </span>
        <input
          id={IDS.times}
          className="input repeat-number"
          value={repeatTimes}
          inputMode="numeric"
          onChange={(e) => setRepeatTimes(e.target.value)}
          disabled={repeat.progress.running}
          aria-label="Repeat count"
        />
        <span className="repeat-unit" aria-hidden="true">
          times
        </span>
        {repeat.progress.running ? (
          <button type="button" className="button button--small" onClick={repeat.stop}>
            Stop repeat
          </button>
        ) : (
          <button type="button" className="button button--small" onClick={startRepeat}>
            Repeat
          </button>
        )}
        <span className="repeat-progress" role="status" aria-label="Repeat progress">
          {repeat.progress.times > 0
            ? `${formatCount(repeat.progress.sent)} of ${formatCount(repeat.progress.times)} sent${
                repeat.progress.running ? '' : repeat.progress.sent < repeat.progress.times ? ', stopped' : ''
              }`
            : ''}
        </span>
        {notice ? (
          <span className="command-notice" role="status">
            {notice}
          </span>
        ) : null}
      </div>
    </section>
  );
}
