/**
 * The loaded window: top bar, notices, the settings sidebar, the connection
 * log and the test client. It owns the settings form, because both the
 * sidebar (editing) and the top bar (Start) need it.
 */
import { useState, type ReactElement } from 'react';
import type { SettingsState } from '../../../electron/shared/models';
import type { Switchboard } from '../hooks/use-switchboard';
import { useSettingsDraft } from '../hooks/use-settings-draft';
import { defaultTarget } from '../lib/client-target';
import { SETTINGS_FIELDS } from '../lib/settings-form';
import { ClientPane } from './client-pane';
import { ConnectionLog } from './connection-log';
import { Notice } from './notice';
import { FIELD_IDS, SettingsPanel } from './settings-panel';
import { TerminalHint } from './terminal-hint';
import { TopBar } from './top-bar';

interface WorkspaceProps {
  sb: Switchboard;
  /** The settings as loaded; the form starts from them and then owns its values. */
  initial: SettingsState;
}

export function Workspace({ sb, initial }: WorkspaceProps): ReactElement {
  const form = useSettingsDraft(initial.settings, sb.saveSettings);
  const [problemDismissed, setProblemDismissed] = useState(false);
  const { status } = sb;
  const locked = sb.pending !== null || (status.state !== 'stopped' && status.state !== 'failed');
  const errors = form.result.ok ? {} : form.result.errors;

  const onStart = (): void => {
    const { result } = form;
    if (!result.ok) {
      // Nothing invalid goes to main: point at the first field to fix instead.
      const bad = SETTINGS_FIELDS.find((f) => result.errors[f] !== undefined);
      if (bad) document.getElementById(FIELD_IDS[bad])?.focus();
      return;
    }
    void sb.start(result.settings);
  };

  return (
    <div className="app">
      <TopBar status={status} pending={sb.pending} onStart={onStart} onStop={() => void sb.stop()} />
      <div className="notices">
        {initial.problem && !problemDismissed ? (
          <Notice
            tone="warning"
            title="Settings reset."
            role="alert"
            dismissLabel="Dismiss"
            onDismiss={() => setProblemDismissed(true)}
          >
            {initial.problem}
          </Notice>
        ) : null}
        {status.warning && status.state === 'running' ? (
          <Notice tone="info" title="Open to the network:">
            {status.warning}
          </Notice>
        ) : null}
        {sb.bridgeError ? (
          <Notice
            tone="danger"
            title="Something went wrong."
            role="alert"
            dismissLabel="Dismiss error"
            onDismiss={sb.dismissBridgeError}
          >
            {sb.bridgeError}
          </Notice>
        ) : null}
      </div>
      <main className="workspace">
        <aside className="sidebar" aria-label="Server settings">
          <SettingsPanel
            draft={form.draft}
            errors={errors}
            locked={locked}
            saveError={form.saveError}
            onChange={form.setField}
          />
          <TerminalHint status={status} />
        </aside>
        <div className="panes">
          <ConnectionLog entries={sb.log} stats={sb.stats} running={status.state === 'running'} />
          <ClientPane
            defaultTarget={defaultTarget(status, form.lastValid.host, String(form.lastValid.port))}
            client={sb.client}
            transcript={sb.transcript}
            onSend={sb.send}
            onDisconnect={() => void sb.disconnect()}
            onClear={() => void sb.clearTranscript()}
          />
        </div>
      </main>
    </div>
  );
}
