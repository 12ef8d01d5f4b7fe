/**
 * The window's entry: finds the bridge to main and renders the app, or says
 * plainly why it cannot.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Bridge } from '../../electron/shared/ipc/ipc-contract';
import { App } from './app';
import { pickBridge } from './bridge';
import { FatalScreen } from './components/fatal-screen';
import { messageOf } from './lib/format';
import './styles/theme.css';
import './styles/base.css';
import './styles/layout.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

let bridge: Bridge | null = null;
let failure = '';
try {
  bridge = pickBridge();
} catch (error) {
  failure = messageOf(error);
}

createRoot(container).render(
  <StrictMode>
    {bridge ? (
      <App bridge={bridge} />
    ) : (
      <FatalScreen title="Switchboard cannot start this window" message={failure} />
    )}
  </StrictMode>,
);
