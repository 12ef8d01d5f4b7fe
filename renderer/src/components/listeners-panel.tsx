/**
 * The Listeners card (docs/window.md, "Listeners"): the window's own
 * listener (`default`, driven by Start and Stop in the top bar and the
 * settings below) and the extra ones, each with its transport, address,
 * mode, state and open connections; a New listener form; Start all, Stop
 * all; the workspace exported and imported as one file.
 */
import { useRef, useState, type ChangeEvent, type ReactElement, type SyntheticEvent } from 'react';
import type { CommandPreset } from '../../../electron/shared/ipc/models';
import type {
  ListenerAddRequest,
  ListenerRow,
  ListenersState,
} from '../../../electron/shared/ipc/window-listeners';
import type { CommandTable } from '../../../electron/shared/protocol/command-table';
import type { Toxic } from '../../../electron/shared/protocol/toxics';
import {
  DEFAULT_SETTINGS,
  serverSettingsSchema,
  type ServerSettings,
} from '../../../electron/shared/protocol/settings';
import { parseDecimal } from '../lib/settings-form';
import type { ListenerActionResult } from '../hooks/use-window-listeners';
import { downloadText } from '../lib/download';
import { formatHostPort, messageOf, plural } from '../lib/format';
import { readTableFile } from './commands/table-file';
import { SelectField, TextField } from './field';
import './listeners-panel.css';

/** The window's own listener, as the top bar and the settings drive it. */
export interface MainListener {
  state: ListenerRow['state'];
  host: string;
  port: number;
  /** Forward mode: the target. */
  forward?: string;
  connections: number;
  canStart: boolean;
  canStop: boolean;
  onStart: () => void;
  onStop: () => void;
}

export interface ListenersActions {
  add: (req: ListenerAddRequest) => Promise<ListenerActionResult>;
  remove: (name: string) => Promise<ListenerActionResult>;
  start: (name: string) => Promise<ListenerActionResult>;
  stop: (name: string) => Promise<ListenerActionResult>;
  startAll: () => Promise<ListenerActionResult>;
  stopAll: () => Promise<ListenerActionResult>;
  exportWorkspace: () => Promise<{ text: string; fileName: string } | null>;
  importWorkspace: (text: string) => Promise<ListenerActionResult>;
}

interface ListenersPanelProps {
  main: MainListener;
  state: ListenersState | null;
  /** The applied table and the presets, for a new mock listener's table. */
  applied: CommandTable | null;
  presets: readonly CommandPreset[];
  actions: ListenersActions;
  /** The window listener's faults, which a new TCP or TLS listener can take too. */
  faults?: readonly Toxic[];
  /** An imported workspace set the window's own listener (`default`): the settings form takes these. */
  onOwnSettings?: (settings: ServerSettings) => void;
}

type Report = { tone: 'error' | 'ok'; text: string; lines?: string[] } | null;

const STATE_LABEL: Record<ListenerRow['state'], string> = {
  stopped: 'Stopped',
  starting: 'Starting…',
  running: 'Running',
  stopping: 'Stopping…',
  failed: 'Failed',
};

