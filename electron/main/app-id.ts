/**
 * The app's identity on Windows. Windows groups taskbar buttons, the
 * installer's shortcuts and notifications by one AppUserModelID; the
 * installer uses electron-builder.yml's `appId`, so the running app must
 * say the same, before it is ready, or its notifications come from an
 * unnamed app and its taskbar button is not pinned with the shortcut.
 * test/main/app-id.test.ts reads electron-builder.yml and compares.
 */
import { app } from 'electron';

export const APP_ID = 'dev.switchboard.app';

export function setupAppUserModelId(platform: NodeJS.Platform = process.platform): void {
  // The call exists on Windows only.
  if (platform === 'win32') app.setAppUserModelId(APP_ID);
}
