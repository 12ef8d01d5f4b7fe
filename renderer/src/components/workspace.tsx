/**
 * The loaded window: top bar, notices, the settings sidebar, the connection
 * log and the test client. It owns the settings form, because both the
 * sidebar (editing) and the top bar (Start) need it.
 */
import { useCallback, useState, type ReactElement } from 'react';
import type { RecordingReady } from '../../../electron/shared/ipc/listener-tools';
import { useListenerTools } from '../hooks/use-listener-tools';
import { tableWithConversation } from '../lib/conversation-rules';
import { plural } from '../lib/format';
import { ApiSwitch } from './api-switch';
import type { ConversationActions } from './conversation-panel';
import { FaultsPanel } from './faults-panel';
import { RecordCard } from './record-card';
import type { Bridge } from '../../../electron/shared/ipc/ipc-contract';
import type { SettingsState } from '../../../electron/shared/ipc/models';
import { useCommands } from '../hooks/use-commands';
import type { Switchboard } from '../hooks/use-switchboard';
import { useLogRetentionDraft, useSettingsDraft } from '../hooks/use-settings-draft';
import { useAppShortcuts } from '../hooks/use-app-shortcuts';
import { defaultTarget } from '../lib/client-target';
import { serverActions } from '../lib/server-actions';
import { draftFromSettings, SETTINGS_FIELDS } from '../lib/settings-form';
import { ClientPane, COMMAND_INPUT_ID } from './client-pane';
import { CommandsView } from './commands/commands-view';
import { ViewSwitch, type View } from './commands/view-switch';
import { ConnectionLog } from './connection-log';
import { LiveStats } from './live-stats';
import { Notice } from './notice';
import { FIELD_IDS, LogRetentionSection, SettingsPanel } from './settings-panel';
import { TerminalHint } from './terminal-hint';
import { TopBar } from './top-bar';
import { useWindowListeners } from '../hooks/use-window-listeners';
import { ListenersPanel } from './listeners-panel';

interface WorkspaceProps {
  sb: Switchboard;
  /** The settings as loaded; the form starts from them and then owns its values. */
  initial: SettingsState;
  /** For the command table editor, which talks to main on its own. */
  bridge: Bridge;
}