export function ListenersPanel({
  main,
  state,
  applied,
  presets,
  actions,
  faults = [],
  onOwnSettings,
}: ListenersPanelProps): ReactElement {
  const [report, setReport] = useState<Report>(null);
  const [adding, setAdding] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const rows = state?.listeners ?? [];

  const act = async (what: Promise<ListenerActionResult>, done?: string): Promise<boolean> => {
    const result = await what;
    if (result.ok) setReport(done ? { tone: 'ok', text: done } : null);
    else
      setReport({
        tone: 'error',
        text: result.error,
        ...(result.problems ? { lines: result.problems } : {}),
      });
    return result.ok;
  };

  const startAll = (): void => {
    if (main.canStart) main.onStart();
    void act(actions.startAll());
  };
  const stopAll = (): void => {
    if (main.canStop) main.onStop();
    void act(actions.stopAll());
  };

  const exportFile = async (): Promise<void> => {
    const file = await actions.exportWorkspace();
    if (!file) setReport({ tone: 'error', text: 'The workspace could not be exported.' });
    else downloadText(file.fileName, file.text, 'application/json');
  };

  const importFile = async (e: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      setReport({ tone: 'error', text: `Could not read ${file.name}: ${messageOf(error)}` });
      return;
    }
    const result = await actions.importWorkspace(text);
    if (result.ok) {
      if (result.settings) onOwnSettings?.(result.settings);
      setReport({
        tone: 'ok',
        text: `Imported ${file.name}.`,
        ...(result.note ? { lines: [result.note] } : {}),
      });
    } else
      setReport({
        tone: 'error',
        text: `Not imported: ${file.name} has problems.`,
        lines: result.problems ?? [result.error],
      });
  };

  const anyRunning = main.state === 'running' || rows.some((r) => r.state === 'running');
  const anyStopped = main.canStart || rows.some((r) => r.state === 'stopped' || r.state === 'failed');

  return (
    <section className="card listeners" aria-labelledby="listeners-title">
      <header className="card-header">
        <h2 className="card-title" id="listeners-title">
          Listeners
        </h2>
      </header>
      <div className="listeners-actions">
        <button type="button" className="button button--small" disabled={!anyStopped} onClick={startAll}>
          Start all
        </button>
        <button type="button" className="button button--small" disabled={!anyRunning} onClick={stopAll}>
          Stop all
        </button>
      </div>
      <ul className="listeners-list" aria-label="Listeners">
        <li className="listener" aria-label="Listener default">
          <div className="listener-head">
            <span className="listener-name">default</span>
            <span className="listener-transport">tcp</span>
            <span className={`listener-state listener-state--${main.state}`} role="status">
              {STATE_LABEL[main.state]}
            </span>
          </div>
          <p className="listener-facts">
            {formatHostPort(main.host, main.port)} ·{' '}
            {main.forward ? `→ ${main.forward}` : 'mock, applied table'} ·{' '}
            {plural(main.connections, 'connection')}
          </p>
          <p className="listener-note">Start, Stop and the settings below drive it.</p>
        </li>
        {rows.map((row) => (
          <ListenerItem
            key={row.name}
            row={row}
            onStart={() => void act(actions.start(row.name))}
            onStop={() => void act(actions.stop(row.name))}
            onRemove={() => void act(actions.remove(row.name), `Removed ${row.name}.`)}
          />
        ))}
      </ul>
      {report ? (
        <div
          className={`listeners-report listeners-report--${report.tone}`}
          role={report.tone === 'error' ? 'alert' : 'status'}
        >
          <p>{report.text}</p>
          {report.lines ? (
            <ul>
              {report.lines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {adding ? (
        <NewListenerForm
          taken={['default', ...rows.map((r) => r.name)]}
          applied={applied}
          presets={presets}
          faults={faults}
          onCancel={() => setAdding(false)}
          onAdd={async (req) => {
            const ok = await act(actions.add(req), `Added ${req.name}.`);
            if (ok) setAdding(false);
          }}
          onReport={setReport}
        />
      ) : (
        <div className="listeners-actions">
          <button
            type="button"
            className="button button--small button--primary"
            onClick={() => setAdding(true)}
          >
            New listener
          </button>
        </div>
      )}
      <div className="listeners-file">
        <span className="listeners-file-label">Workspace file</span>
        <button
          type="button"
          className="button button--small button--quiet"
          disabled={rows.length === 0}
          aria-label="Export workspace"
          title="Download the extra listeners as a workspace file"
          onClick={() => void exportFile()}
        >
          Export
        </button>
        <button
          type="button"
          className="button button--small button--quiet"
          aria-label="Import workspace"
          title="Replace the extra listeners with a workspace file's"
          onClick={() => fileInput.current?.click()}
        >
          Import
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          aria-label="Workspace file to import"
          hidden
          onChange={(e) => void importFile(e)}
        />
      </div>
    </section>
  );
}

function ListenerItem({
  row,
  onStart,
  onStop,
  onRemove,
}: {
  row: ListenerRow;
  onStart: () => void;
  onStop: () => void;
  onRemove: () => void;
}): ReactElement {
  const [copied, setCopied] = useState<string | null>(null);
  const busy = row.state === 'starting' || row.state === 'stopping';
  const copy = async (text: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('Copied');
    } catch (error) {
      setCopied(`Not copied: ${messageOf(error)}`);
    }
  };
  return (
    <li className="listener" aria-label={`Listener ${row.name}`}>
      <div className="listener-head">
        <span className="listener-name" title={row.name}>
          {row.name}
        </span>
        <span className="listener-transport">{row.transport}</span>
        <span className={`listener-state listener-state--${row.state}`} role="status">
          {STATE_LABEL[row.state]}
        </span>
      </div>
      <p className="listener-facts">
        {formatHostPort(row.host, row.port)} ·{' '}
        {row.kind === 'forward' ? forwardText(row) : `mock, ${row.tableLabel}`} ·{' '}
        {plural(row.connections, row.transport === 'udp' ? 'remote' : 'connection')}
        {row.toxics > 0 ? ` · ${plural(row.toxics, 'fault')}` : ''}
      </p>
      {row.fingerprint ? (
        <div className="listener-fingerprint">
          <span className="listener-fingerprint-label">SHA-256</span>
          <code title={row.fingerprint}>{row.fingerprint}</code>
          <button
            type="button"
            className="button button--small button--quiet"
            aria-label={`Copy the certificate fingerprint of ${row.name}`}
            onClick={() => void copy(row.fingerprint ?? '')}
          >
            Copy
          </button>
          {copied ? (
            <span className="listener-copied" role="status">
              {copied}
            </span>
          ) : null}
        </div>
      ) : null}
      {row.error ? (
        <p className="field-error" role="alert">
          {row.error}
        </p>
      ) : null}
      {row.warnings?.map((w) => (
        <p key={w} className="listener-note">
          {w}
        </p>
      ))}
      <div className="listener-buttons">
        {row.state === 'running' || row.state === 'stopping' ? (
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            aria-label={`Stop ${row.name}`}
            onClick={onStop}
          >
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            aria-label={`Start ${row.name}`}
            onClick={onStart}
          >
            Start
          </button>
        )}
        <button
          type="button"
          className="button button--small button--quiet"
          aria-label={`Remove ${row.name}`}
          onClick={onRemove}
        >
          Remove
        </button>
      </div>
    </li>
  );
}

/** The first `listener-N` not taken. */
function freshName(taken: readonly string[]): string {
  for (let n = 2; ; n++) if (!taken.includes(`listener-${n}`)) return `listener-${n}`;
}

function NewListenerForm({
  taken,
  applied,
  presets,
  faults,
  onAdd,
  onCancel,
  onReport,
}: {
  taken: readonly string[];
  applied: CommandTable | null;
  presets: readonly CommandPreset[];
  faults: readonly Toxic[];
  onAdd: (req: ListenerAddRequest) => Promise<void>;
  onCancel: () => void;
  onReport: (report: Report) => void;
}): ReactElement {
  const [name, setName] = useState(() => freshName(taken));
  const [transport, setTransport] = useState('tcp');
  const [host, setHost] = useState('127.0.0.1');
  const [port, setPort] = useState('');
  const [mode, setMode] = useState('applied');
  const [forward, setForward] = useState('');
  const [file, setFile] = useState<{ name: string; table: CommandTable } | null>(null);
  const [withFaults, setWithFaults] = useState(false);
  const takesFaults = transport !== 'udp' && faults.length > 0;
  const [limits, setLimits] = useState<Record<LimitField, string>>({
    maxConnections: '',
    idleTimeoutSec: '',
    lineTimeoutSec: '',
  });
  const [overTls, setOverTls] = useState(false);
  const [checkCert, setCheckCert] = useState(true);
  const [servername, setServername] = useState('');
  const forwardsOverTls = mode === 'forward' && transport !== 'udp' && overTls;
  const limitErrors = limitIssues(limits);
  const fileInput = useRef<HTMLInputElement>(null);

  const portError =
    port.trim() === '' || /^\d{1,5}$/.test(port.trim()) ? undefined : 'a port number (0–65535)';
  const nameError = taken.includes(name.trim()) ? `${name.trim()} is taken` : undefined;

  const pickFile = async (e: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const input = e.currentTarget;
    const picked = input.files?.[0];
    input.value = '';
    if (!picked) return;
    const result = readTableFile(await picked.text());
    if (!result.ok || result.issues.length > 0) {
      onReport({
        tone: 'error',
        text: `${picked.name} is not a table the listener can serve.`,
        lines: result.ok ? result.issues.map((i) => i.message) : result.messages,
      });
      return;
    }
    onReport(null);
    setFile({ name: picked.name, table: result.table });
  };

  const tableOf = (): { table: CommandTable; label: string } | null => {
    if (mode === 'applied') return applied ? { table: applied, label: 'applied table' } : null;
    if (mode === 'file') return file ? { table: file.table, label: file.name } : null;
    const preset = presets.find((p) => `preset:${p.name}` === mode);
    return preset ? { table: preset.table, label: preset.name } : null;
  };

  const onSubmit = (event: SyntheticEvent): void => {
    event.preventDefault();
    if (portError || nameError || Object.keys(limitErrors).length > 0) return;
    const base = {
      name: name.trim(),
      transport,
      host: host.trim(),
      ...(port.trim() === '' ? {} : { port: Number(port.trim()) }),
      ...(takesFaults && withFaults ? { toxics: [...faults] } : {}),
      ...limitValues(limits),
    };
    if (mode === 'forward') {
      const tls = forwardsOverTls ? { forwardTls: forwardTlsOf(checkCert, servername.trim()) } : {};
      void onAdd({ ...base, forward: forward.trim(), ...tls });
      return;
    }
    const table = tableOf();
    if (!table) {
      onReport({ tone: 'error', text: mode === 'file' ? 'Pick a table file first.' : 'No table to serve.' });
      return;
    }
    void onAdd({ ...base, commands: table.table, tableLabel: table.label });
  };

  return (
    <form className="listener-form" aria-label="New listener" onSubmit={onSubmit}>
      <TextField id="listener-new-name" label="Name" value={name} error={nameError} onChange={setName} />
      <SelectField
        id="listener-new-transport"
        label="Transport"
        value={transport}
        options={[
          { value: 'tcp', label: 'TCP' },
          { value: 'tls', label: 'TLS (self-signed certificate)' },
          { value: 'udp', label: 'UDP' },
        ]}
        onChange={setTransport}
      />
      <div className="listener-form-address">
        <TextField id="listener-new-host" label="Host" value={host} onChange={setHost} />
        <TextField
          id="listener-new-port"
          label="Port"
          inputMode="numeric"
          placeholder="next free"
          value={port}
          error={portError}
          onChange={setPort}
        />
      </div>
      <SelectField
        id="listener-new-mode"
        label="Answers with"
        value={mode}
        options={[
          { value: 'applied', label: 'the applied table' },
          ...presets.map((p) => ({ value: `preset:${p.name}`, label: `preset ${p.name}` })),
          { value: 'file', label: 'a table file…' },
          { value: 'forward', label: 'forward to HOST:PORT' },
        ]}
        onChange={(v) => {
          setMode(v);
          if (v === 'file' && !file) fileInput.current?.click();
        }}
      />
      {mode === 'forward' ? (
        <TextField
          id="listener-new-forward"
          label="Forward to"
          placeholder="HOST:PORT"
          value={forward}
          onChange={setForward}
        />
      ) : null}
      {mode === 'forward' && transport !== 'udp' ? (
        <label className="listener-form-check">
          <input type="checkbox" checked={overTls} onChange={(e) => setOverTls(e.target.checked)} />
          Forward over TLS
        </label>
      ) : null}
      {forwardsOverTls ? (
        <label className="listener-form-check">
          <input type="checkbox" checked={checkCert} onChange={(e) => setCheckCert(e.target.checked)} />
          Check certificate
        </label>
      ) : null}
      {forwardsOverTls ? (
        <TextField
          id="listener-new-servername"
          label="TLS server name"
          placeholder="the target's host"
          value={servername}
          onChange={setServername}
        />
      ) : null}
      {mode === 'file' ? (
        <div className="listener-form-file">
          <span>{file ? file.name : 'No file picked.'}</span>
          <button
            type="button"
            className="button button--small button--quiet"
            onClick={() => fileInput.current?.click()}
          >
            Pick…
          </button>
        </div>
      ) : null}
      {takesFaults ? (
        <label className="listener-form-check">
          <input type="checkbox" checked={withFaults} onChange={(e) => setWithFaults(e.target.checked)} />
          With the faults of default ({faults.map((f) => f.name).join(', ')})
        </label>
      ) : null}
      <fieldset className="listener-form-limits">
        <legend>Limits</legend>
        {LIMITS.map(({ field, label }) => (
          <TextField
            key={field}
            id={`listener-new-${field}`}
            label={label}
            inputMode="decimal"
            placeholder={String(DEFAULT_SETTINGS[field])}
            value={limits[field]}
            error={limitErrors[field]}
            onChange={(value) => setLimits((l) => ({ ...l, [field]: value }))}
          />
        ))}
      </fieldset>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        aria-label="Table file for the new listener"
        hidden
        onChange={(e) => void pickFile(e)}
      />
      <div className="listeners-actions">
        <button
          type="submit"
          className="button button--small button--primary"
          disabled={!!portError || !!nameError || Object.keys(limitErrors).length > 0}
        >
          Add listener
        </button>
        <button type="button" className="button button--small button--quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

type LimitField = 'maxConnections' | 'idleTimeoutSec' | 'lineTimeoutSec';

/** The limits a new listener can have its own of (left empty: the defaults), as the settings name them. */
const LIMITS: readonly { field: LimitField; label: string }[] = [
  { field: 'maxConnections', label: 'Max connections' },
  { field: 'idleTimeoutSec', label: 'Idle timeout (s)' },
  { field: 'lineTimeoutSec', label: 'Line timeout (s)' },
];

/** What the settings schema says of each typed limit (main checks them again). */
function limitIssues(limits: Record<LimitField, string>): Partial<Record<LimitField, string>> {
  const errors: Partial<Record<LimitField, string>> = {};
  for (const { field } of LIMITS) {
    if (limits[field].trim() === '') continue;
    const parsed = serverSettingsSchema.shape[field].safeParse(parseDecimal(limits[field]));
    if (!parsed.success) errors[field] = parsed.error.issues[0]?.message ?? 'not a valid value';
  }
  return errors;
}

function limitValues(limits: Record<LimitField, string>): Partial<Record<LimitField, number>> {
  const values: Partial<Record<LimitField, number>> = {};
  for (const { field } of LIMITS)
    if (limits[field].trim() !== '') values[field] = parseDecimal(limits[field]);
  return values;
}

/** A forwarder's target, and how it is reached when over TLS. */
function forwardText(row: ListenerRow): string {
  const target = `→ ${row.forward ?? ''}`;
  if (row.forwardTls === 'checked') return `${target} over TLS`;
  if (row.forwardTls === 'unchecked') return `${target} over TLS (certificate not checked)`;
  return target;
}

/** `forwardTls` as the workspace file takes it (docs/listeners.md): `true`, or what differs from it. */
function forwardTlsOf(
  checkCert: boolean,
  servername: string,
): true | { verify?: false; servername?: string } {
  if (checkCert && servername === '') return true;
  return { ...(checkCert ? {} : { verify: false as const }), ...(servername ? { servername } : {}) };
}
