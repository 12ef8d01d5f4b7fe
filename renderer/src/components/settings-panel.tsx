/**
 * The server's settings: where it listens, its session mode and its limits.
 * Locked while the server runs, because they apply at Start.
 */
import type { ReactElement } from 'react';
import { SESSION_MODES } from '../../../electron/shared/protocol/settings';
import type { FieldErrors, SettingsDraft, SettingsField } from '../lib/settings-form';
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
};

const MODE_OPTIONS = SESSION_MODES.map((mode) => ({ value: mode, label: mode }));

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
}

export function SettingsPanel({
  draft,
  errors,
  locked,
  saveError,
  onChange,
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
      </section>
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
          hint="Time to finish a line once begun; 0 means none."
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
          hint="Connections one address may hold; 0 means only max connections applies."
          disabled={locked}
          onChange={(v) => onChange('maxPerRemote', v)}
        />
      </section>
      {saveError ? (
        <p className="save-error" role="alert">
          Settings not saved: {saveError}
        </p>
      ) : null}
    </>
  );
}
