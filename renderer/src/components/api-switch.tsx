/**
 * The control API switch (docs/api.md): Toxiproxy's HTTP API and
 * Switchboard's own routes, on loopback unless another host is chosen, with
 * the address it serves on shown while on.
 */
import { useState, type ReactElement } from 'react';
import type { ApiOutcome, ApiState } from '../../../electron/shared/ipc/listener-tools';
import { parseDecimal } from '../lib/settings-form';
import { TextField } from './field';
import { hostWarning } from './settings-panel';
import './listener-tools.css';

interface ApiSwitchProps {
  api: ApiState | null;
  onSet: (on: boolean, host: string, port: number) => Promise<ApiOutcome | null>;
}

export function ApiSwitch({ api, onSet }: ApiSwitchProps): ReactElement {
  const [host, setHost] = useState<string | null>(null);
  const [port, setPort] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const on = api?.on ?? false;
  const hostText = host ?? api?.host ?? '127.0.0.1';
  const portText = port ?? String(api?.port ?? 8474);
  const portValue = parseDecimal(portText);
  const portError =
    Number.isInteger(portValue) && portValue >= 0 && portValue <= 65535
      ? undefined
      : 'port must be 0 to 65535';

  const toggle = (): void => {
    if (!api || (!on && portError)) return;
    setBusy(true);
    void onSet(!on, hostText.trim(), portValue).finally(() => setBusy(false));
  };

  return (
    <section className="card" aria-labelledby="api-switch-title">
      <header className="card-header">
        <h2 className="card-title" id="api-switch-title">
          Control API
        </h2>
        <button
          type="button"
          role="switch"
          className="switch"
          aria-checked={on}
          aria-label="Control API"
          disabled={api === null || busy || (!on && portError !== undefined)}
          onClick={toggle}
        >
          <span className="switch-knob" aria-hidden="true" />
        </button>
      </header>
      <div className="field-row">
        <TextField
          id="api-host"
          label="API host"
          value={hostText}
          warning={hostWarning(hostText)}
          disabled={on}
          onChange={setHost}
        />
        <TextField
          id="api-port"
          label="API port"
          inputMode="numeric"
          value={portText}
          error={portError}
          disabled={on}
          onChange={setPort}
        />
      </div>
      <p className="card-footnote" role="status" aria-label="Control API address">
        {api?.address ? (
          <>
            Serving Toxiproxy’s API on <code className="api-address">{api.address}</code>
          </>
        ) : (
          'Off. Turn on for Toxiproxy’s clients and scripts (docs/api.md).'
        )}
      </p>
      {api?.error ? (
        <p className="save-error" role="alert">
          {api.error}
        </p>
      ) : null}
    </section>
  );
}
