/**
 * One Switchboard per user: a second launch hands over to the first one,
 * which comes to the front, instead of opening a second control panel for
 * the same settings and ports.
 */
import { app } from 'electron';

/**
 * Takes the single-instance lock. Returns false when another instance holds
 * it; this one then quits and must set up nothing else.
 */
export function setupSingleInstance(onSecondLaunch: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => onSecondLaunch());
  return true;
}
