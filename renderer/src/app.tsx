/**
 * The window: waits for main's snapshot, then shows the workspace.
 */
import type { ReactElement } from 'react';
import type { Bridge } from '../../electron/shared/ipc/ipc-contract';
import { FatalScreen, LoadingScreen } from './components/fatal-screen';
import { Workspace } from './components/workspace';
import { useSwitchboard } from './hooks/use-switchboard';

export function App({ bridge }: { bridge: Bridge }): ReactElement {
  const sb = useSwitchboard(bridge);
  if (sb.loadError !== null) {
    return <FatalScreen title="Switchboard did not answer" message={sb.loadError} onRetry={sb.retry} />;
  }
  if (sb.settings === null) return <LoadingScreen />;
  return <Workspace sb={sb} initial={sb.settings} bridge={bridge} />;
}
