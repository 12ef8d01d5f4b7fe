/**
 * The server's settings: where it listens, its session mode and its limits.
 * Locked while the server runs, because they apply at Start.
 */
import type { ReactElement, ReactNode } from 'react';
import type { LogRetention } from '../../../electron/shared/ipc/models';
import { formatBytes, formatCount, plural } from '../lib/format';
import { isLoopbackHost, LISTENER_KINDS, SESSION_MODES } from '../../../electron/shared/protocol/settings';
import type { RetentionDraftApi } from '../hooks/use-settings-draft';
import { formatMb, type FieldErrors, type SettingsDraft, type SettingsField } from '../lib/settings-form';
import { SelectField, TextField } from './field';

/** The id of each field's control, so Start can focus the first bad one. */
export const FIELD_IDS: Record<SettingsField, string> = {
  host: 'settings-host',
  port: 'settings-port',
  mode: 'settings-mode',
  maxConnections: 'settings-max-connections',
  idleTimeoutSec: 'settings-idle-timeout',
  maxLineBytes: 'settings-max-line',
  lineTimeoutSec: 'settings-line-timeout',
  maxPerRemote: 'settings-max-per-remote',
  kind: 'settings-kind',
  forward: 'settings-forward',
};

const MODE_OPTIONS = SESSION_MODES.map((mode) => ({ value: mode, label: mode }));

const KIND_OPTIONS = LISTENER_KINDS.map((kind) => ({ value: kind, label: kind }));

const KIND_HINTS: Record<string, string> = {
  mock: 'The command table answers every connection.',
  forward: 'Relays every connection to an upstream; the table’s framing cuts the log’s rows.',
};

const MODE_HINTS: Record<string, string> = {
  session: 'Each connection takes any number of commands.',
  'one-shot': 'Answers the first command, then hangs up.',
};

interface SettingsPanelProps {
  draft: SettingsDraft;
  errors: FieldErrors;
  locked: boolean;
  saveError: string | null;
  onChange: (field: SettingsField, value: string) => void;
  /** The durable log's retention, once main has said it. */
  retention?: LogRetention | null;
  /** Cards that belong with the Server card (forwarding, faults), shown right after it. */
  afterServer?: ReactNode;
}

export function SettingsPanel({
  draft,
  errors,
  locked,
  saveError,
  onChange,
  retention = null,
  afterServer = null,
}: SettingsPanelProps): ReactElement {
  return (
    <>
      <section className="card">
        <header className="card-header">
          <h2 className="card-title">Server</h2>
          {locked ? <span className="card-badge">Locked while running</span> : null}
        </header>
        <div className="field-row">
          <TextField
            id={FIELD_IDS.host}
            label="Host"
            value={draft.host}
            error={errors.host}
            warning={hostWarning(draft.host)}
            disabled={locked}
            onChange={(v) => onChange('host', v)}
          />
          <TextField
            id={FIELD_IDS.port}
            label="Port"
            inputMode="numeric"
            value={draft.port}
            error={errors.port}
            disabled={locked}
            onChange={(v) => onChange('port', v)}
          />
        </div>
        <SelectField
          id={FIELD_IDS.mode}
          label="Mode"
          value={draft.mode}
          options={MODE_OPTIONS}
          error={errors.mode}
          hint={MODE_HINTS[draft.mode]}
          disabled={locked}
          onChange={(v) => onChange('mode', v)}
        />
        <SelectField
          id={FIELD_IDS.kind}
          label="Listener"
          value={draft.kind}
          options={KIND_OPTIONS}
          error={errors.kind}
          hint={KIND_HINTS[draft.kind]}
          disabled={locked}
          onChange={(v) => onChange('kind', v)}
        />
        {draft.kind === 'forward' ? (
          <TextField
            id={FIELD_IDS.forward}
            label="Forward to"
            value={draft.forward}
            error={errors.forward}
            placeholder="127.0.0.1:6379"
            hint="The upstream, HOST:PORT."
            disabled={locked}
            onChange={(v) => onChange('forward', v)}
          />
        ) : null}
      </section>
      {afterServer}
      <section className="card">
        <header className="card-header">
          <h2 className="card-title">Limits</h2>
        </header>
        <TextField
          id={FIELD_IDS.maxConnections}
          label="Max connections"
          layout="inline"
          inputMode="numeric"
          value={draft.maxConnections}
          error={errors.maxConnections}
          disabled={locked}
          onChange={(v) => onChange('maxConnections', v)}
        />
        <TextField
          id={FIELD_IDS.idleTimeoutSec}
          label="Idle timeout (s)"
          layout="inline"
          inputMode="decimal"
          value={draft.idleTimeoutSec}
          error={errors.idleTimeoutSec}
          hint="0 means none."
          disabled={locked}
          onChange={(v) => onChange('idleTimeoutSec', v)}
        />
        <TextField
          id={FIELD_IDS.maxLineBytes}
          label="Max line (bytes)"
          layout="inline"
          inputMode="numeric"
          value={draft.maxLineBytes}
          error={errors.maxLineBytes}
          disabled={locked}
          onChange={(v) => onChange('maxLineBytes', v)}
        />
        <TextField
          id={FIELD_IDS.lineTimeoutSec}
          label="Line timeout (s)"
          layout="inline"
          inputMode="decimal"
          value={draft.lineTimeoutSec}
          error={errors.lineTimeoutSec}
          hint="To finish a line once begun; 0 means none."
          disabled={locked}
          onChange={(v) => onChange('lineTimeoutSec', v)}
        />
        <TextField
          id={FIELD_IDS.maxPerRemote}
          label="Max per address"
          layout="inline"
          inputMode="numeric"
          value={draft.maxPerRemote}
          error={errors.maxPerRemote}
          hint="Per remote address; 0 means no limit but max connections."
          disabled={locked}
          onChange={(v) => onChange('maxPerRemote', v)}
        />
      </section>
      {retention ? (
        <section className="card" aria-labelledby="log-retention-title">
          <header className="card-header">
            <h2 className="card-title" id="log-retention-title">
              Log file
            </h2>
          </header>
          <p className="card-footnote">{retentionText(retention)}</p>
        </section>
      ) : null}
      {saveError ? (
        <p className="save-error" role="alert">
          Settings not saved: {saveError}
        </p>
      ) : null}
    </>
  );
}