export function Workspace({ sb, initial, bridge }: WorkspaceProps): ReactElement {
  const form = useSettingsDraft(initial.settings, sb.saveSettings);
  const retention = useLogRetentionDraft(bridge);
  // The table draft lives here, not in the Commands view, so switching views keeps it.
  const commands = useCommands(bridge, sb.commands);
  const [view, setView] = useState<View>('server');
  const [problemDismissed, setProblemDismissed] = useState(false);
  // A recording opens in the editor like any table: in the draft, for the user to look at and Apply.
  const { load } = commands;
  /** What was just put in the editor (a recording, a conversation's rules), until dismissed. */
  const [loaded, setLoaded] = useState<string | null>(null);
  const onRecording = useCallback(
    (recording: RecordingReady) => {
      const note = recording.note ? ` (${recording.note})` : '';
      const label = `Recorded from ${recording.upstream}: ${plural(recording.rules, 'rule')} from ${plural(recording.requests, 'request')}${note}.`;
      load(recording.table, label);
      setLoaded(`${label} It is in the Commands editor: Apply to serve it.`);
      setView('commands');
    },
    [load],
  );
  const tools = useListenerTools(bridge, onRecording, sb.disconnected);
  // The extra listeners beside the window's own (docs/window.md, "Listeners").
  const extra = useWindowListeners(bridge, sb.disconnected);
  // Once the link to main is gone, the window cannot know the server's state: it says so instead.
  const status = sb.disconnected
    ? { ...sb.status, state: 'stopped' as const, text: 'Disconnected from Switchboard', warning: undefined }
    : sb.status;
  const locked = sb.pending !== null || (status.state !== 'stopped' && status.state !== 'failed');
  const errors = form.result.ok ? {} : form.result.errors;
  const running = status.state === 'running';
  // What the listener is: what runs, else what Start will start.
  const kind = running ? (status.forward === undefined ? 'mock' : 'forward') : form.lastValid.kind;
  const connectionActions: ConversationActions = {
    unavailable: !running
      ? 'Start the server to send to its connections.'
      : kind === 'forward'
        ? 'A forwarding listener relays what its two sides send: send and close in mock mode.'
        : null,
    onSend: tools.send,
    onCloseConnection: tools.closeConnection,
    onMakeRules: (conversation) => {
      const base = commands.check.ok ? commands.check.table : commands.server.table;
      const label = `Rules from conversation #${conversation.conn} added at the top of the table.`;
      load(tableWithConversation(base, conversation.rows), label);
      setLoaded(`${label} Apply to serve them.`);
      setView('commands');
    },
  };

  const onStart = (): void => {
    const { result } = form;
    if (!result.ok) {
      // Nothing invalid goes to main: point at the first field to fix instead.
      const bad = SETTINGS_FIELDS.find((f) => result.errors[f] !== undefined);
      if (bad) document.getElementById(FIELD_IDS[bad])?.focus();
      // The last start's error is about other settings: the field's own message says what is wrong now.
      sb.dismissFailure();
      return;
    }
    void sb.start(result.settings);
  };

  // The app menu and the keyboard act as the buttons would: only when the button could be pressed.
  const can = sb.disconnected ? { start: false, stop: false } : serverActions(status.state, sb.pending);
  useAppShortcuts(
    {
      start: () => can.start && onStart(),
      stop: () => can.stop && void sb.stop(),
      'focus-command': () => {
        setView('server');
        // The workspace may be hidden behind another view until this render lands.
        requestAnimationFrame(() => document.getElementById(COMMAND_INPUT_ID)?.focus());
      },
    },
    sb.onAppAction,
  );

  return (
    <div className="app">
      <TopBar
        status={status}
        pending={sb.disconnected ? 'disconnected' : sb.pending}
        onStart={onStart}
        onStop={() => void sb.stop()}
        nav={<ViewSwitch view={view} onChange={setView} unapplied={commands.dirty} />}
      />
      <div className="notices">
        {sb.disconnected ? (
          <div className="notice notice--danger notice--disconnected" role="alert">
            <p className="notice-text">
              <strong>Disconnected from Switchboard:</strong> {sb.disconnected}. Start it again (
              <code>npm run web</code>), then Reconnect, or open the address it prints.
            </p>
            <button type="button" className="button button--small" onClick={() => void sb.reconnect()}>
              Reconnect
            </button>
          </div>
        ) : null}
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
        {sb.startProblems.some((p) => p !== initial.problem) ? (
          <Notice tone="warning" title="Problems with the data folder at start:" role="alert">
            {sb.startProblems.filter((p) => p !== initial.problem).join(' · ')}
          </Notice>
        ) : null}
        {sb.logProblem ? (
          <Notice tone="warning" title="The log file is not being written:" role="alert">
            {sb.logProblem}
          </Notice>
        ) : null}
        {status.warning && status.state === 'running' ? (
          <Notice tone="info" title="Open to the network:">
            {status.warning}
          </Notice>
        ) : null}
        {loaded && view === 'commands' ? (
          <Notice tone="info" title="In the editor:" dismissLabel="Dismiss" onDismiss={() => setLoaded(null)}>
            {loaded}
          </Notice>
        ) : null}
        {/* While disconnected the banner above says it once. */}
        {tools.error && !sb.disconnected ? (
          <Notice tone="danger" title="Faults, Record and the API could not be reached:" role="alert">
            {tools.error}
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
      {/*
        Behind the Commands view, the server view stays mounted and laid out (invisible, inert and
        hidden from screen readers), so the log and transcript keep their scroll and the client its typing.
      */}
      <main
        className={view === 'server' ? 'workspace' : 'workspace view-behind'}
        inert={view !== 'server'}
        aria-hidden={view === 'server' ? undefined : true}
      >
        <aside className="sidebar" aria-label="Server settings">
          <LiveStats
            stats={sb.stats}
            series={sb.series}
            onReset={sb.resetStats}
            listeners={extra.state?.listeners}
          />
          <ListenersPanel
            main={{
              state: status.state,
              host: running ? status.host : form.lastValid.host,
              port: running ? status.port : form.lastValid.port,
              ...(status.forward ? { forward: status.forward } : {}),
              connections: sb.stats.active,
              canStart: can.start,
              canStop: can.stop,
              onStart,
              onStop: () => void sb.stop(),
            }}
            state={extra.state}
            applied={sb.commands?.table ?? null}
            presets={sb.commands?.presets ?? []}
            actions={extra}
            faults={tools.state?.faults.toxics ?? []}
            onOwnSettings={(next) => {
              const draft = draftFromSettings(next);
              for (const field of SETTINGS_FIELDS) form.setField(field, draft[field]);
            }}
          />
          <SettingsPanel
            draft={form.draft}
            errors={errors}
            locked={locked}
            // While disconnected the banner says it once; a save that failed for that reason would repeat it.
            saveError={sb.disconnected ? null : form.saveError}
            onChange={form.setField}
            retention={sb.logRetention}
            afterServer={
              <>
                {form.draft.kind === 'forward' || kind === 'forward' ? (
                  <RecordCard
                    status={status}
                    target={form.draft.forward}
                    record={tools.state?.record ?? null}
                    onRecord={(on) => void tools.setRecord(on)}
                  />
                ) : null}
                <FaultsPanel faults={tools.state?.faults ?? null} kind={kind} onSet={tools.setFaults} />
              </>
            }
          />
          <ApiSwitch api={tools.state?.api ?? null} onSet={tools.setApi} />
          <LogRetentionSection form={retention} />
          <TerminalHint status={status} />
        </aside>
        <div className="panes">
          <ConnectionLog
            entries={sb.log}
            running={status.state === 'running'}
            skipped={sb.logSkipped}
            retention={sb.logRetention}
            logFile={sb.logFile}
            onClear={sb.clearLog}
            loadPrevious={sb.loadPreviousLog}
            readRunPage={sb.readRunPage}
            connectionActions={connectionActions}
            listenerNames={extra.state?.listeners.map((l) => l.name) ?? []}
          />
          <ClientPane
            defaultTarget={defaultTarget(status, form.lastValid.host, String(form.lastValid.port))}
            client={sb.client}
            history={sb.clientHistory}
            transcript={sb.transcript}
            serverStatus={status}
            commandTable={sb.commands?.table ?? null}
            onSend={sb.send}
            onConnect={sb.connect}
            onDisconnect={() => void sb.disconnect()}
            onClear={() => void sb.clearTranscript()}
          />
        </div>
      </main>
      {view === 'commands' ? <CommandsView editor={commands} running={status.state === 'running'} /> : null}
    </div>
  );
}
