/**
 * Where the app keeps its settings and logs: Electron's userData folder, or
 * the folder in SWITCHBOARD_USER_DATA, so that tests (and a user who wants a
 * second, separate profile) can run against a folder of their own.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { app } from 'electron';

/** Must run before the app is ready and before the single-instance lock, which lives in userData. */
export function setupUserDataDir(env: NodeJS.ProcessEnv = process.env): void {
  const dir = env.SWITCHBOARD_USER_DATA;
  if (!dir) return;
  const absolute = path.resolve(dir);
  // app.setPath throws for a folder that does not exist.
  mkdirSync(absolute, { recursive: true });
  app.setPath('userData', absolute);
}