/** Said as soon as the address is typed, before Start: beyond loopback, anyone on the network can connect. */
export function hostWarning(host: string): string | undefined {
  const h = host.trim();
  if (h === '' || isLoopbackHost(h)) return undefined;
  const every = h === '0.0.0.0' || h === '::' || h === '[::]';
  return every
    ? 'Every network interface: other machines on your network can connect.'
    : `Not loopback: machines that can reach ${h} can connect.`;
}

/** `Rotates at 25 MB and keeps 5 older files; this run: 1,204 rows in them, 0 rotated away.` */
export function retentionText(r: LogRetention): string {
  const rotation = Number.isFinite(r.maxBytes)
    ? `Rotates at ${formatBytes(r.maxBytes)} and keeps ${plural(r.keep, 'older file')}`
    : 'Never rotated';
  return `${rotation}. This run: ${plural(r.rowsInFiles, 'row')} in the files, ${formatCount(r.rowsRotatedAway)} rotated away.`;
}

/**
 * The durable log's retention. Not locked while running: the running log
 * keeps the retention it started with, and a saved change applies from the
 * next start, which the section says.
 */
export function LogRetentionSection({ form }: { form: RetentionDraftApi }): ReactElement {
  const { state, draft, saveError } = form;
  const errors = form.result.ok ? {} : form.result.errors;
  const inUse = state?.inUse;
  const pendingRestart =
    state !== null &&
    (state.chosen.maxBytes !== state.inUse.maxBytes || state.chosen.keep !== state.inUse.keep);
  return (
    <section className="card" aria-label="Log">
      <header className="card-header">
        <h2 className="card-title">Log</h2>
      </header>
      <TextField
        id="settings-log-size"
        label="Log file size (MB)"
        layout="inline"
        inputMode="decimal"
        value={draft.sizeMb}
        error={state ? errors.sizeMb : undefined}
        hint={state ? `Rotated past this size; default ${formatMb(state.defaults.maxBytes)}.` : undefined}
        disabled={state === null}
        onChange={(v) => form.setField('sizeMb', v)}
      />
      <TextField
        id="settings-log-keep"
        label="Log files kept"
        layout="inline"
        inputMode="numeric"
        value={draft.keep}
        error={state ? errors.keep : undefined}
        hint={
          state
            ? `Old files beside the current one; default ${state.defaults.keep}, 0 keeps none.`
            : undefined
        }
        disabled={state === null}
        onChange={(v) => form.setField('keep', v)}
      />
      {pendingRestart && inUse ? (
        <p className="card-footnote" role="status">
          Applies from the next start; this run keeps {formatMb(inUse.maxBytes)} MB × {inUse.keep}.
        </p>
      ) : null}
      {saveError ? (
        <p className="save-error" role="alert">
          Log retention not saved: {saveError}
        </p>
      ) : null}
    </section>
  );
}
