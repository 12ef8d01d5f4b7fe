/**
 * Where the app keeps its data outside Electron: the same folder Electron's
 * `app.getPath('userData')` names for Switchboard, so browser mode and the
 * desktop app share settings.
 */
import os from 'node:os';
import path from 'node:path';

export const APP_FOLDER = 'Switchboard';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  // That platform's path rules, so the answer is right whichever platform asks.
  const p = platform === 'win32' ? path.win32 : path.posix;
  // An empty variable counts as unset, as Electron reads it (else the folder would be relative).
  const set = (value: string | undefined): string | undefined => (value === '' ? undefined : value);
  if (platform === 'win32') return p.join(set(env.APPDATA) ?? p.join(home, 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', APP_FOLDER);
  return p.join(set(env.XDG_CONFIG_HOME) ?? p.join(home, '.config'), APP_FOLDER);
}
