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
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_FOLDER);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_FOLDER);
}
